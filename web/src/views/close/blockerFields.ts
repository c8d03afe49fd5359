/**
 * How a blocker's items read: their fields in reading order (the API's items come from jsonb, which
 * reorders keys; the same order as closectl's, cli/format.ts), amounts in yuan, codes as labels.
 */
import { formatAmount, formatTime } from '../../format';
import type { BlockerItem } from './types';

export const AMOUNT_FIELDS = new Set([
  'amount',
  'tax',
  'difference',
  'debit',
  'credit',
  'generalLedger',
  'subledgerTotal',
  'expectedOpening',
  'actualOpening',
  'openingDifference',
]);

const FIELD_ORDER = [
  'number',
  'reference',
  'period',
  'date',
  'claimant',
  'subledger',
  'account',
  'accountName',
  'field',
  'ledger',
  'platform',
  'amount',
  'generalLedger',
  'subledgerTotal',
  'expectedOpening',
  'actualOpening',
  'debit',
  'credit',
  'difference',
  'openingDifference',
  'state',
  'bankState',
  'bankReason',
  'bankCheckedAt',
  'syncState',
  'side',
  'counterparty',
  'preparer',
  'approver',
  'owner',
];
const rank = (key: string) => (FIELD_ORDER.includes(key) ? FIELD_ORDER.indexOf(key) : FIELD_ORDER.length);

const isId = (key: string) => /Id$/.test(key);

/** Ids are for the acts, not for reading; a number or reference names the item. */
export function columnsOf(items: BlockerItem[]): string[] {
  const keys = [...new Set(items.flatMap((item) => Object.keys(item)))].sort((a, b) => rank(a) - rank(b));
  const readable = keys.filter((k) => !isId(k) && k !== 'actions');
  return readable.length > 0 ? readable : keys.filter((k) => k !== 'actions');
}

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
  if (AMOUNT_FIELDS.has(key)) return true;
  return code === 'INVOICE_FIELD_MISMATCH' && (key === 'ledger' || key === 'platform') && item !== undefined && AMOUNT_FIELDS.has(String(item.field));
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
