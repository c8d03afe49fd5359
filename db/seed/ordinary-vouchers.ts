import type { VoucherState } from '../schema';
import { type LineDraft, credit, debit } from './book';
import { accounts as a, controlAccounts } from './chart';
import { companyName } from './identities';
import type { LedgerActivity } from './ledger-activity';

/** A kind of everyday voucher of a grassroots union, writing between `min` and `max` lines. */
interface Template {
  weight: number;
  min: number;
  max: number;
  write(ctx: LedgerActivity, lines: number): void;
}

const SPENDING = ['501', '502', '503', '504', '507', '509'] as const;
const SPENDING_MEMOS: Record<string, string[]> = {
  '501': ['职工文体活动', '劳动竞赛奖励', '节日慰问品', '职工春游'],
  '502': ['困难职工帮扶', '职工疗休养', '职工培训', '单身职工联谊'],
  '503': ['劳动法律咨询', '职工维权援助', '集体协商培训'],
  '504': ['工会干部培训', '会议费', '宣传资料印制', '外事交流'],
  '507': ['办公用品', '水电物业费', '邮电通讯费', '车辆运行费'],
  '509': ['银行手续费', '其他零星支出'],
};

/** Bank-paid spending over 1..5 expenditure accounts: the one template that fits any 2..6 lines. */
export function writeSpending(ctx: LedgerActivity, lineCount: number, state: VoucherState = 'posted'): number {
  const expenseLines = lineCount - 1;
  const amounts = Array.from({ length: expenseLines }, () => ctx.rng.fen(50, 30_000));
  const lines: LineDraft[] = amounts.map((amount) => {
    const account = ctx.rng.pick(SPENDING);
    return debit(account, amount, ctx.rng.pick(SPENDING_MEMOS[account]!));
  });
  const total = amounts.reduce((sum, amount) => sum + amount, 0);
  lines.push(credit(a.bank, total, '银行存款支付'));
  return ctx.voucher(state, expenseLines === 1 ? `支付${lines[0]!.memo}` : `支付${lines[0]!.memo}等${expenseLines}项`, lines);
}

function twoLines(description: string, debitAccount: string, creditAccount: string, minYuan: number, maxYuan: number): Template['write'] {
  return (ctx) => {
    const amount = ctx.rng.fen(minYuan, maxYuan);
    ctx.posted(description, [debit(debitAccount, amount, description), credit(creditAccount, amount, description)]);
  };
}

