import { h } from '../dom.js';
import { t } from '../i18n.js';
import { stateBadge } from './parts.js';

/**
 * A month-end run's state as a finance manager reads it: a run "completed" once every close it
 * started settled, which may mean waiting on blockers or failed, so such a run says how many
 * ledgers are still not closed instead of a bare "completed". data-state keeps the run's own state.
 */
export function monthEndBadge(run, counts, testId = 'month-end-badge') {
  const open = counts ? counts.total - counts.closed : 0;
  if (run.state !== 'completed' || open === 0) return stateBadge(run.state, { 'data-testid': testId });
  return h(
    'span',
    { class: 'badge state-blocked', 'data-testid': testId, dataset: { state: run.state, open: String(open) } },
    t('monthEnd.notAllClosed', { n: open }),
  );
}

/** Who started a run: a person, or a schedule (`schedule:<id>`). */
export function initiatorText(initiatedBy) {
  return initiatedBy.startsWith('schedule:') ? t('monthEnd.bySchedule', { id: initiatedBy.slice('schedule:'.length) }) : initiatedBy;
}
