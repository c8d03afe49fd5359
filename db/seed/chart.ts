import type { AccountClass, Subledger } from '../schema';

export interface ChartAccount {
  code: string;
  name: string;
  class: AccountClass;
  controlOf?: Subledger;
  carryForwardTarget?: boolean;
}

/**
 * The chart of accounts of a trade union (工会会计制度), the same for a federation (总工会) and its
 * grassroots unions (基层工会). Four accounts are the general-ledger control accounts of the
 * business sub-ledgers; 工会资金结余 receives the period's income and expenditure at carry-forward.
 */
export const unionChart: readonly ChartAccount[] = [
  { code: '101', name: '库存现金', class: 'asset' },
  { code: '102', name: '银行存款', class: 'asset' },
  { code: '111', name: '应收上级经费', class: 'asset' },
  { code: '112', name: '应收款项', class: 'asset', controlOf: 'receivables' },
  { code: '113', name: '开票应收款', class: 'asset', controlOf: 'invoices' },
  { code: '121', name: '应收下级经费', class: 'asset' },
  { code: '131', name: '库存物品', class: 'asset' },
  { code: '141', name: '投资', class: 'asset' },
  { code: '151', name: '固定资产', class: 'asset' },
  { code: '152', name: '累计折旧', class: 'asset' },
  { code: '201', name: '应付款项', class: 'liability', controlOf: 'payables' },
  { code: '202', name: '应付上级经费', class: 'liability' },
  { code: '203', name: '应付下级经费', class: 'liability' },
  { code: '204', name: '其他应付款-报销', class: 'liability', controlOf: 'reimbursements' },
  { code: '211', name: '代管经费', class: 'liability' },
  { code: '212', name: '应交税费', class: 'liability' },
  { code: '301', name: '工会资金', class: 'net_asset' },
  { code: '302', name: '工会资金结余', class: 'net_asset', carryForwardTarget: true },
  { code: '311', name: '专用基金', class: 'net_asset' },
  { code: '321', name: '资产基金', class: 'net_asset' },
  { code: '401', name: '会费收入', class: 'income' },
  { code: '402', name: '拨缴经费收入', class: 'income' },
  { code: '403', name: '上级补助收入', class: 'income' },
  { code: '404', name: '政府补助收入', class: 'income' },
  { code: '405', name: '附属单位上缴收入', class: 'income' },
  { code: '406', name: '投资收益', class: 'income' },
  { code: '409', name: '其他收入', class: 'income' },
  { code: '501', name: '职工活动支出', class: 'expenditure' },
  { code: '502', name: '职工服务支出', class: 'expenditure' },
  { code: '503', name: '维权支出', class: 'expenditure' },
  { code: '504', name: '业务支出', class: 'expenditure' },
  { code: '505', name: '资本性支出', class: 'expenditure' },
  { code: '506', name: '补助下级支出', class: 'expenditure' },
  { code: '507', name: '行政支出', class: 'expenditure' },
  { code: '509', name: '其他支出', class: 'expenditure' },
];

/** The accounts the generator, fixtures and tests refer to by role rather than by number. */
export const accounts = {
  cash: '101',
  bank: '102',
  receivables: '112',
  invoiceReceivables: '113',
  fixedAssets: '151',
  depreciation: '152',
  payables: '201',
  payableToParent: '202',
  reimbursementsPayable: '204',
  taxPayable: '212',
  unionFund: '301',
  fundBalance: '302',
  assetFund: '321',
  duesIncome: '401',
  allocatedFundsIncome: '402',
  parentSubsidyIncome: '403',
  governmentSubsidyIncome: '404',
  otherIncome: '409',
  memberActivities: '501',
  memberServices: '502',
  capitalExpenditure: '505',
  subsidiesToUnits: '506',
  administration: '507',
} as const;

/** The control account of each sub-ledger. */
export const controlAccounts: Readonly<Record<Subledger, string>> = Object.fromEntries(
  unionChart.filter((a) => a.controlOf).map((a) => [a.controlOf!, a.code]),
) as Record<Subledger, string>;

export const incomeAccounts = unionChart.filter((a) => a.class === 'income').map((a) => a.code);
export const expenditureAccounts = unionChart.filter((a) => a.class === 'expenditure').map((a) => a.code);

/** Anything that runs SQL: a pg client, a TypeORM DataSource, EntityManager or QueryRunner. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Writes the chart for every given ledger in one set-based INSERT. */
export async function writeChart(sql: SqlRunner, ledgerIds: readonly number[]): Promise<void> {
  if (ledgerIds.length === 0) return;
  await sql.query(
    `INSERT INTO account (ledger_id, code, name, class, control_of, carry_forward_target)
     SELECT l.id, c.code, c.name, c.class, c.control_of, c.carry_forward_target
     FROM unnest($1::int[]) AS l(id)
     CROSS JOIN unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[])
       AS c(code, name, class, control_of, carry_forward_target)`,
    [
      ledgerIds,
      unionChart.map((a) => a.code),
      unionChart.map((a) => a.name),
      unionChart.map((a) => a.class),
      unionChart.map((a) => a.controlOf ?? null),
      unionChart.map((a) => a.carryForwardTarget === true),
    ],
  );
}