const templates: Template[] = [
  {
    weight: 10,
    min: 2,
    max: 3,
    write: (ctx, lines) => {
      const bank = ctx.rng.fen(500, 20_000);
      const cash = lines === 3 ? ctx.rng.fen(50, 2_000) : 0;
      const memo = `收取${ctx.period.slice(5)}月会员会费`;
      const drafted = [debit(a.bank, bank, memo), ...(cash > 0 ? [debit(a.cash, cash, '现金收取会费')] : []), credit(a.duesIncome, bank + cash, memo)];
      ctx.posted(memo, drafted);
    },
  },
  { weight: 3, min: 2, max: 2, write: twoLines('收到返还拨缴经费', a.bank, a.allocatedFundsIncome, 10_000, 300_000) },
  { weight: 2, min: 2, max: 2, write: twoLines('收到上级工会补助', a.bank, a.parentSubsidyIncome, 5_000, 100_000) },
  { weight: 1, min: 2, max: 2, write: twoLines('收到政府专项补助', a.bank, a.governmentSubsidyIncome, 10_000, 200_000) },
  { weight: 2, min: 2, max: 2, write: twoLines('收到附属单位上缴收入', a.bank, '405', 2_000, 50_000) },
  { weight: 1, min: 2, max: 2, write: twoLines('收到银行存款利息', a.bank, '406', 10, 3_000) },
  { weight: 22, min: 2, max: 6, write: (ctx, lines) => void writeSpending(ctx, lines) },
  {
    weight: 8,
    min: 2,
    max: 3,
    write: (ctx, lines) => {
      const memos = Array.from({ length: lines - 1 }, () => ctx.rng.pick(['501', '502', '507'] as const));
      const drafted = memos.map((account) => debit(account, ctx.rng.fen(20, 2_000), ctx.rng.pick(SPENDING_MEMOS[account]!)));
      drafted.push(
        credit(
          a.cash,
          drafted.reduce((sum, line) => sum + line.debit, 0),
          '现金支付',
        ),
      );
      ctx.posted(`现金支付${drafted[0]!.memo}`, drafted);
    },
  },
  { weight: 3, min: 2, max: 2, write: twoLines('提取备用金', a.cash, a.bank, 1_000, 20_000) },
  {
    weight: 4,
    min: 2,
    max: 2,
    write: (ctx) => {
      const amount = ctx.rng.fen(1_000, 80_000);
      const reference = ctx.nextDocumentNumber('YS');
      const debtor = companyName(ctx.rng);
      ctx.posted(`确认应收场地使用费 ${reference}`, [debit(controlAccounts.receivables, amount, debtor), credit(a.otherIncome, amount, '场地使用费')]);
      ctx.subledger('receivables', reference, debtor, amount);
    },
  },
  {
    weight: 4,
    min: 2,
    max: 2,
    write: (ctx) => {
      const amount = ctx.rng.fen(1_000, 80_000);
      const reference = ctx.nextDocumentNumber('SK');
      const debtor = companyName(ctx.rng);
      ctx.posted(`收回应收款项 ${reference}`, [debit(a.bank, amount, debtor), credit(controlAccounts.receivables, amount, debtor)]);
      ctx.subledger('receivables', reference, debtor, -amount);
    },
  },
  {
    weight: 4,
    min: 2,
    max: 4,
    write: (ctx, lines) => {
      const reference = ctx.nextDocumentNumber('YF');
      const supplier = companyName(ctx.rng);
      const drafted = Array.from({ length: lines - 1 }, () => {
        const account = ctx.rng.pick(['504', '131', '501'] as const);
        return debit(account, ctx.rng.fen(500, 50_000), account === '131' ? '购入库存物品' : '采购服务');
      });
      const total = drafted.reduce((sum, line) => sum + line.debit, 0);
      drafted.push(credit(controlAccounts.payables, total, supplier));
      ctx.posted(`应付${supplier}货款 ${reference}`, drafted);
      ctx.subledger('payables', reference, supplier, -total);
    },
  },
  {
    weight: 4,
    min: 2,
    max: 2,
    write: (ctx) => {
      const amount = ctx.rng.fen(500, 50_000);
      const reference = ctx.nextDocumentNumber('FK');
      const supplier = companyName(ctx.rng);
      ctx.posted(`支付供应商款项 ${reference}`, [debit(controlAccounts.payables, amount, supplier), credit(a.bank, amount, supplier)]);
      ctx.subledger('payables', reference, supplier, amount);
    },
  },
  {
    weight: 1,
    min: 4,
    max: 4,
    write: (ctx) => {
      const amount = ctx.rng.fen(3_000, 200_000);
      ctx.posted('购置固定资产', [
        debit(a.capitalExpenditure, amount, '购置办公设备'),
        credit(a.bank, amount, '购置办公设备'),
        debit(a.fixedAssets, amount, '固定资产入账'),
        credit(a.assetFund, amount, '资产基金增加'),
      ]);
    },
  },
  { weight: 1, min: 2, max: 2, write: twoLines('计提固定资产折旧', a.assetFund, a.depreciation, 100, 20_000) },
  { weight: 2, min: 2, max: 2, write: twoLines('上缴上级工会经费', a.payableToParent, a.bank, 1_000, 100_000) },
];

const weightedTemplates = templates.map((t) => [t, t.weight] as const);

/**
 * Writes everyday posted vouchers until the ledger has written exactly `targetLines` lines (when
 * it has not already passed them), never leaving a single line over.
 */
export function writeOrdinaryVouchers(ctx: LedgerActivity, targetLines: number): void {
  for (;;) {
    const remaining = targetLines - ctx.linesWritten;
    if (remaining < 2) return;
    if (remaining <= 6) {
      writeSpending(ctx, remaining);
      continue;
    }
    const template = ctx.rng.weighted(weightedTemplates);
    let lines = ctx.rng.int(template.min, template.max);
    // Every template that can write 6 lines can also write 5: never strand a single line.
    if (remaining - lines === 1) lines -= 1;
    template.write(ctx, lines);
  }
}
