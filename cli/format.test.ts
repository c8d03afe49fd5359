import type { Blocker, CloseView, StepStatus } from './types';
import {
  blockersTable,
  closeDetails,
  closeProgressLine,
  closesTable,
  displayWidth,
  formatDuration,
  monthEndLine,
  progressBar,
  renderTable,
  schedulesTable,
  yuan,
} from './format';
import { CLOSE_STEPS } from '../close';

function steps(done: number, current: StepStatus['state'] = 'running'): StepStatus[] {
  return CLOSE_STEPS.map((name, i) => ({
    name,
    state: i < done ? 'done' : i === done ? current : 'pending',
    attempts: i <= done ? 1 : 0,
    startedAt: null,
    endedAt: null,
    lastError: null,
  }));
}

const close = (over: Partial<CloseView>): CloseView => ({
  id: 'c-1',
  ledger: 'GH-001',
  period: '2026-10',
  state: 'running',
  initiatedBy: 'li.wei',
  startedAt: '2026-11-01T00:00:00Z',
  endedAt: null,
  monthEndId: null,
  steps: steps(5),
  ...over,
});

describe('progressBar', () => {
  it('when 5 of 11 steps are done, then it fills 5 of 11 cells and shows the count', () => {
    expect(progressBar(5, 11)).toBe('[#####------] 5/11');
  });

  it('when every step is done, then the bar is full; when none, empty', () => {
    expect(progressBar(11, 11)).toBe('[###########] 11/11');
    expect(progressBar(0, 11)).toBe('[-----------] 0/11');
  });

  it('when the width differs from the total, then it fills in proportion', () => {
    expect(progressBar(50, 100, 10)).toBe('[#####-----] 50/100');
    expect(progressBar(0, 0, 4)).toBe('[----] 0/0');
  });
});

