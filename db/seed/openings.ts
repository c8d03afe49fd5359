import { unionChart } from './chart';
import type { LedgerActivity } from './ledger-activity';

/**
 * Opening balances (期初余额) for every account of the chart, signed debit-positive and summing to
 * zero: assets as debits, accumulated depreciation and liabilities as credits, the asset fund equal
 * to the net fixed assets, and the union fund with its surplus (工会资金结余) closing the gap.
 * Income and expenditure open at zero. `scale` makes a federation's books larger than a union's.
 */
export function writeOpeningBalances(ctx: LedgerActivity, scale = 1): void {
  const { rng } = ctx;
  const fen = (minYuan: number, maxYuan: number) => rng.fen(minYuan * scale, maxYuan * scale);
  const maybe = (percent: number, minYuan: number, maxYuan: number) => (rng.chance(percent) ? fen(minYuan, maxYuan) : 0);

  const fixedAssets = fen(50_000, 2_000_000);
  const depreciation = -rng.int(Math.trunc(fixedAssets / 10), Math.trunc(fixedAssets / 2));
  const opening: Record<string, number> = {
    '101': fen(2_000, 50_000),
    '102': fen(200_000, 5_000_000),
    '111': maybe(40, 5_000, 200_000),
    '112': fen(10_000, 300_000),
    '113': maybe(60, 2_000, 100_000),
    '121': maybe(20, 5_000, 100_000),
    '131': maybe(50, 1_000, 80_000),
    '141': maybe(20, 50_000, 1_000_000),
    '151': fixedAssets,
    '152': depreciation,
    '201': -fen(5_000, 200_000),
    '202': -maybe(60, 5_000, 100_000),
    '203': -maybe(20, 5_000, 50_000),
    '204': -maybe(50, 500, 30_000),
    '211': -maybe(30, 5_000, 50_000),
    '212': -maybe(50, 100, 20_000),
    '311': -maybe(30, 10_000, 200_000),
    '321': -(fixedAssets + depreciation),
  };
  const sum = () => Object.values(opening).reduce((total, amount) => total + amount, 0);
  // A union owns more than it owes: top the bank up when the draw says otherwise.
  const minimumShare = fen(50_000, 500_000);
  if (sum() < minimumShare) opening['102'] = opening['102']! + minimumShare - sum();
  // What is left belongs to the union: a part as its fund, the rest as accumulated surplus.
  const unionShare = sum();
  const fund = -rng.int(0, Math.max(0, Math.trunc(unionShare / 3)));
  opening['301'] = fund;
  opening['302'] = -unionShare - fund;

  ctx.openingBalances = opening;
  for (const account of unionChart) {
    // `|| 0` turns a drawn -0 into 0.
    ctx.book.openings.push({ ledgerId: ctx.ledger.id, account: account.code, opening: opening[account.code] || 0 });
  }
}
