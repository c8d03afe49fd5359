/**
 * How a blocker's items read: their fields in reading order and which are amounts — one table with
 * closectl's (close/blocker-items.ts) — amounts in yuan, codes as labels.
 */
import { isMoneyField, itemColumns, MONEY_FIELDS } from '../../../../close/blocker-items';
import { formatAmount, formatTime } from '../../format';
import type { BlockerItem } from './types';

const isId = (key: string) => /Id$/.test(key);

/** Ids are for the acts, not for reading; a number or reference names the item. */
export const columnsOf = (items: BlockerItem[]): string[] => itemColumns(items, { ids: false });

/** voucherId → data-voucher-id: an item's ids on its row and its buttons, for tests and scripts. */
export function idAttributes(item: BlockerItem): Record<`data-${string}`, string> {
  return Object.fromEntries(
    Object.entries(item)
      .filter(([k]) => isId(k))
      .map(([k, v]) => [`data-${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(v)]),
  );
}

/** Whether a field of this blocker's items holds yuan: the two sides of a differing invoice amount do. */
export function isAmount(code: string, key: string, item?: BlockerItem): boolean {
  if (MONEY_FIELDS.has(key)) return true;
  return code === 'INVOICE_FIELD_MISMATCH' && item !== undefined && isMoneyField(item, key);
}

type Label = (kind: string, code: string) => string;

/** One cell as a person reads it: amounts grouped, states and sides named, the bank's time in Beijing time. */
export function cellText(code: string, item: BlockerItem, key: string, label: Label): string {
  const value = item[key];
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return '';
  // The name of a mismatching invoice field (buyerName …) is itself a code worth translating.
  if (code === 'INVOICE_FIELD_MISMATCH' && key === 'field') return label('field', String(value));
  if (isAmount(code, key, item)) return formatAmount(String(value));
  if (key === 'state' || key === 'bankState' || key === 'syncState') return label('state', String(value));
  if (key === 'side' || key === 'subledger') return label(key, String(value));
  if (key === 'bankCheckedAt') return formatTime(String(value));
  return String(value);
}
