import type { CloseReport } from '../api/services/close-report';
import { localTime, renderTable, yuan } from './format';

const AMOUNTS = new Set(['OPENING', 'DEBIT', 'CREDIT', 'CLOSING', 'AMOUNT']);

/** A titled table, or the title and "none" when there is nothing to list. */
function titled(title: string, headers: string[], rows: Array<Array<string | number | null>>): string {
  return rows.length === 0 ? `${title}: none` : `${title}\n${renderTable(headers, rows, AMOUNTS)}`;
}

/** 结账报告 for a terminal: who closed the period and when, then each part of the report as a table. */
export function closeReportText(r: CloseReport, timeZone: string): string {
  const at = (instant: string | null) => localTime(instant, timeZone);
  const cf = r.carryForward;
  const b = r.backup;
  const t = r.trialBalance;
  const head = [
    `结账报告 close report ${r.ledger.code} ${r.period} (${r.ledger.name}): ${r.state}`,
    `closed by ${r.closed.by} at ${at(r.closed.at)} (close ${r.closed.closeId})` + (r.started ? `; started by ${r.started.by} at ${at(r.started.at)}` : ''),
    ...r.reopenings.map((o) => `reopened (反结账) by ${o.by} at ${at(o.at)}: ${o.reason ?? '-'}`),
  ].join('\n');
  const totals = titled(
    `Trial balance (试算平衡), ${t.accounts} account(s)`,
    ['OPENING', 'DEBIT', 'CREDIT', 'CLOSING'],
    [[yuan(t.opening), yuan(t.debit), yuan(t.credit), yuan(t.closing)]],
  );
  const carry = cf
    ? titled(
        `Carry forward (结转): voucher #${cf.number} of ${cf.date}, ${yuan(cf.toNetAssets.amount)} to net assets (${cf.toNetAssets.account} ${cf.toNetAssets.name})`,
        ['LINE', 'ACCOUNT', 'NAME', 'DEBIT', 'CREDIT'],
        cf.lines.map((l) => [l.lineNo, l.account, l.name, yuan(l.debit), yuan(l.credit)]),
      )
    : 'Carry forward (结转): no income or expenditure to carry, no voucher';
  const backup = b
    ? `Backup (备份): checksum ${b.checksum}, ${b.lines} line(s), debit ${yuan(b.debit)}, credit ${yuan(b.credit)}, taken ${at(b.takenAt)}`
    : 'Backup (备份): none recorded';
  const differences = titled(
    'Accepted invoice differences (已接受的发票差异)',
    ['NUMBER', 'FIELD', 'REASON', 'ACCEPTED BY', 'AT'],
    r.acceptedDifferences.map((d) => [d.number, d.field, d.reason, d.acceptedBy, at(d.acceptedAt)]),
  );
  const acts = titled(
    'Acts on blockers (处理阻塞)',
    ['AT', 'BY', 'ACTION', 'TARGET', 'REASON'],
    r.blockerActs.map((a) => [at(a.at), a.actor, a.action, a.target, a.reason]),
  );
  const runs = titled(
    'Runs (结账运行); * the one that counts',
    ['', 'CLOSE', 'STATE', 'STARTED BY', 'STARTED', 'ENDED'],
    r.runs.map((run) => [run.counts ? '*' : '', run.closeId, run.state, run.initiatedBy, at(run.startedAt), at(run.endedAt)]),
  );
  return [head, totals, carry, backup, differences, acts, runs].join('\n\n');
}
