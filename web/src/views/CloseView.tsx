/**
 * One close: its state and who started it, the acts that apply (resume, cancel, reopen — each only
 * for a role that may), its steps, what blocks it with the acts that clear it, the close report once
 * it closed the period, and its error log. Refreshed every 2 s while it runs or waits.
 */
import { Card, Empty, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, path } from '../api';
import { useFlash } from '../flash';
import { durationBetween, formatTime, isLive, stepsDone } from '../format';
import { useI18n } from '../i18n';
import { ledgerHref, monthEndHref } from '../router';
import { Blockers } from './Blockers';
import { CloseActions } from './close/CloseActions';
import { CloseReportLinks } from './close/CloseReport';
import { ErrorLog } from './close/ErrorLog';
import { takeNotice } from './close/notice';
import { RunRole } from './close/RunRole';
import { StepCards } from './close/StepCards';
import type { Close } from './close/types';
import { StateBadge } from './parts';
import './close/close.css';

const REFRESH_MS = 2000;

interface Loaded {
  close: Close;
  /** The period is closed now (a reopen may have undone this close's work since). */
  periodClosed: boolean;
}

async function periodIsClosed(close: Close): Promise<boolean> {
  if (close.state !== 'closed') return false;
  const periods = await api.get<{ items: Array<{ period: string; state: string }> }>(path`/api/v1/ledgers/${close.ledger}/periods`);
  return periods.items.some((p) => p.period === close.period && p.state === 'closed');
}

/** The close, loaded now and again every 2 s while it lives; `reload` after an act. */
function useClose(id: string): [Loaded | null, () => void, boolean] {
  const flash = useFlash();
  const { lang } = useI18n();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  // The close could not be read (not found, out of one's scope): the page says so instead of loading for ever.
  const [failed, setFailed] = useState(false);
  // An act asks for a reload at once: the poll under way is dropped and starts again from now.
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function load() {
      let again = true;
      try {
        const close = await api.get<Close>(path`/api/v1/closes/${id}`);
        const periodClosed = await periodIsClosed(close);
        if (stopped) return;
        setLoaded({ close, periodClosed });
        setFailed(false);
        again = isLive(close);
        const notice = takeNotice();
        if (notice) flash.ok(notice);
      } catch (err) {
        if (stopped) return;
        flash.error(err);
        setFailed(true);
        const status = (err as { status?: number }).status;
        again = status !== 404 && status !== 401;
      }
      if (again && !stopped) timer = setTimeout(() => void load(), REFRESH_MS);
    }
    void load();
    return () => {
      // Whatever is under way when the page is left (or reloads) is not shown, and nothing re-arms.
      stopped = true;
      clearTimeout(timer);
    };
    // Messages and act labels come in the reader's language: a new language loads the close again.
  }, [id, flash, lang, asked]);

  return [loaded, useCallback(() => setAsked((n) => n + 1), []), failed];
}

function CloseHeader({ close }: { close: Close }) {
  const { t } = useI18n();
  const when = close.endedAt ? t('close.ended', { at: formatTime(close.endedAt) }) : t('close.runningFor', { d: durationBetween(close.startedAt, null) });
  const meta = [t('close.startedBy', { user: close.initiatedBy, at: formatTime(close.startedAt) }), when, `${stepsDone(close.steps)}/${close.steps.length}`];
  return (
    <>
      <div className="section-head">
        <h2 id="close-title">
          <a href={ledgerHref(close.ledger)} title={t('ledger.link', { ledger: close.ledger })} data-testid="ledger-link">
            {t('close.heading', { ledger: close.ledger, period: close.period })}
          </a>
        </h2>
        <span id="close-state-holder">
          <StateBadge state={close.state} id="close-state" data-testid="close-state" />
          {/* A close a reopen undid says so beside its state: a later close of the period is the one that counts. */}
          {close.superseded && <RunRole role="superseded" />}
        </span>
      </div>
      <Typography.Paragraph id="close-meta" type="secondary" className="meta">
        {meta.join(' · ')}
        {close.monthEndId && (
          <>
            {' · '}
            <a href={monthEndHref(close.monthEndId)} data-testid="month-end-link">
              {t('close.monthEnd')}
            </a>
          </>
        )}
      </Typography.Paragraph>
      {isLive(close) && (
        <Typography.Paragraph id="auto-refresh" type="secondary" className="hint">
          {t('close.autoRefresh')}
        </Typography.Paragraph>
      )}
    </>
  );
}

export function CloseView({ id }: { id: string }) {
  const { t } = useI18n();
  const [loaded, reload, failed] = useClose(id);
  const close = loaded?.close;

  return (
    <>
      <a href="#/closes" id="back" className="back">
        {t('common.back')}
      </a>
      <Card loading={!close && !failed}>
        {!close && failed && <Empty description={t('close.unavailable')} />}
        {close && (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <CloseHeader close={close} />
            <CloseActions close={close} periodClosed={loaded.periodClosed} reload={reload} />
            {/* The report of the period this close closed, while its close stands. */}
            {close.counts && loaded.periodClosed && <CloseReportLinks ledger={close.ledger} period={close.period} />}
          </Space>
        )}
      </Card>
      {close && (
        <>
          <Card title={t('close.steps')}>
            <StepCards steps={close.steps} />
          </Card>
          <Card title={t('close.blockers')} id="blockers">
            <Blockers blockers={close.blockers} />
          </Card>
          <Card title={t('close.errors')} id="errors">
            <ErrorLog errors={close.errors} failed={close.state === 'failed'} />
          </Card>
        </>
      )}
    </>
  );
}
