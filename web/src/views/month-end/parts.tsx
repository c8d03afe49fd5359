import { Tag } from 'antd';
import type { HTMLAttributes } from 'react';
import type { I18n } from '../../i18n';
import { useI18n } from '../../i18n';
import { StateBadge } from '../parts';
import type { MonthEndCounts, MonthEndScope } from './types';

/**
 * A month-end run's state as a finance manager reads it: a run "completed" once every close it
 * started settled, which may mean waiting on blockers or failed, so such a run says how many
 * ledgers are still not closed instead of a bare "completed". data-state keeps the run's own state.
 */
export function MonthEndBadge({ state, counts, testId = 'month-end-badge' }: { state: string; counts?: MonthEndCounts; testId?: string }) {
  const { t } = useI18n();
  const open = counts ? counts.total - counts.closed : 0;
  if (state !== 'completed' || open === 0) return <StateBadge state={state} data-testid={testId} />;
  return (
    <Tag color="warning" className="badge state-blocked" data-testid={testId} data-state={state} data-open={String(open)}>
      {t('monthEnd.notAllClosed', { n: open })}
    </Tag>
  );
}

/** Who started a run: a person, or a schedule (`schedule:<id>`). */
export const initiatorText = (t: I18n['t'], initiatedBy: string): string =>
  initiatedBy.startsWith('schedule:') ? t('monthEnd.bySchedule', { id: initiatedBy.slice('schedule:'.length) }) : initiatedBy;

/** "ledgers under FED-01", or the ledgers named. */
export const scopeText = (t: I18n['t'], scope: MonthEndScope = {}): string =>
  scope.parent ? t('monthEnd.scopeParent', { parent: scope.parent }) : (scope.ledgers ?? []).join(', ');

/**
 * data-* attributes for a row or cell of an Ant Design Table (onRow/onCell): its types know only
 * the HTML attributes, though React passes data-* on to the element.
 */
export const dataAttrs = (attrs: Record<`data-${string}`, string>): HTMLAttributes<HTMLElement> => attrs as HTMLAttributes<HTMLElement>;

/** The same choice of scope for a month-end and for a schedule: a parent ledger, or a list of ledgers, never both. */
export function scopeOf(parent: string | undefined, ledgers: string[]): MonthEndScope | null {
  const p = parent?.trim() ?? '';
  if (Boolean(p) === ledgers.length > 0) return null;
  return p ? { parent: p } : { ledgers };
}
