/** The close runs of one period, newest first: the one whose close stands, the ones a reopen undid, and how the others ended. */
import { Tag } from 'antd';
import { formatTime } from '../../format';
import { useI18n } from '../../i18n';
import { closeHref } from '../../router';
import { StateBadge } from '../parts';
import type { PeriodRun } from './types';

export function RunList({ runs }: { runs: PeriodRun[] }) {
  const { t } = useI18n();
  if (runs.length === 0) return <>—</>;
  return (
    <ul className="runs">
      {runs.map((run) => {
        const role = run.counts ? 'counts' : run.superseded ? 'superseded' : null;
        return (
          <li
            key={run.closeId}
            className={role ? `run run-${role}` : 'run'}
            data-testid="run"
            data-close-id={run.closeId}
            data-state={run.state}
            data-counts={String(run.counts)}
            data-superseded={String(run.superseded)}
          >
            {/* A run that closed the period says whether its close stands; any other run says how it ended. */}
            {role ? (
              <Tag color={role === 'counts' ? 'success' : 'default'} className={`run-role ${role}`} data-testid="run-role" title={t(`ledger.run.${role}Hint`)}>
                {t(`ledger.run.${role}`)}
              </Tag>
            ) : (
              <StateBadge state={run.state} />
            )}{' '}
            <a href={closeHref(run.closeId)}>{t('ledger.run', { by: run.initiatedBy, at: formatTime(run.startedAt) })}</a>
          </li>
        );
      })}
    </ul>
  );
}
