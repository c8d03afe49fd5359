import { isMoneyField, itemColumns } from './blocker-items';

describe('a blocker item columns', () => {
  const items = [
    { state: 'submitted', voucherId: 'v1', amount: '12.00', number: 'JZ-1', actions: [] },
    { preparer: 'clerk', number: 'JZ-2', voucherId: 'v2', unknownField: 'x' },
  ];

  it('when closectl lists them, then ids come first (its commands take them), then the reading order, unknown fields last, acts never', () => {
    expect(itemColumns(items, { ids: true })).toEqual(['voucherId', 'number', 'amount', 'state', 'preparer', 'unknownField']);
  });

  it('when the dashboard lists them, then ids are left out, unless nothing else names the items', () => {
    expect(itemColumns(items, { ids: false })).toEqual(['number', 'amount', 'state', 'preparer', 'unknownField']);
    expect(itemColumns([{ transferId: 't1', actions: [] }], { ids: false })).toEqual(['transferId']);
  });

  it('when an invoice field differs, then its two values are amounts only if the field is an amount', () => {
    expect(isMoneyField({ field: 'tax' }, 'ledger')).toBe(true);
    expect(isMoneyField({ field: 'buyerName' }, 'platform')).toBe(false);
    expect(isMoneyField({}, 'difference')).toBe(true);
    expect(isMoneyField({}, 'number')).toBe(false);
  });
});
