/**
 * 登录: people sign in with name and password (the API sets an HttpOnly session cookie and answers
 * the CSRF token); scripts and the first administrator may paste an API token instead.
 */
import { Button, Card, Divider, Form, Input } from 'antd';
import { request, session } from '../api';
import { useAct, useFlash } from '../flash';
import { useI18n } from '../i18n';

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useI18n();
  const flash = useFlash();
  const [passwordBusy, runPassword] = useAct();
  const [tokenBusy, runToken] = useAct();
  const [passwordForm] = Form.useForm();

  async function signInWithPassword(values: { name: string; password: string }) {
    const body = { name: values.name.trim(), password: values.password };
    const answer = await runPassword(() => request<{ csrfToken: string }>('POST', '/api/v1/session', { body, token: null }));
    passwordForm.setFieldValue('password', '');
    if (!answer) return;
    session.signInWithPassword(answer.csrfToken);
    flash.clear();
    onSignedIn();
  }

  async function signInWithToken(values: { token: string }) {
    const token = values.token.trim();
    // The token is checked against the API before it is kept, so a typo shows at once.
    const ok = await runToken(() => request('GET', '/api/v1/me', { token }).then(() => true));
    if (!ok) return;
    session.signIn(token);
    flash.clear();
    onSignedIn();
  }

  return (
    <Card id="sign-in-view" className="narrow" title={t('auth.heading')}>
      <Form id="password-sign-in-form" form={passwordForm} layout="vertical" onFinish={signInWithPassword} requiredMark={false}>
        <Form.Item label={t('auth.name')} name="name" htmlFor="name-input" rules={[{ required: true, message: t('auth.nameRequired') }]}>
          <Input id="name-input" autoComplete="username" spellCheck={false} autoFocus />
        </Form.Item>
        <Form.Item label={t('auth.password')} name="password" htmlFor="password-input" rules={[{ required: true, message: t('auth.passwordRequired') }]}>
          <Input.Password id="password-input" autoComplete="current-password" />
        </Form.Item>
        <Button id="password-sign-in" type="primary" htmlType="submit" loading={passwordBusy} block>
          {t('auth.signIn')}
        </Button>
      </Form>
      <Divider plain>{t('auth.orToken')}</Divider>
      <Form id="sign-in-form" layout="vertical" onFinish={signInWithToken} requiredMark={false}>
        <Form.Item
          label={t('auth.token')}
          name="token"
          htmlFor="token-input"
          extra={t('auth.tokenHint')}
          rules={[{ required: true, message: t('auth.tokenRequired') }]}
        >
          <Input.Password id="token-input" autoComplete="off" spellCheck={false} />
        </Form.Item>
        <Button id="sign-in" htmlType="submit" loading={tokenBusy} block>
          {t('auth.signIn')}
        </Button>
      </Form>
    </Card>
  );
}
