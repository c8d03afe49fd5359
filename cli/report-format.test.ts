import type { CloseReport } from '../api/services/close-report';
import { displayWidth } from './format';
import { closeReportText } from './report-format';

const report: CloseReport = {
  ledger: { code: 'GH-001', name: '某某区总工会' },
  period: '2026-10',
  state: 'closed',
  closed: { by: 'li.wei', at: '2026-11-01T02:00:00.000Z', closeId: 'c-2' },
  reopenings: [{ by: 'zhang.san', at: '2026-11-01T01:00:00.000Z', reason: '补记会费' }],
  started: { by: 'li.wei', at: '2026-11-01T01:59:00.000Z' },
  trialBalance: { accounts: 12, opening: '0.00', debit: '1234567.80', credit: '1234567.80', closing: '0.00' },
  carryForward: {
    voucherId: '77',
    number: 31,
    date: '2026-10-31',
    lines: [
      { lineNo: 1, account: '302', name: '工会资金结余', debit: '0.00', credit: '14614.00' },
      { lineNo: 2, account: '401', name: '会费收入', debit: '20000.00', credit: '0.00' },
      { lineNo: 3, account: '501', name: '职工活动支出', debit: '0.00', credit: '5386.00' },
    ],
    toNetAssets: { account: '302', name: '工会资金结余', amount: '14614.00' },
  },
  backup: { snapshotId: '5', checksum: 'abc123', lines: 40, debit: '1200000.00', credit: '1200000.00', takenAt: '2026-11-01T01:59:30.000Z' },
  acceptedDifferences: [],
  blockerActs: [{ at: '2026-11-01T01:30:00.000Z', actor: 'wang.fang', action: 'voucher.approved', target: '9', reason: null }],
  runs: [
    { closeId: 'c-1', state: 'closed', initiatedBy: 'li.wei', startedAt: '2026-11-01T00:00:00.000Z', endedAt: '2026-11-01T00:30:00.000Z', counts: false },
    { closeId: 'c-2', state: 'closed', initiatedBy: 'li.wei', startedAt: '2026-11-01T01:59:00.000Z', endedAt: '2026-11-01T02:00:00.000Z', counts: true },
  ],
};

describe('closeReportText', () => {
  const text = closeReportText(report, 'Asia/Shanghai');
  const lines = text.split('\n');

  it('when a period was reopened and closed again, then the head says who closed it, when, and every reopening with its reason, in local time', () => {
    expect(lines[0]).toBe('结账报告 close report GH-001 2026-10 (某某区总工会): closed');
    expect(lines[1]).toBe('closed by li.wei at 2026-11-01 10:00:00 +08:00 (close c-2); started by li.wei at 2026-11-01 09:59:00 +08:00');
    expect(lines[2]).toBe('reopened (反结账) by zhang.san at 2026-11-01 09:00:00 +08:00: 补记会费');
  });

  it('when amounts are shown, then in yuan with thousands separators, right-aligned', () => {
    expect(text).toMatch(/^OPENING\s+DEBIT\s+CREDIT\s+CLOSING$/m);
    expect(text).toMatch(/^\s+0\.00\s+1,234,567\.80\s+1,234,567\.80\s+0\.00$/m);
    expect(text).toContain('Carry forward (结转): voucher #31 of 2026-10-31, 14,614.00 to net assets (302 工会资金结余)');
    const carried = lines.filter((l) => /^\s*[123]\s+[345]0[12]\s/.test(l));
    expect(carried).toHaveLength(3);
    expect(carried[1]).toMatch(/401\s+会费收入\s+20,000\.00\s+0\.00$/);
    // Aligned on the screen: Chinese names take two columns a character.
    const lastPoint = (l: string) => displayWidth(l.slice(0, l.lastIndexOf('.')));
    expect(lastPoint(carried[0])).toBe(lastPoint(carried[1]));
    expect(text).toContain('Backup (备份): checksum abc123, 40 line(s), debit 1,200,000.00, credit 1,200,000.00, taken 2026-11-01 09:59:30 +08:00');
  });

  it('when nothing was accepted, then the section says none; the acts and the runs are tables, the counting run starred', () => {
    expect(text).toContain('Accepted invoice differences (已接受的发票差异): none');
    expect(text).toMatch(/^2026-11-01 09:30:00 \+08:00\s+wang\.fang\s+voucher\.approved\s+9\s+-$/m);
    expect(text).toMatch(/^\*\s+c-2\s+closed\s+li\.wei\s+2026-11-01 09:59:00 \+08:00\s+2026-11-01 10:00:00 \+08:00$/m);
    expect(text).toMatch(/^-\s+c-1\s+closed/m);
  });
});
