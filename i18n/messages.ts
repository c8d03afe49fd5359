import type { BlockerCode } from '../close';
import type { ErrorCode } from '../lib/errors';
import type { Language } from './labels';

type Params = Record<string, string | number>;
type Template = (p: Params) => string;

const n = (p: Params) => Number(p.count ?? 0);

/**
 * A blocker's message in the reader's language, from its code and params: what is in the way and
 * what to do about it. Chinese in the terms of the field (凭证, 审核, 记账, 报销, 划拨, 退汇, 抬头…).
 */
const BLOCKER_MESSAGES: Record<BlockerCode, [Template, Template]> = {
  PREVIOUS_PERIOD_NOT_CLOSED: [
    (p) => `上期（${p.previous}）尚未结账：期间须逐月结账，请先完成上期结账。`,
    (p) => `Close ${p.previous} first: periods close one after another.`,
  ],
  OPENING_BALANCE_MISMATCH: [
    (p) => `${n(p)} 个科目的期初余额与上期（${p.previous}）期末余额不符，请调整期初余额。`,
    (p) => `Opening balances of ${n(p)} account(s) differ from the closing balances of ${p.previous}; align them.`,
  ],
  OPENING_BALANCE_UNBALANCED: [
    (p) => `期初余额借贷不平衡，借方余额多出 ¥${p.difference}，请核对期初余额。`,
    (p) => `Opening balances do not balance: debit balances exceed credit balances by ¥${p.difference}.`,
  ],
  VOUCHER_DRAFT: [
    (p) => `${n(p)} 张凭证尚未提交（草稿）：请制单人提交，或作废。`,
    (p) => `${n(p)} voucher(s) are drafts: their preparer submits or voids them.`,
  ],
  VOUCHER_SUBMITTED: [
    (p) => `${n(p)} 张凭证等待审核：请财务主管（非制单人）审核或驳回。`,
    (p) => `${n(p)} voucher(s) await approval: a finance manager other than the preparer approves or rejects them.`,
  ],
  VOUCHER_REJECTED: [
    (p) => `${n(p)} 张凭证被驳回：请制单人修改后重新提交，或作废。`,
    (p) => `${n(p)} voucher(s) were rejected: their preparer resubmits or voids them.`,
  ],
  VOUCHER_NOT_POSTED: [(p) => `${n(p)} 张凭证已审核未记账：请记账。`, (p) => `${n(p)} approved voucher(s) are not posted: post them.`],
  REIMBURSEMENT_UNPAID: [
    (p) => `${n(p)} 笔报销尚未支付：请支付并记账，或说明原因后延至下期。`,
    (p) => `${n(p)} reimbursement(s) are unpaid: pay and post them, or defer them to the next period with a reason.`,
  ],
  REIMBURSEMENT_NOT_POSTED: [(p) => `${n(p)} 笔报销已支付未记账：请记账。`, (p) => `${n(p)} paid reimbursement(s) are not posted: post them.`],
  TRANSFER_IN_TRANSIT: [
    (p) => `${n(p)} 笔资金划拨在途，尚未到账记账：系统将在下次检查时向银行查询。`,
    (p) => `${n(p)} fund transfer(s) are not settled and posted yet; the close asks the bank again at its next check.`,
  ],
  TRANSFER_FAILED: [
    (p) => `${n(p)} 笔资金划拨失败或被退汇：失败的可重新发送，退汇的请说明原因后冲销。`,
    (p) => `${n(p)} fund transfer(s) failed or were returned: re-send a failed one, or write off a return (退汇) with a reason.`,
  ],
  TRANSFER_UNKNOWN_AT_BANK: [
    (p) => `${n(p)} 笔资金划拨银行查无记录：请核对流水号。`,
    (p) => `${n(p)} fund transfer(s) are unknown to the bank: check their references.`,
  ],
  INVOICE_MISSING_ON_PLATFORM: [
    (p) => `${n(p)} 张发票尚未经税务平台确认：系统将重新上传。`,
    (p) => `${n(p)} invoice(s) are not confirmed by the tax platform; they are uploaded again.`,
  ],
  INVOICE_MISSING_IN_LEDGER: [
    (p) => `税务平台有 ${n(p)} 张发票账上没有：请补录入账，或确认差异。`,
    (p) => `${n(p)} invoice(s) are on the tax platform but not in the ledger: record them, or accept the difference.`,
  ],
  INVOICE_FIELD_MISMATCH: [
    (p) => `${n(p)} 处发票信息与税务平台不一致（抬头、纳税人识别号、金额、日期）：请以平台为准更正，或说明原因后确认差异。`,
    (p) =>
      `${n(p)} invoice field(s) differ from the tax platform (buyer, taxpayer id, amount, date): take the platform's values, or accept the difference with a reason.`,
  ],
  SUBLEDGER_UNRECONCILED: [
    (p) => `业务子账与总账不符：${Number(p.documents ?? 0) || Number(p.subledgers ?? 0)} 笔单据只记在一方，请编制调整凭证。`,
    (p) =>
      `Sub-ledgers differ from their control accounts: ${Number(p.documents ?? 0) || Number(p.subledgers ?? 0)} document(s) are booked on one side only; draft an adjusting voucher.`,
  ],
  VOUCHER_UNBALANCED: [(p) => `${n(p)} 张凭证借贷不平：请编制调整凭证。`, (p) => `${n(p)} voucher(s) do not balance: draft an adjusting voucher.`],
  TRIAL_BALANCE_UNBALANCED: [
    () => '试算不平衡：账簿数据不一致，请先检查数据完整性。',
    () => 'The trial balance does not balance: the books are inconsistent; check the database integrity before closing.',
  ],
};

