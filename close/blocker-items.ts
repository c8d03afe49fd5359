/**
 * How a blocker's items read, for closectl and the dashboard alike: their fields in reading order
 * (the API's items come from jsonb, which reorders keys) and which of them are amounts in yuan.
 * Pure data and functions, safe anywhere (also in the browser bundle).
 */

/** What the acts take: closectl prints them first (its commands need them); the dashboard keeps them for its buttons. */
export const ITEM_ID_FIELDS = ['voucherId', 'reimbursementId', 'transferId', 'invoiceId'];

/** What names an item, then amounts, then states and who: the order a clerk reads a row in. */
export const ITEM_FIELD_ORDER = [
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
  'tax',
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

/** Item fields that hold an amount in yuan (decimal strings from the API). */
export const MONEY_FIELDS = new Set([
  'amount',
  'tax',
  'generalLedger',
  'subledgerTotal',
  'expectedOpening',
  'actualOpening',
  'debit',
  'credit',
  'difference',
  'openingDifference',
]);

/** An invoice field mismatch compares the ledger's and the platform's values: amounts when the field is one. */
export function isMoneyField(item: Record<string, unknown>, key: string): boolean {
  return MONEY_FIELDS.has(key) || ((key === 'ledger' || key === 'platform') && MONEY_FIELDS.has(String(item.field)));
}

const isId = (key: string) => ITEM_ID_FIELDS.includes(key) || /Id$/.test(key);

/**
 * The columns of a blocker's items, in reading order; an item's acts are offered apart, never a
 * column. With `ids: false` (the dashboard) ids are left out unless nothing else names the items.
 */
export function itemColumns(items: Array<Record<string, unknown>>, { ids }: { ids: boolean }): string[] {
  const order = [...ITEM_ID_FIELDS, ...ITEM_FIELD_ORDER];
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  const keys = [...new Set(items.flatMap((item) => Object.keys(item)))].filter((key) => key !== 'actions').sort((a, b) => rank(a) - rank(b));
  if (ids) return keys;
  const readable = keys.filter((key) => !isId(key));
  return readable.length > 0 ? readable : keys;
}
