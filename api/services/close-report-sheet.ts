import { formatLocalTime } from '../../lib/local-time';
import { LABELS } from '../../i18n/labels';
import type { CloseReport } from './close-report';

const actName = (action: string): string => {
  const pair = (LABELS as Record<string, readonly [string, string]>)[`audit.${action}`];
  return pair ? `${pair[0]} ${action}` : action;
};

/** An amount in yuan, kept as the exact decimal string; each file format writes it its own way. */
export interface Yuan {
  yuan: string;
}
export type SheetCell = string | number | Yuan | null;
export type SheetRow = SheetCell[];

const yuan = (amount: string): Yuan => ({ yuan: amount });
const none = [['无 none']];

/** A titled table: the title, the header, the rows (or "none"), then a blank line. */
function section(title: SheetRow, header: string[], body: SheetRow[]): SheetRow[] {
  return [title, header, ...(body.length > 0 ? body : none), []];
}

/**
 * The close report as rows of one sheet, shared by the CSV and the XLSX so both say the same.
 * Headers are bilingual (Chinese first) because the file travels by e-mail to readers of either;
 * times read in `timeZone`, named in the sheet.
 */
export function closeReportSheet(r: CloseReport, timeZone: string): SheetRow[] {
  const at = (instant: string | null) => formatLocalTime(instant, timeZone);
  const cf = r.carryForward;
  const b = r.backup;
  return [
    ['结账报告 Close report'],
    ['账套 Ledger', r.ledger.code, r.ledger.name],
    ['期间 Period', r.period],
    ['状态 State', '已结账 closed'],
    ['结账人 Closed by', r.closed.by, '结账时间 Closed at', at(r.closed.at)],
    ['发起人 Started by', r.started?.by ?? null, '发起时间 Started at', at(r.started?.at ?? null)],
    ['时区 Time zone', timeZone],
    [],
    ...section(
      ['反结账 Reopenings'],
      ['时间 At', '操作人 By', '原因 Reason'],
      r.reopenings.map((o) => [at(o.at), o.by, o.reason]),
    ),
    ...section(
      ['试算平衡 Trial balance'],
      ['科目数 Accounts', '期初 Opening', '借方 Debit', '贷方 Credit', '期末 Closing'],
      [[r.trialBalance.accounts, yuan(r.trialBalance.opening), yuan(r.trialBalance.debit), yuan(r.trialBalance.credit), yuan(r.trialBalance.closing)]],
    ),
    ...section(
      ['结转凭证 Carry-forward voucher', cf ? `#${cf.number}` : null, cf?.date ?? null],
      ['行 Line', '科目 Account', '名称 Name', '借方 Debit', '贷方 Credit'],
      (cf?.lines ?? []).map((l) => [l.lineNo, l.account, l.name, yuan(l.debit), yuan(l.credit)]),
    ).slice(0, -1),
    ['转入净资产 To net assets', cf?.toNetAssets.account ?? null, cf?.toNetAssets.name ?? null, yuan(cf?.toNetAssets.amount ?? '0.00')],
    [],
    ...section(
      ['备份 Backup'],
      ['校验和 Checksum', '行数 Lines', '借方 Debit', '贷方 Credit', '备份时间 Taken at'],
      b ? [[b.checksum, b.lines, yuan(b.debit), yuan(b.credit), at(b.takenAt)]] : [],
    ),
    ...section(
      ['已接受的发票差异 Accepted invoice differences'],
      ['发票号 Number', '字段 Field', '原因 Reason', '接受人 Accepted by', '时间 At'],
      r.acceptedDifferences.map((d) => [d.number, d.field, d.reason, d.acceptedBy, at(d.acceptedAt)]),
    ),
    ...section(
      ['处理阻塞的操作 Acts on blockers'],
      ['时间 At', '操作人 Actor', '操作 Action', '对象 Target', '原因 Reason'],
      // The act in Chinese, with its audit code (what the audit log is searched by).
      r.blockerActs.map((a) => [at(a.at), a.actor, actName(a.action), a.target, a.reason]),
    ),
    ...section(
      ['结账运行 Runs'],
      ['结账编号 Close id', '状态 State', '发起人 Started by', '开始 Started', '结束 Ended', '有效 Counts'],
      r.runs.map((run) => [run.closeId, run.state, run.initiatedBy, at(run.startedAt), at(run.endedAt), run.counts ? '是 yes' : '']),
    ).slice(0, -1),
  ];
}
