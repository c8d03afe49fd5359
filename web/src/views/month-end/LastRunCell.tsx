import { Space, Typography } from 'antd';
import { useI18n } from '../../i18n';
import { monthEndHref } from '../../router';
import { MonthEndBadge } from './parts';
import type { ScheduleRun } from './types';

/** The last run a schedule started: its period linked to its page, its state and what it closed. */
export function LastRunCell({ run }: { run: ScheduleRun | null }) {
  const { t } = useI18n();
  if (!run) return <Typography.Text type="secondary">{t('schedules.neverRun')}</Typography.Text>;
  const c = run.counts;
  const extra = [c.blocked > 0 ? t('schedules.lastRunBlocked', { n: c.blocked }) : '', c.failed > 0 ? t('schedules.lastRunFailed', { n: c.failed }) : ''];
  return (
    <Space size={4} wrap data-testid="schedule-last-run" data-run-id={run.id}>
      <a href={monthEndHref(run.id)}>{run.period}</a>
      <MonthEndBadge state={run.state} counts={c} />
      <span className="last-run-counts">
        {t('schedules.lastRunClosed', { closed: c.closed, total: c.total })}
        {extra.filter(Boolean).map((text) => `${t('schedules.separator')}${text}`)}
      </span>
    </Space>
  );
}