export function blockerMessage(b: { code: BlockerCode; params?: Params; message: string }, language: Language): string {
  const templates = BLOCKER_MESSAGES[b.code];
  if (!templates || !b.params) return b.message;
  return templates[language === 'zh-CN' ? 0 : 1](b.params);
}

export const BLOCKER_MESSAGE_CODES = Object.keys(BLOCKER_MESSAGES) as BlockerCode[];

// --- A step retrying a technical failure by itself (issue #16, item 8) ---

/**
 * The short line a step retrying by itself shows instead of its error: what is down, that the system
 * retries, and whether anyone has anything to do (nobody, except where a rejection or malformed
 * answers need operations to look). [Chinese, English], by error code; other codes read the default.
 */
const RETRY_MESSAGES: Partial<Record<ErrorCode, [string, string]>> = {
  TAX_PLATFORM_UNAVAILABLE: [
    '税务平台暂时不可用，系统将自动重试，无需处理。',
    'The tax platform is unavailable for now; the system retries by itself, nothing to do.',
  ],
  TAX_PLATFORM_BAD_RESPONSE: [
    '税务平台返回了异常数据，系统将自动重试；如持续出现，请运维检查税务平台连接。',
    'The tax platform answered with malformed data; the system retries by itself. If it persists, operations should check the platform link.',
  ],
  TAX_PLATFORM_REJECTED: [
    '税务平台拒绝了请求，系统将继续重试；请运维核对平台凭据与发票数据。',
    'The tax platform refused the request; the system keeps retrying. Operations should check the credentials and the invoice data.',
  ],
  BANK_UNAVAILABLE: ['银行系统暂时不可用，系统将自动重试，无需处理。', 'The bank is unavailable for now; the system retries by itself, nothing to do.'],
  BANK_BAD_RESPONSE: [
    '银行返回了异常数据，系统将自动重试；如持续出现，请运维检查银行接口。',
    'The bank answered with malformed data; the system retries by itself. If it persists, operations should check the bank link.',
  ],
  BANK_REJECTED: [
    '银行拒绝了请求，系统将继续重试；请运维核对银行凭据与划拨流水号。',
    'The bank refused the request; the system keeps retrying. Operations should check the credentials and the transfer reference.',
  ],
  DATABASE_CONFLICT: [
    '同一账目有其他修改同时写入，系统将自动重试，无需处理。',
    'Another change to the same accounts was written at the same moment; the system retries by itself, nothing to do.',
  ],
  DATABASE_UNAVAILABLE: ['数据库暂时无法连接，系统将自动重试，无需处理。', 'The database is unreachable for now; the system retries by itself, nothing to do.'],
  PERIOD_BUSY: [
    '本期账簿正被其他操作写入，系统等待其完成后自动重试，无需处理。',
    "Another transaction is writing this period's books; the system waits and retries by itself, nothing to do.",
  ],
  TEMPORAL_UNAVAILABLE: [
    '工作流服务暂时不可用，系统将自动重试，无需处理。',
    'The workflow service is unavailable for now; the system retries by itself, nothing to do.',
  ],
};

const RETRY_DEFAULT: [string, string] = [
  '发生暂时性技术故障，系统将自动重试，无需处理；如持续出现，请联系运维。',
  'A temporary technical failure; the system retries by itself, nothing to do. If it persists, tell operations.',
];

export function retryMessage(code: string, language: Language): string {
  return (RETRY_MESSAGES[code as ErrorCode] ?? RETRY_DEFAULT)[language === 'zh-CN' ? 0 : 1];
}
