/** A ledger's periods, newest first: state, who closed it and when, every reopening with its reason, its runs, its report. */
import { Empty, Table, type TableColumnsType } from 'antd';
import type { HTMLAttributes } from 'react';
import { formatTime } from '../../format';
import { useI18n } from '../../i18n';
import { ledgerHref } from '../../router';
import { StateBadge } from '../parts';
import { ReportLinks } from './ReportLinks';
import { RunList } from './RunList';
import type { PeriodView, Reopening } from './types';

type Attributes = HTMLAttributes<HTMLElement> & Record<`data-${string}`, string>;
const cell = (testid: string) => () => ({ 'data-testid': testid }) as Attributes;

function Reopenings({ items }: { items: Reopening[] }) {
  const { t } = useI18n();
  if (items.length === 0) return <>—</>;
  return (
    <>
      {items.map((r, i) => (
        <div key={`${r.at}-${i}`} className="reopening" data-testid="reopening">
          <div>{t('ledger.byAt', { by: r.by, at: formatTime(r.at) })}</div>
          <div className="reason" data-testid="reopen-reason">
            {r.reason ? t('ledger.reason', { reason: r.reason }) : t('ledger.noReason')}
          </div>
        </div>
      ))}
    </>
  );
}

export function PeriodsTable({ code, items, selected }: { code: string; items: PeriodView[]; selected?: string }) {
  const { t } = useI18n();
  const columns: TableColumnsType<PeriodView> = [
    {
      title: t('ledger.col.period'),
      dataIndex: 'period',
      width: 90,
      className: 'nowrap',
      render: (period: string) => (
        <a href={ledgerHref(code, period)} data-testid="period-link" title={t('ledger.tb.show')}>
          {period}
        </a>
      ),
    },
    { title: t('ledger.col.state'), dataIndex: 'state', width: 100, render: (state: string) => <StateBadge state={state} data-testid="period-state" /> },
    {
      title: t('ledger.col.closed'),
      key: 'closed',
      className: 'nowrap',
      onCell: cell('closed-by'),
      render: (_: unknown, p) => (p.closedBy ? t('ledger.byAt', { by: p.closedBy, at: formatTime(p.closedAt) }) : '—'),
    },
    { title: t('ledger.col.reopened'), key: 'reopened', onCell: cell('reopened'), render: (_: unknown, p) => <Reopenings items={p.reopenings} /> },
    { title: t('ledger.col.runs'), key: 'runs', render: (_: unknown, p) => <RunList runs={p.runs} /> },
    {
      title: t('ledger.col.report'),
      key: 'report',
      render: (_: unknown, p) => (p.state === 'closed' ? <ReportLinks code={code} period={p.period} /> : '—'),
    },
  ];
  return (
    <Table<PeriodView>
      id="periods-table"
      className="periods"
      size="small"
      rowKey="period"
      columns={columns}
      dataSource={items}
      pagination={false}
      rowClassName={(p) => (p.period === selected ? 'selected' : '')}
      onRow={(p) => ({ 'data-testid': 'period-row', 'data-period': p.period, 'data-state': p.state }) as Attributes}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ledger.noPeriods')} /> }}
    />
  );
}
