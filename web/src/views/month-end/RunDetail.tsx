/** One month-end run: its heading, counts and the ledgers that need someone, followed every 2 s while it runs. */
import { Card, Flex, Space, Spin, Typography } from 'antd';
import { useCallback, useEffect } from 'react';
import { api, path } from '../../api';
import { useFlash } from '../../flash';
import { formatTime } from '../../format';
import { useI18n } from '../../i18n';
import { MonthEndBadge, initiatorText, scopeText } from './parts';
import { RunCounts } from './RunCounts';
import { RunLedgers } from './RunLedgers';
import { takeStarted } from './started';
import type { MonthEndRun } from './types';
import { useLoad } from './useLoad';

const REFRESH_MS = 2000;
const followWhileRunning = (run: MonthEndRun | undefined) => (run?.state === 'running' ? REFRESH_MS : null);

export function RunDetail({ id }: { id: string }) {
  const { t, label } = useI18n();
  const flash = useFlash();
  const fetch = useCallback(() => api.get<MonthEndRun>(path`/api/v1/month-ends/${id}`), [id]);
  const { value: run, error } = useLoad(fetch, followWhileRunning);
  useEffect(() => {
    if (error) flash.error(error);
  }, [error, flash]);
  useEffect(() => {
    if (run && takeStarted(run.id)) flash.ok(t('monthEnd.run', { id: run.id, period: run.period, state: label('state', run.state) }));
  }, [run, flash, t, label]);

  return (
    <Card id="month-end-run" size="small">
      {!run ? (
        <Spin />
      ) : (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Flex align="center" gap={12} wrap>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('monthEnd.runHeading', { period: run.period, scope: scopeText(t, run.scope), by: initiatorText(t, run.initiatedBy) })}
            </Typography.Title>
            <MonthEndBadge state={run.state} counts={run.summary} testId="month-end-state" />
          </Flex>
          <Typography.Text type="secondary" className="meta">
            {formatTime(run.startedAt)}
            {run.endedAt ? ` → ${formatTime(run.endedAt)}` : ''}
            {' · '}
            <Typography.Text code className="run-id">
              {run.id}
            </Typography.Text>
          </Typography.Text>
          <RunCounts counts={run.summary} />
          <RunLedgers summary={run.summary} />
        </Space>
      )}
    </Card>
  );
}
