/**
 * Only what applies, and only to whom it is allowed: resume and cancel while the close lives; reopen
 * (反结账) once its period is closed by it. An auditor or a clerk sees no button, and no reason field,
 * that would end in PERMISSION_DENIED.
 */
import { Button, Space } from 'antd';
import { api, path } from '../../api';
import { useAct, useFlash } from '../../flash';
import { isLive } from '../../format';
import { useI18n } from '../../i18n';
import { useCan } from '../../me';
import { ReasonForm } from './ReasonForm';
import type { Close } from './types';

/** A step retrying by itself needs nobody: a re-check now would change nothing. */
export const retryingNow = (close: Close) => close.steps.some((step) => step.retrying);

export function CloseActions({ close, periodClosed, reload }: { close: Close; periodClosed: boolean; reload: () => void }) {
  const { t } = useI18n();
  const can = useCan();
  const flash = useFlash();
  const [resuming, run] = useAct();
  const [, runReason] = useAct();
  const live = isLive(close);

  async function resume() {
    if (await run(() => api.post(path`/api/v1/closes/${close.id}/resume`).then(() => true))) {
      flash.ok(t('close.resumed'));
      reload();
    }
  }

  async function cancel(reason: string): Promise<boolean> {
    const ok = await runReason(() => api.post(path`/api/v1/closes/${close.id}/cancel`, reason ? { reason } : {}).then(() => true));
    if (!ok) return false;
    flash.ok(t('close.cancelled'));
    reload();
    return true;
  }

  async function reopen(reason: string): Promise<boolean> {
    const url = path`/api/v1/ledgers/${close.ledger}/periods/${close.period}/reopen`;
    const ok = await runReason(() => api.post(url, { reason }).then(() => true));
    if (!ok) return false;
    flash.ok(t('close.reopened', { ledger: close.ledger, period: close.period }));
    reload();
    return true;
  }

  const mayResume = live && can('close:resume') && !retryingNow(close);
  const mayCancel = live && can('close:cancel');
  const mayReopen = close.state === 'closed' && periodClosed && can('period:reopen');
  if (!mayResume && !mayCancel && !mayReopen) return null;
  return (
    <Space id="close-actions" wrap size={12}>
      {mayResume && (
        <Button key="resume" id="resume" type="primary" loading={resuming} autoInsertSpace={false} onClick={() => void resume()}>
          {t('close.resume')}
        </Button>
      )}
      {mayCancel && (
        <ReasonForm
          key="cancel"
          id="cancel-reason"
          buttonId="cancel"
          danger
          placeholder={t('close.cancelReason')}
          buttonText={t('close.cancel')}
          onSubmit={cancel}
        />
      )}
      {mayReopen && (
        <ReasonForm
          key="reopen"
          id="reopen-reason"
          buttonId="reopen"
          danger
          required
          placeholder={t('close.reopenReason')}
          buttonText={t('close.reopen')}
          onSubmit={reopen}
        />
      )}
    </Space>
  );
}
