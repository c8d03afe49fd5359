/**
 * Before a close: 结账检查 shows every blocker of the period at once, each item with its acts, and a
 * start for those who may start one; 发票同步 ahead of the close shows the invoices' differences now,
 * with who must act, and the close later confirms by digest.
 */
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, path, send } from '../../api';
import { useAct, useFlash } from '../../flash';
import { lastMonth, PERIOD_PATTERN } from '../../format';
import { useI18n } from '../../i18n';
import { useCan } from '../../me';
import { closeHref } from '../../router';
import { Blockers } from '../Blockers';
import { noticeForNextView } from './notice';
import type { InvoiceSyncRun, Readiness } from './types';

interface LedgerPeriod {
  ledger: string;
  period: string;
}

/** The ledger and period fields both forms share; `prefix` names their inputs (start-ledger, sync-period …). */
function LedgerPeriodFields({ prefix }: { prefix: string }) {
  const { t } = useI18n();
  return (
    <>
      <Form.Item
        label={t('closes.ledger')}
        name="ledger"
        htmlFor={`${prefix}-ledger`}
        rules={[{ required: true, whitespace: true, message: t('closes.ledgerRequired') }]}
      >
        <Input id={`${prefix}-ledger`} autoComplete="off" spellCheck={false} placeholder="GH-001" style={{ width: 160 }} />
      </Form.Item>
      <Form.Item
        label={t('closes.period')}
        name="period"
        htmlFor={`${prefix}-period`}
        rules={[{ pattern: PERIOD_PATTERN, required: true, message: t('closes.periodInvalid') }]}
      >
        <Input id={`${prefix}-period`} autoComplete="off" placeholder="2026-10" style={{ width: 110 }} />
      </Form.Item>
    </>
  );
}

const trimmed = (v: LedgerPeriod): LedgerPeriod => ({ ledger: v.ledger.trim(), period: v.period.trim() });

export function StartForm() {
  const { t } = useI18n();
  const can = useCan();
  const flash = useFlash();
  const [form] = Form.useForm<LedgerPeriod>();
  const [checking, runCheck] = useAct();
  const [starting, runStart] = useAct();
  const [found, setFound] = useState<Readiness | null>(null);

  async function check() {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const { ledger, period } = trimmed(values);
    const answer = await runCheck(() => api.get<Readiness>(path`/api/v1/ledgers/${ledger}/periods/${period}/readiness`));
    if (answer) setFound(answer);
  }

  async function start(values: LedgerPeriod) {
    const body = trimmed(values);
    const answer = await runStart(() => send<{ id: string }>('POST', '/api/v1/closes', { body }));
    if (!answer) return;
    flash.clear();
    noticeForNextView(t(answer.status === 200 ? 'closes.alreadyRunning' : 'closes.started', { ...body }));
    location.hash = closeHref(answer.data.id);
  }

  return (
    <Card title={t('closes.start')}>
      <Form
        id="start-form"
        form={form}
        layout="inline"
        initialValues={{ ledger: '', period: lastMonth() }}
        onFinish={(v) => void start(v)}
        requiredMark={false}
      >
        <LedgerPeriodFields prefix="start" />
        <Form.Item>
          <Button id="check-submit" loading={checking} autoInsertSpace={false} onClick={() => void check()}>
            {t('closes.check')}
          </Button>
        </Form.Item>
        {/* The check is anyone's who may read; starting only for those who may start a close. */}
        {can('close:start') && (
          <Form.Item>
            <Button id="start-submit" type="primary" htmlType="submit" loading={starting} autoInsertSpace={false}>
              {t('closes.startButton')}
            </Button>
          </Form.Item>
        )}
      </Form>
      <div id="readiness" data-testid="readiness">
        {found && (
          <>
            <Alert
              className="readiness-verdict"
              type={found.ready ? 'success' : 'warning'}
              showIcon
              title={
                <span data-testid="readiness-verdict" data-ready={String(found.ready)}>
                  {t(found.ready ? 'closes.ready' : 'closes.notReady', { ledger: found.ledger, period: found.period, n: found.blockers.length })}
                </span>
              }
            />
            {!found.ready && <Blockers blockers={found.blockers} />}
          </>
        )}
      </div>
    </Card>
  );
}

const SYNC_POLL_MS = 2000;

export function InvoiceSyncForm() {
  const { t } = useI18n();
  const [form] = Form.useForm<LedgerPeriod>();
  const [busy, run] = useAct();
  const [result, setResult] = useState<InvoiceSyncRun | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  // A sync still running when the API answered is asked after until it has ended.
  function follow(run: InvoiceSyncRun) {
    clearTimeout(timer.current);
    if (run.state !== 'running') return;
    timer.current = setTimeout(() => {
      api.get<InvoiceSyncRun>(path`/api/v1/ledgers/${run.ledger}/periods/${run.period}/invoice-sync`).then(
        (next) => {
          setResult(next);
          follow(next);
        },
        () => undefined,
      );
    }, SYNC_POLL_MS);
  }

  async function sync(values: LedgerPeriod) {
    const { ledger, period } = trimmed(values);
    const answer = await run(() => api.post<InvoiceSyncRun>(path`/api/v1/ledgers/${ledger}/periods/${period}/invoice-sync`, {}));
    if (!answer) return;
    setResult(answer);
    follow(answer);
  }

  let summary = '';
  if (result?.state === 'running') summary = t('sync.running', { ...result });
  else if (result?.state === 'failed') summary = t('sync.failed', { ...result, code: result.error?.code, message: result.error?.message });
  else if (result) summary = t('sync.done', { ...result, by: t(`sync.by.${result.reconciledBy}`) });

  return (
    <Card title={t('sync.heading')}>
      <Typography.Paragraph type="secondary">{t('sync.hint')}</Typography.Paragraph>
      <Form id="sync-form" form={form} layout="inline" initialValues={{ ledger: '', period: lastMonth() }} onFinish={(v) => void sync(v)} requiredMark={false}>
        <LedgerPeriodFields prefix="sync" />
        <Form.Item>
          <Button id="sync-submit" htmlType="submit" loading={busy} autoInsertSpace={false}>
            {t('sync.button')}
          </Button>
        </Form.Item>
      </Form>
      <div id="sync-result">
        {result && (
          <>
            <Alert
              className="sync-summary"
              type={result.state === 'failed' ? 'error' : result.state === 'running' ? 'info' : result.differences.length > 0 ? 'warning' : 'success'}
              showIcon
              title={
                <span data-testid="sync-summary" data-state={result.state} data-by={result.reconciledBy ?? ''}>
                  {summary}
                </span>
              }
            />
            {result.state === 'done' && result.differences.length > 0 && <Blockers blockers={result.differences} />}
          </>
        )}
      </div>
    </Card>
  );
}
