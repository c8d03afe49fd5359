/**
 * The acts that clear a blocker's item, as the API lists them for the signed-in user: a button each,
 * with a reason field first where the act needs one. Never an approval of one's own voucher: the API
 * leaves those out already, and the page does not offer one either.
 */
import { Button, Space } from 'antd';
import { api } from '../../api';
import { useAct, useFlash } from '../../flash';
import { useI18n } from '../../i18n';
import { useMe } from '../../me';
import { idAttributes } from './blockerFields';
import { ReasonForm } from './ReasonForm';
import type { BlockerAction, BlockerItem } from './types';

// Test ids of the acts the first dashboard had, kept so its tests and users' scripts of them hold.
const LEGACY_TEST_IDS: Record<string, [string, string]> = {
  'voucher.approve': ['approve-voucher', 'data-voucher-id'],
  'voucher.post': ['post-voucher', 'data-voucher-id'],
  'reimbursement.defer': ['defer-reimbursement', 'data-reimbursement-id'],
};
// What the flash says once an act is done, by act id; any other act says its label and ✓.
const DONE_MESSAGES: Record<string, string> = { 'voucher.approve': 'item.approved', 'voucher.post': 'item.posted', 'reimbursement.defer': 'item.deferred' };
// Acts a voucher's preparer may never take on it (segregation of duties).
const NOT_BY_PREPARER = new Set(['voucher.approve', 'voucher.reject']);

const dashed = (id: string) => id.replace(/[._]/g, '-');

function ActionControl({ action, item, onDone }: { action: BlockerAction; item: BlockerItem; onDone: () => void }) {
  const { t } = useI18n();
  const flash = useFlash();
  const [busy, run] = useAct();
  const ids = { ...idAttributes(item), 'data-action': action.id, 'data-testid': LEGACY_TEST_IDS[action.id]?.[0] ?? `act-${dashed(action.id)}` };

  // Every act the catalogue offers is a POST (api/services/blocker-actions.ts).
  async function act(extra: Record<string, unknown> = {}): Promise<boolean> {
    const ok = await run(() => api.post(action.path, { ...action.body, ...extra }).then(() => true));
    if (!ok) return false;
    const number = item.number ?? item.reference ?? '';
    flash.ok(DONE_MESSAGES[action.id] ? t(DONE_MESSAGES[action.id], { number }) : `${action.label} ✓`);
    onDone();
    return true;
  }

  if (action.needs.includes('reason')) {
    const isDefer = action.id === 'reimbursement.defer';
    return (
      <ReasonForm
        compact
        required
        placeholder={isDefer ? t('item.deferReason') : t('item.reason')}
        buttonText={action.label}
        inputAttrs={{ ...idAttributes(item), 'data-testid': isDefer ? 'defer-reason' : `reason-${dashed(action.id)}` }}
        buttonAttrs={ids}
        onSubmit={(reason) => act({ reason })}
      />
    );
  }
  // Acts that need more than a reason (an adjusting voucher's lines) are for the voucher form, not a button.
  if (action.needs.length > 0) return null;
  return (
    <Button size="small" type="primary" ghost loading={busy} autoInsertSpace={false} onClick={() => void act()} {...ids}>
      {action.label}
    </Button>
  );
}

export function ItemActions({ item, done, onDone }: { item: BlockerItem; done: boolean; onDone: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  if (done)
    return (
      <span className="done-mark" data-testid="item-done">
        ✓ {t('common.done')}
      </span>
    );
  const own = me !== null && item.preparer !== undefined && item.preparer === me.name;
  const actions = (item.actions ?? []).filter((a) => !(own && NOT_BY_PREPARER.has(a.id)));
  return (
    <Space size={4} wrap className="item-actions">
      {actions.map((action) => (
        <ActionControl key={action.id} action={action} item={item} onDone={onDone} />
      ))}
    </Space>
  );
}
