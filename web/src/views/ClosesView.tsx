/**
 * 结账: the check and the start of a close, the invoice sync ahead of it, and every close, newest
 * first, filtered (all, blocked, stalled, failed — the choice kept for this tab) and paged by the
 * API's cursor. The first page refreshes every 5 s so a finance manager can leave it open; a deeper
 * page stays put.
 */
import { Button, Card, Empty, Progress, Segmented, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { useFlash } from '../flash';
import { currentStep, durationBetween, stepsDone } from '../format';
import { useI18n } from '../i18n';
import { useCan } from '../me';
import { closeHref, ledgerHref, useInterval } from '../router';
import { CloseStateCell } from './close/RunRole';
import { InvoiceSyncForm, StartForm } from './close/StartForms';
import type { Close, ClosePage } from './close/types';
import './close/close.css';

const STALLED_MINUTES = 30;
const REFRESH_MS = 5000;
const FILTER_KEY = 'closeDashboard.filter';
const FILTERS = {
  all: {},
  blocked: { state: 'blocked' },
  stalled: { stalled: STALLED_MINUTES },
  failed: { state: 'failed' },
} as const;
type Filter = keyof typeof FILTERS;

const storedFilter = (): Filter => {
  const stored = sessionStorage.getItem(FILTER_KEY);
  return stored && stored in FILTERS ? (stored as Filter) : 'all';
};

function useCloseColumns() {
  const { t, label } = useI18n();
  return [
    { key: 'state', title: t('closes.col.state'), render: (_: unknown, c: Close) => <CloseStateCell close={c} /> },
    {
      key: 'ledger',
      title: t('closes.col.ledger'),
      render: (_: unknown, c: Close) => (
        <a href={ledgerHref(c.ledger)} title={t('ledger.link', { ledger: c.ledger })} data-testid="ledger-link">
          {c.ledger}
        </a>
      ),
    },
    { key: 'period', title: t('closes.col.period'), render: (_: unknown, c: Close) => <a href={closeHref(c.id)}>{c.period}</a> },
    {
      key: 'progress',
      title: t('closes.col.progress'),
      width: 170,
      render: (_: unknown, c: Close) => {
        const n = c.steps?.length ?? 0;
        const done = stepsDone(c.steps);
        const status = c.state === 'failed' ? 'exception' : c.state === 'closed' ? 'success' : c.state === 'running' ? 'active' : 'normal';
        return <Progress size="small" percent={n ? Math.round((done / n) * 100) : 0} status={status} format={() => `${done}/${n}`} />;
      },
    },
    {
      key: 'step',
      title: t('closes.col.step'),
      render: (_: unknown, c: Close) => {
        const at = c.state === 'closed' ? undefined : currentStep(c.steps);
        return at ? label('step', at.name) : '';
      },
    },
    { key: 'duration', title: t('closes.col.duration'), align: 'right' as const, render: (_: unknown, c: Close) => durationBetween(c.startedAt, c.endedAt) },
    { key: 'initiatedBy', title: t('closes.col.initiatedBy'), dataIndex: 'initiatedBy' },
  ];
}

function ClosesList() {
  const { t } = useI18n();
  const flash = useFlash();
  const columns = useCloseColumns();
  const [filter, setFilter] = useState<Filter>(storedFilter);
  const [cursor, setCursor] = useState<string | null>(null);
  const [page, setPage] = useState<ClosePage | null>(null);
  // Refresh, by hand or every 5 s on the first page: the load under way is dropped for a new one.
  const [asked, setAsked] = useState(0);
  const refresh = useCallback(() => setAsked((n) => n + 1), []);
  useInterval(refresh, cursor === null ? REFRESH_MS : null);

  useEffect(() => {
    // A filter chosen while a page loads: only the latest request's answer is shown.
    let stopped = false;
    api.get<ClosePage>('/api/v1/closes', { ...FILTERS[filter], cursor }).then(
      (found) => {
        if (!stopped) setPage(found);
      },
      (err) => {
        if (!stopped) flash.error(err);
      },
    );
    return () => {
      stopped = true;
    };
  }, [filter, cursor, flash, asked]);

  function choose(next: Filter) {
    sessionStorage.setItem(FILTER_KEY, next);
    setFilter(next);
    setCursor(null);
  }

  return (
    <Card
      title={<h2 className="closes-heading">{t('closes.heading')}</h2>}
      extra={
        <Space wrap>
          <Segmented<Filter>
            value={filter}
            onChange={choose}
            options={(Object.keys(FILTERS) as Filter[]).map((name) => ({
              value: name,
              label: (
                <span id={`filter-${name}`} data-testid={`filter-${name}`} aria-pressed={name === filter}>
                  {t(`filter.${name}`, { n: STALLED_MINUTES })}
                </span>
              ),
            }))}
          />
          <Button id="closes-refresh" autoInsertSpace={false} onClick={refresh}>
            {t('common.refresh')}
          </Button>
        </Space>
      }
    >
      <div id="closes-table">
        <Table<Close>
          rowKey="id"
          size="middle"
          loading={page === null}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={columns}
          dataSource={page?.items ?? []}
          locale={{ emptyText: <Empty description={<span data-testid="closes-empty">{t('closes.empty')}</span>} /> }}
          onRow={(c) =>
            ({
              'data-testid': 'close-row',
              'data-close-id': c.id,
              'data-state': c.state,
              'data-counts': String(c.counts),
              'data-superseded': String(c.superseded),
            }) as React.HTMLAttributes<HTMLElement>
          }
        />
      </div>
      <Space className="closes-paging" style={{ marginTop: 12 }}>
        {cursor !== null && (
          <Button id="closes-first" autoInsertSpace={false} onClick={() => setCursor(null)}>
            {t('closes.firstPage')}
          </Button>
        )}
        {page?.next && (
          <Button id="closes-next" autoInsertSpace={false} onClick={() => setCursor(page.next)}>
            {t('closes.nextPage')}
          </Button>
        )}
        <Typography.Text type="secondary" className="hint">
          {cursor === null ? t('closes.autoRefresh') : ''}
        </Typography.Text>
      </Space>
    </Card>
  );
}

export function ClosesView() {
  const can = useCan();
  return (
    <>
      <StartForm />
      {can('close:start') && <InvoiceSyncForm />}
      <ClosesList />
    </>
  );
}