describe('formatDuration', () => {
  it('when under a minute, an hour, a day or more, then two units at most', () => {
    expect(formatDuration(45_900)).toBe('45s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration((2 * 3600 + 4 * 60) * 1000)).toBe('2h 04m');
    expect(formatDuration((3 * 86400 + 2 * 3600) * 1000)).toBe('3d 02h');
  });

  it('when the clock is behind the server, then it never shows a negative time', () => {
    expect(formatDuration(-5000)).toBe('0s');
  });
});

describe('renderTable', () => {
  it('when cells differ in width, then columns align to the widest and empty cells show a dash', () => {
    expect(
      renderTable(
        ['NUMBER', 'AMOUNT'],
        [
          [7, '1200.00'],
          [1234, null],
        ],
      ),
    ).toBe(['NUMBER  AMOUNT', '7       1200.00', '1234    -'].join('\n'));
  });

  it('when a cell holds Chinese text, then it counts two columns per character', () => {
    expect(displayWidth('报销')).toBe(4);
    const lines = renderTable(
      ['CLAIMANT', 'STATE'],
      [
        ['张三', 'approved'],
        ['li', 'paid'],
      ],
    ).split('\n');
    expect(lines[1].indexOf('approved')).toBe(lines[0].indexOf('STATE') - 2);
    expect(lines[2].indexOf('paid')).toBe(lines[0].indexOf('STATE'));
  });

  it('when a value holds control characters, then they are blanked so the terminal is not driven by data', () => {
    expect(renderTable(['NAME'], [['a\x1b[2Jb\nc']])).toBe('NAME\na [2Jb c');
  });
});

describe('close lines', () => {
  it('when a close runs, then the line shows the bar, the current step and its state', () => {
    expect(closeProgressLine(close({}))).toBe('[#####------] 5/11 invoice_sync running');
  });

  it('when a close waits, then the line names the blocked step', () => {
    expect(closeProgressLine(close({ state: 'blocked', steps: steps(2, 'blocked') }))).toBe('[##---------] 2/11 pending_approvals blocked');
  });

  it('when a close is closed, then the line says so with a full bar', () => {
    expect(closeProgressLine(close({ state: 'closed', steps: steps(11) }))).toBe('[###########] 11/11 closed');
  });

  it('when closes are listed, then each row has its progress, step and age', () => {
    const table = closesTable([close({})], new Date('2026-11-01T00:03:05Z'));
    expect(table.split('\n')[1]).toMatch(/^c-1\s+GH-001\s+2026-10\s+running\s+5\/11\s+invoice_sync\s+3m 05s\s+-$/);
  });

  it('when a close is past its due time, then its row says LATE beside the due time', () => {
    const table = closesTable([close({ dueAt: '2026-11-04T16:00:00.000Z', late: true })], new Date('2026-11-05T00:03:05Z'));
    expect(table.split('\n')[1]).toMatch(/\s2026-11-04 16:00Z LATE$/);
  });
});

describe('blockersTable', () => {
  const mismatch: Blocker = {
    code: 'INVOICE_FIELD_MISMATCH',
    step: 'invoice_sync',
    owner: 'operations',
    total: 3,
    message: 'Invoices differ from the platform.',
    items: [
      { invoiceId: '41', number: '044001900111', field: 'buyerName', ledger: '某某工会', platform: '某某市总工会' },
      { invoiceId: '42', number: '044001900112', field: 'amount', ledger: '100.00', platform: '110.00' },
    ],
  };

  it('when an invoice field differs, then both values are shown under the code, who acts and the message', () => {
    const text = blockersTable([mismatch]);
    expect(text).toContain('INVOICE_FIELD_MISMATCH (invoice_sync) — 3 item(s), to act: operations');
    expect(text).toContain('Invoices differ from the platform.');
    expect(text).toMatch(/invoiceId\s+number\s+field\s+ledger\s+platform/);
    expect(text).toMatch(/044001900111\s+buyerName\s+某某工会\s+某某市总工会/);
    expect(text).toMatch(/044001900112\s+amount\s+100\.00\s+110\.00/);
  });

  it('when items arrive with their keys reordered (jsonb), then the columns still read ids, names, amounts, people', () => {
    const item = { date: '2026-10-15', amount: '1234.50', number: 7, approver: null, preparer: 'clerk', voucherId: '42' };
    const blocker: Blocker = { code: 'VOUCHER_SUBMITTED', step: 'pending_approvals', owner: 'finance_manager', total: 1, message: 'm', items: [item] };
    expect(blockersTable([blocker]).split('\n')[2]).toMatch(/^\s+voucherId\s+number\s+date\s+amount\s+preparer\s+approver$/);
  });

  it('when the API listed fewer items than there are, then it says how many more', () => {
    expect(blockersTable([mismatch])).toContain('… and 1 more');
  });
});

describe('monthEndLine', () => {
  it('when a month-end is under way, then it shows closed of total and every count', () => {
    const line = monthEndLine({ total: 10, closed: 4, blocked: 2, running: 3, failed: 1, cancelled: 0, notStarted: 0, blockedLedgers: [], failedLedgers: [] });
    expect(line).toBe('[####------] 4/10 4 closed · 2 blocked · 3 running · 1 failed · 0 cancelled · 0 not started');
  });
});

describe('schedulesTable', () => {
  it('when schedules cover a parent or a list, then each row says which ledgers, when, its state and next run', () => {
    const base = { dayOfMonth: 1, hour: 1, minute: 5, timeZone: 'Asia/Shanghai', concurrency: 50, note: null, nextActionTimes: ['2026-11-30T17:05:00.000Z'] };
    const lines = schedulesTable([
      { ...base, id: 'fed', scope: { parent: 'FED-01' }, paused: false },
      { ...base, id: 'two', scope: { ledgers: ['GH-001', 'GH-002'] }, paused: true, nextActionTimes: [] },
    ]).split('\n');
    // The next run reads in the reader's zone: 17:05 UTC is 01:05 the next day in Shanghai.
    expect(lines[1]).toMatch(/^fed\s+children of FED-01\s+day 1 01:05 Asia\/Shanghai\s+active\s+2026-12-01 01:05:00 \+08:00\s+-$/);
    expect(schedulesTable([{ ...base, id: 'fed', scope: { parent: 'FED-01' }, paused: false }], 'UTC')).toContain('2026-11-30 17:05:00 +00:00');
    expect(lines[2]).toMatch(/^two\s+GH-001,GH-002\s+day 1 01:05 Asia\/Shanghai\s+paused\s+-\s+-$/);
  });
});

describe('money in tables', () => {
  it('when an amount comes as a decimal string, then it reads in yuan with thousands separators, to the fen', () => {
    expect(yuan('14614.00')).toBe('14,614.00');
    expect(yuan('-1234567.05')).toBe('-1,234,567.05');
    expect(yuan(null)).toBe('');
  });

  it('when blockers carry amounts, then every amount column is grouped and aligned right; ids and numbers are not', () => {
    const unreconciled: Blocker = {
      code: 'SUBLEDGER_UNRECONCILED',
      step: 'reconciliation',
      owner: 'accountant',
      total: 2,
      message: 'm',
      items: [
        { subledger: 'receivables', generalLedger: '1234567.80', subledgerTotal: '1220000.00', difference: '14567.80' },
        { subledger: 'payables', generalLedger: '5.00', subledgerTotal: '0.00', difference: '5.00' },
      ],
    };
    const lines = blockersTable([unreconciled]).split('\n');
    expect(lines[2]).toMatch(/^\s+subledger\s+generalLedger\s+subledgerTotal\s+difference$/);
    expect(lines[3]).toMatch(/^\s+receivables\s+1,234,567\.80\s+1,220,000\.00\s+14,567\.80$/);
    expect(lines[4]).toMatch(/^\s+payables\s+5\.00\s+0\.00\s+5\.00$/);
    // Right-aligned: the decimal points stand in one column.
    expect(lines[3].indexOf('.80')).toBe(lines[4].indexOf('.00'));

    const voucher: Blocker = {
      code: 'VOUCHER_SUBMITTED',
      step: 'pending_approvals',
      owner: 'finance_manager',
      total: 1,
      message: 'm',
      items: [{ voucherId: '123456', number: 10234, amount: '14614.00' }],
    };
    expect(blockersTable([voucher]).split('\n')[3]).toMatch(/^\s+123456\s+10234\s+14,614\.00$/);
  });

  it('when an invoice differs in its amount, then both sides read as money; when in its buyer, as text', () => {
    const mismatch: Blocker = {
      code: 'INVOICE_FIELD_MISMATCH',
      step: 'invoice_sync',
      owner: 'accountant',
      total: 2,
      message: 'm',
      items: [
        { invoiceId: '1', number: '0440', field: 'amount', ledger: '12000.00', platform: '12100.00' },
        { invoiceId: '2', number: '0441', field: 'buyerTaxId', ledger: '1000', platform: '1001' },
      ],
    };
    const text = blockersTable([mismatch]);
    expect(text).toMatch(/0440\s+amount\s+12,000\.00\s+12,100\.00/);
    expect(text).toMatch(/0441\s+buyerTaxId\s+1000\s+1001/);
  });
});

describe("times in the reader's zone", () => {
  it('when a close is shown, then its start, end and errors read in Asia/Shanghai unless another zone is asked for', () => {
    const failed = close({
      state: 'failed',
      endedAt: '2026-11-01T00:03:05Z',
      errors: [{ at: '2026-11-01T00:03:00Z', step: 'backup', attempt: 1, code: 'SNAPSHOT_MISMATCH', message: 'm' }],
    });
    const shanghai = closeDetails(failed, new Date('2026-11-01T01:00:00Z'));
    expect(shanghai.split('\n')[1]).toBe('started 2026-11-01 08:00:00 +08:00 by li.wei, ended 2026-11-01 08:03:05 +08:00 (3m 05s)');
    expect(shanghai).toMatch(/^2026-11-01 08:03:00 \+08:00\s+backup\s+1\s+SNAPSHOT_MISMATCH\s+m$/m);
    expect(closeDetails(failed, new Date(), 'Europe/London').split('\n')[1]).toContain('started 2026-11-01 00:00:00 +00:00');
  });
});
