/**
 * Every month-end run the user may see, manual or scheduled, from the server (newest first, by
 * period if asked, a page at a time); the first page is kept fresh while the view is open.
 */
import { Button, Card, Empty, Form, Input, Table, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { useFlash } from '../../flash';
import { PERIOD_PATTERN, formatTime } from '../../format';
import { useI18n } from '../../i18n';
import { monthEndHref } from '../../router';
import { useLoad } from './useLoad';
import { MonthEndBadge, dataAttrs, initiatorText, scopeText } from './parts';
import type { MonthEndCounts, MonthEndListItem, MonthEndPage } from './types';

const LIST_REFRESH_MS = 5000;

// Each count's column: the count's key and its heading ("blocked" reads as waiting on blockers).
const COUNT_COLUMNS: Array<[keyof MonthEndCounts, string]> = [
  ['total', 'total'],
  ['closed', 'closed'],
  ['blocked', 'waiting'],
  ['running', 'running'],
  ['failed', 'failed'],
  ['cancelled', 'cancelled'],
  ['notStarted', 'notStarted'],
];

interface Query {
  period?: string;
  cursor: string | null;
}

/** `refreshKey` changes when something elsewhere on the page started a run (a schedule's run now). */
export function RunList({ refreshKey }: { refreshKey: number }) {
  const { t } = useI18n();
  const flash = useFlash();
  const [query, setQuery] = useState<Query>({ cursor: null });
  const fetch = useCallback(() => api.get<MonthEndPage>('/api/v1/month-ends', { period: query.period, cursor: query.cursor }), [query]);
  // The first page is kept fresh; a later page stays as it was read.
  const { value: page, error } = useLoad(fetch, query.cursor === null ? LIST_REFRESH_MS : null, refreshKey);
  useEffect(() => {
    if (error) flash.error(error);
  }, [error, flash]);

  const columns: TableColumnsType<MonthEndListItem> = [
    {
      key: 'period',
      title: t('monthEnd.col.period'),
      render: (_, run) => (
        <a href={monthEndHref(run.id)} data-testid="month-end-link">
          {run.period}
        </a>
      ),
    },
    { key: 'scope', title: t('monthEnd.col.scope'), render: (_, run) => scopeText(t, run.scope) },
    { key: 'initiatedBy', title: t('monthEnd.col.initiatedBy'), render: (_, run) => initiatorText(t, run.initiatedBy) },
    { key: 'state', title: t('monthEnd.col.state'), render: (_, run) => <MonthEndBadge state={run.state} counts={run.counts} /> },
    { key: 'startedAt', title: t('monthEnd.col.startedAt'), render: (_, run) => formatTime(run.startedAt) },
    ...COUNT_COLUMNS.map(([key, heading]) => ({
      key,
      title: t(`monthEnd.col.${heading}`),
      className: `num count-${key}`,
      align: 'right' as const,
      render: (_: unknown, run: MonthEndListItem) => String(run.counts[key] ?? 0),
    })),
  ];

  return (
    <Card
      title={t('monthEnd.list')}
      size="small"
      extra={
        <Form
          id="month-end-list-form"
          layout="inline"
          onFinish={(values: { period?: string }) => setQuery({ period: values.period?.trim() || undefined, cursor: null })}
        >
          <Form.Item
            label={t('monthEnd.listPeriod')}
            name="period"
            htmlFor="month-end-list-period"
            rules={[{ pattern: PERIOD_PATTERN, message: t('monthEnd.periodInvalid') }]}
          >
            <Input id="month-end-list-period" placeholder="2026-10" allowClear style={{ width: 120 }} />
          </Form.Item>
          <Button id="month-end-list-show" htmlType="submit">
            {t('monthEnd.listShow')}
          </Button>
        </Form>
      }
    >
      <div id="month-end-list">
        <Table<MonthEndListItem>
          className="month-end-list"
          size="small"
          rowKey="id"
          loading={page === undefined}
          pagination={false}
          dataSource={page?.items ?? []}
          columns={columns}
          scroll={{ x: 'max-content' }}
          onRow={(run) => dataAttrs({ 'data-testid': 'month-end-row', 'data-run-id': run.id, 'data-state': run.state })}
          locale={{
            emptyText: page ? (
              <Empty data-testid="month-end-list-empty" image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('monthEnd.listEmpty')} />
            ) : (
              <span />
            ),
          }}
        />
      </div>
      {page?.next && (
        <Button id="month-end-next" style={{ marginTop: 12 }} onClick={() => setQuery({ ...query, cursor: page.next })}>
          {t('closes.nextPage')}
        </Button>
      )}
    </Card>
  );
}
