/**
 * 月末批量结账: start a month-end over a federation or a list of ledgers, follow one run (`runId`),
 * list every run, and manage the schedules that start them by themselves.
 */
import { Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useI18n } from '../i18n';
import { useCan } from '../me';
import { RunDetail } from './month-end/RunDetail';
import { RunList } from './month-end/RunList';
import { StartForm } from './month-end/StartForm';
import { Schedules } from './Schedules';

export function MonthEndView({ runId }: { runId?: string }) {
  const { t } = useI18n();
  const can = useCan();
  // Bumped when a schedule's act may have started a run: the list shows it at once.
  const [listVersion, setListVersion] = useState(0);
  const refreshList = useCallback(() => setListVersion((v) => v + 1), []);
  return (
    <>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('monthEnd.heading')}
      </Typography.Title>
      {can('month_end:start') && <StartForm />}
      {runId && <RunDetail id={runId} />}
      <RunList refreshKey={listVersion} />
      <Schedules onChange={refreshList} />
    </>
  );
}
