/**
 * A period closed, reopened and closed again has several closed runs: the one whose close stands says
 * 有效, those a reopen undid say 已被取代 instead of 已结账 (the ledger's page tells the whole story).
 */
import { Tag, Tooltip } from 'antd';
import { useI18n } from '../../i18n';
import { StateBadge } from '../parts';
import type { Close } from './types';

export function RunRole({ role }: { role: 'counts' | 'superseded' }) {
  const { t } = useI18n();
  return (
    <Tooltip title={t(`ledger.run.${role}Hint`)}>
      <Tag color={role === 'counts' ? 'green' : 'default'} className={`run-role ${role}`} data-testid="run-role">
        {t(`ledger.run.${role}`)}
      </Tag>
    </Tooltip>
  );
}

/** The list's state cell: the state, 有效 beside it for the run that counts, 已被取代 alone for an undone one. */
export function CloseStateCell({ close }: { close: Pick<Close, 'state' | 'counts' | 'superseded'> }) {
  if (close.superseded) return <RunRole role="superseded" />;
  return (
    <>
      <StateBadge state={close.state} />
      {close.counts && <RunRole role="counts" />}
    </>
  );
}
