import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { nextPeriod } from '../../lib/period';
import { standInAdmin } from '../../simulators/common/admin-client';
import { addInvoice, addReimbursement, addVoucher, createLedger } from '../fixtures/books';
import { startApiHarness, type ApiHarness } from '../api/harness';
import { closedPort, lastPeriod, listen, type Listening } from './serve';

const root = path.resolve(__dirname, '../..');
const binary = path.join(root, 'bin/closectl.js');
const period = lastPeriod();

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real binary in a child process, as a script would run it (no TTY: one line per change). */
function closectl(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const { CLOSE_API_URL: _url, CLOSE_API_TOKEN: _token, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, [binary, ...args], { cwd: root, env: { ...inherited, ...env }, timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

async function waitForStatus(run: () => Promise<Run>, done: (r: Run) => boolean, what: string, timeoutMs = 40_000): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  let last: Run | undefined;
  while (Date.now() < deadline) {
    last = await run();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

describe('closectl against the real API, worker and database', () => {
  let h: ApiHarness;
  let api: Listening;
  let as: (user: 'fm' | 'clerk' | 'ops') => Record<string, string>;

  beforeAll(async () => {
    // The binary runs the compiled CLI, built by the global set-up as `npm run build` does.
    h = await startApiHarness();
    api = await listen(h.app);
    as = (user) => ({ CLOSE_API_URL: api.url, CLOSE_API_TOKEN: h.tokens[user] });
  }, 180_000);

  afterAll(async () => {
    await api?.close();
    await h?.stop();
  });

  it('when a close meets unapproved vouchers, then start --follow exits 2 with the blockers as a table; approve, post, resume and defer via closectl close it', async () => {
    const ledger = await createLedger(h.ds, { code: 'CLI-BLOCK', firstPeriod: period, openingBalances: { '102': 10_000_00, '301': -10_000_00 } });
    const lines = [
      { account: '501', debit: 1_234_50 },
      { account: '102', credit: 1_234_50 },
    ];
    const submitted = await addVoucher(h.ds, { ledgerId: ledger.id, period, preparer: 'clerk', state: 'submitted', lines });
    const approved = await addVoucher(h.ds, { ledgerId: ledger.id, period, preparer: 'clerk', approver: 'fm2', state: 'approved', lines });
    const claim = await addReimbursement(h.ds, { ledgerId: ledger.id, period, claimant: '王芳', amount: 300_00, state: 'approved' });

    const started = await closectl(['start', 'CLI-BLOCK', period, '--follow'], as('fm'));
    expect(started.stderr).toBe('');
    expect(started.code).toBe(2);
    const closeId = /^close (\S+): started$/m.exec(started.stdout)?.[1];
    expect(closeId).toMatch(/^[0-9a-f-]{36}$/);
    // Every check runs while blocked (#15), so the steps done count the checks that passed too.
    expect(started.stdout).toMatch(/^CLI-BLOCK \S+ \[#+-+\] \d+\/11 pending_approvals blocked$/m);
    expect(started.stdout).toContain('VOUCHER_SUBMITTED (pending_approvals) — 1 item(s), to act: finance_manager');
    expect(started.stdout).toContain('VOUCHER_NOT_POSTED (pending_approvals) — 1 item(s), to act: finance_manager');
    // Since #15 each item also names its owner, the person who must act.
    expect(started.stdout).toMatch(/^\s+voucherId\s+number\s+date\s+amount\s+preparer\s+approver\s+owner$/m);
    expect(started.stdout).toMatch(new RegExp(`^\\s+${submitted.id}\\s+${submitted.number}\\s+\\S+\\s+1,234\\.50\\s+clerk\\s+-\\s+-$`, 'm'));

    const status = await closectl(['status', closeId!], as('fm'));
    expect(status.code).toBe(2);
    expect(status.stdout).toMatch(/pending_approvals\s+blocked/);
    const blockedList = await closectl(['list', '--blocked'], as('fm'));
    expect(blockedList.stdout).toMatch(new RegExp(`^${closeId}\\s+CLI-BLOCK\\s+${period}\\s+blocked\\s+\\d+/11\\s+pending_approvals`, 'm'));

    expect(await closectl(['approve', submitted.id], as('fm'))).toMatchObject({ code: 0, stdout: `voucher ${submitted.id}: approved\n` });
    expect(await closectl(['post', submitted.id], as('fm'))).toMatchObject({ code: 0, stdout: `voucher ${submitted.id}: posted\n` });
    expect(await closectl(['post', approved.id], as('fm'))).toMatchObject({ code: 0 });
    // The unpaid claim keeps the close waiting at the next step, so resume always meets a live close.
    expect(await closectl(['resume', closeId!], as('fm'))).toMatchObject({ code: 0, stdout: `close ${closeId}: resume requested\n` });

    const atClaims = await waitForStatus(
      () => closectl(['status', closeId!, '--json'], as('fm')),
      (r) => r.code === 2 && JSON.parse(r.stdout).blockers.some((b: { code: string }) => b.code === 'REIMBURSEMENT_UNPAID'),
      'the reimbursement blocker',
    );
    expect(JSON.parse(atClaims.stdout).blockers[0].items).toEqual([expect.objectContaining({ reimbursementId: claim.id, claimant: '王芳', amount: '300.00' })]);

    expect(await closectl(['defer', claim.id, '--reason', '下月支付 paid next month'], as('fm'))).toMatchObject({ code: 0 });
    await closectl(['resume', closeId!], as('fm'));
    await waitForStatus(
      () => closectl(['status', closeId!, '--json'], as('fm')),
      (r) => !['running', 'blocked'].includes(JSON.parse(r.stdout).state),
      'the close ending',
    );
    const closed = await closectl(['status', closeId!], as('fm'));
    expect(closed.code).toBe(0);
    expect(closed.stdout.split('\n')[0]).toBe(`close ${closeId}: ledger CLI-BLOCK, period ${period}, closed`);
    expect(closed.stdout).toContain('[###########] 11/11 closed');
  });

  it('when the period is closed, then report prints who closed it, the figures in yuan and the acts on its blockers; --csv and --xlsx save the files', async () => {
    // CLI-BLOCK was closed by the test above: 2 × 1,234.50 of expenditure carried to net assets.
    const text = await closectl(['report', 'CLI-BLOCK', period], as('clerk'));
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe(`结账报告 close report CLI-BLOCK ${period} (CLI-BLOCK 工会委员会): closed`);
    expect(text.stdout).toMatch(/^closed by fm at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00 \(close [0-9a-f-]{36}\); started by fm at /m);
    expect(text.stdout).toMatch(/Carry forward \(结转\): voucher #3 of \d{4}-\d\d-\d\d, -2,469\.00 to net assets \(302 工会资金结余\)/);
    expect(text.stdout).toMatch(/^\s*2\s+501\s+职工活动支出\s+0\.00\s+2,469\.00$/m);
    expect(text.stdout).toMatch(/\s+fm\s+voucher\.approved\s/);
    expect(text.stdout).toMatch(/\s+fm\s+reimbursement\.deferred\s+\d+\s+下月支付 paid next month$/m);
    expect(text.stdout).toMatch(/^\*\s+[0-9a-f-]{36}\s+closed\s+fm\s/m);

    const utc = await closectl(['report', 'CLI-BLOCK', period, '--tz', 'UTC'], as('clerk'));
    expect(utc.stdout).toMatch(/^closed by fm at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+00:00 /m);

    const dir = await mkdtemp(path.join(os.tmpdir(), 'closectl-report-'));
    const csvFile = path.join(dir, 'report.csv');
    const csv = await closectl(['report', 'CLI-BLOCK', period, '--csv', '--out', csvFile], as('clerk'));
    expect(csv).toMatchObject({ code: 0, stderr: '' });
    expect(csv.stdout).toMatch(new RegExp(`^CLI-BLOCK ${period}: close report saved to ${csvFile} \\(csv, \\d+ bytes\\)\n$`));
    const csvText = await readFile(csvFile, 'utf8');
    expect(csvText.startsWith('\uFEFF结账报告 Close report\r\n')).toBe(true);
    expect(csvText).toContain('转入净资产 To net assets,302,工会资金结余,-2469.00');

    const xlsxFile = path.join(dir, 'report.xlsx');
    expect(await closectl(['report', 'CLI-BLOCK', period, '--out', xlsxFile], as('clerk'))).toMatchObject({ code: 0, stderr: '' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsxFile);
    const values: unknown[] = [];
    workbook.worksheets[0].eachRow((row) => values.push((row.values as unknown[]).slice(1)));
    expect(values).toContainEqual(['转入净资产 To net assets', '302', '工会资金结余', -2469]);

    const open = await closectl(['report', 'CLI-BLOCK', nextPeriod(period)], as('clerk'));
    expect(open.code).toBe(5);
    expect(open.stderr).toMatch(
      new RegExp(
        `^error REPORT_PERIOD_NOT_CLOSED: Period ${nextPeriod(period)} of ledger CLI-BLOCK is not closed; close it first \\(closectl start CLI-BLOCK ${nextPeriod(period)}\\)`,
      ),
    );
    const xlsxToTerminal = await closectl(['report', 'CLI-BLOCK', period, '--xlsx'], as('clerk'));
    expect(xlsxToTerminal).toMatchObject({ code: 4, stderr: 'error USAGE: --xlsx needs --out FILE\n' });
  });

  it('when a close is already under way, then follow shows it like start --follow: exit 2 on blockers with amounts in yuan, 0 once closed', async () => {
    const ledger = await createLedger(h.ds, { code: 'CLI-FOLLOW', firstPeriod: period, openingBalances: { '102': 50_000_00, '301': -50_000_00 } });
    const voucher = await addVoucher(h.ds, {
      ledgerId: ledger.id,
      period,
      preparer: 'clerk',
      state: 'submitted',
      lines: [
        { account: '501', debit: 14_614_00 },
        { account: '102', credit: 14_614_00 },
      ],
    });
    const started = await closectl(['start', 'CLI-FOLLOW', period, '--json'], as('fm'));
    const closeId: string = JSON.parse(started.stdout).id;

    const blocked = await closectl(['follow', closeId], as('ops'));
    expect(blocked.stderr).toBe('');
    expect(blocked.code).toBe(2);
    expect(blocked.stdout.split('\n')[0]).toBe(`close ${closeId}: following it`);
    expect(blocked.stdout).toMatch(/^CLI-FOLLOW \S+ \[#+-+\] \d+\/11 pending_approvals blocked$/m);
    expect(blocked.stdout).toContain(`close ${closeId} waits on blockers:`);
    expect(blocked.stdout).toMatch(new RegExp(`^\\s+${voucher.id}\\s+${voucher.number}\\s+\\S+\\s+14,614\\.00\\s+clerk\\s+-\\s+-$`, 'm'));

    await closectl(['approve', voucher.id], as('fm'));
    await closectl(['post', voucher.id], as('fm'));
    const closed = await closectl(['follow', closeId], as('ops'));
    expect(closed.code).toBe(0);
    expect(closed.stdout.trimEnd().split('\n').pop()).toBe(`close ${closeId}: CLI-FOLLOW ${period} closed`);

    const missing = await closectl(['follow', '00000000-0000-4000-8000-000000000000'], as('ops'));
    expect(missing.code).toBe(5);
    expect(missing.stderr).toMatch(/^error CLOSE_NOT_FOUND: /);
  });

  it("when an id is short or malformed, then the API's refusal names the field and what is wrong, not 'see details'", async () => {
    const short = await closectl(['follow', 'abc'], as('ops'));
    expect({ code: short.code, stderr: short.stderr }).toEqual({ code: 5, stderr: 'error VALIDATION_FAILED: The request is not valid: id: Invalid UUID\n' });
    const voucher = await closectl(['approve', '12x'], as('fm'));
    expect(voucher.code).toBe(5);
    expect(voucher.stderr).toMatch(/^error VALIDATION_FAILED: The request is not valid: id: \S.*\n$/);
    expect(voucher.stderr).not.toContain('see details');
    const badZone = await closectl(['status', '00000000-0000-4000-8000-000000000000', '--tz', 'Mars/Olympus'], as('ops'));
    expect(badZone.code).toBe(4);
    expect(badZone.stderr).toMatch(/^error USAGE: .*Mars\/Olympus.*IANA time zone/);
  });

  it('when check is asked before a close, then every blocker of the period is shown at once and nothing is started; --parent counts a federation', async () => {
    await createLedger(h.ds, { code: 'CLI-FED', firstPeriod: period });
    const ledger = await createLedger(h.ds, {
      code: 'CLI-CHECK',
      parentCode: 'CLI-FED',
      firstPeriod: period,
      openingBalances: { '102': 5_000_00, '301': -5_000_00 },
    });
    await createLedger(h.ds, { code: 'CLI-CHECK-OK', parentCode: 'CLI-FED', firstPeriod: period });
    const lines = [
      { account: '501', debit: 99_00 },
      { account: '102', credit: 99_00 },
    ];
    await addVoucher(h.ds, { ledgerId: ledger.id, period, preparer: 'clerk', state: 'draft', lines });
    await addReimbursement(h.ds, { ledgerId: ledger.id, period, claimant: '李娜', amount: 120_00, state: 'approved' });

    const one = await closectl(['check', 'CLI-CHECK', period], as('clerk'));
    expect(one.stderr).toBe('');
    expect(one.code).toBe(2);
    expect(one.stdout).toContain(`CLI-CHECK ${period}: not ready`);
    // Two steps' blockers in one answer: the pending approvals and the reimbursements.
    expect(one.stdout).toContain('VOUCHER_DRAFT (pending_approvals)');
    expect(one.stdout).toContain('REIMBURSEMENT_UNPAID (reimbursements)');
    const runs = await h.ds.query(`SELECT count(*)::int AS n FROM close_run r JOIN ledger l ON l.id = r.ledger_id WHERE l.code = 'CLI-CHECK'`);
    expect(runs[0].n).toBe(0);

    const clean = await closectl(['check', 'CLI-CHECK-OK', period], as('clerk'));
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain(`CLI-CHECK-OK ${period}: ready to close`);

    const fed = await closectl(['check', '--parent', 'CLI-FED', period], as('fm'));
    expect(fed.code).toBe(2);
    expect(fed.stdout).toContain(`CLI-FED ${period}: 1 of 2 ledger(s) ready`);
    expect(fed.stdout).toMatch(/CLI-CHECK\s.*VOUCHER_DRAFT×1/);
    expect(fed.stdout).not.toMatch(/^\s*CLI-CHECK-OK\s/m);

    const usage = await closectl(['check', 'CLI-CHECK'], as('fm'));
    expect(usage.code).toBe(4);
    expect(usage.stderr).toMatch(/^error USAGE: /);
  });

  it('when the books are clean, then start --follow shows the progress bar line by line and exits 0 once closed', async () => {
    await createLedger(h.ds, { code: 'CLI-CLEAN', firstPeriod: period, openingBalances: { '102': 5_000_00, '301': -5_000_00 } });
    const run = await closectl(['start', 'CLI-CLEAN', period, '--follow'], as('fm'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const progress = run.stdout.split('\n').filter((l) => l.startsWith('CLI-CLEAN '));
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[progress.length - 1]).toBe(`CLI-CLEAN ${period} [###########] 11/11 closed`);
    expect(run.stdout.trimEnd().split('\n').pop()).toMatch(new RegExp(`^close \\S+: CLI-CLEAN ${period} closed$`));

    const again = await closectl(['start', 'CLI-CLEAN', period], as('fm'));
    expect(again).toMatchObject({ code: 5, stdout: '' });
    expect(again.stderr).toMatch(/^error PERIOD_ALREADY_CLOSED: .+\n$/);
  });

  it('when a month-end covers a clean ledger and a blocked one, then --follow shows the counts and exits 2 naming the blocked ledger', async () => {
    await createLedger(h.ds, { code: 'CLI-ME-OK', firstPeriod: period, openingBalances: { '102': 1_000_00, '301': -1_000_00 } });
    const blocked = await createLedger(h.ds, { code: 'CLI-ME-WAIT', firstPeriod: period, openingBalances: { '102': 1_000_00, '301': -1_000_00 } });
    await addVoucher(h.ds, {
      ledgerId: blocked.id,
      period,
      preparer: 'clerk',
      state: 'submitted',
      lines: [
        { account: '501', debit: 10_00 },
        { account: '102', credit: 10_00 },
      ],
    });

    const run = await closectl(['month-end', period, '--ledgers', 'CLI-ME-OK,CLI-ME-WAIT', '--follow'], as('fm'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^month-end \S+: started for \d{4}-\d{2}$/m);
    expect(run.stdout).toMatch(/\[#-\] 1\/2 1 closed · 1 blocked · 0 running · 0 failed · 0 cancelled · 0 not started$/m);
    expect(run.stdout).toMatch(/^CLI-ME-WAIT\s+blocked\s+VOUCHER_SUBMITTED\s+[0-9a-f-]{36}$/m);
  });

  it('when an administrator manages a schedule, then create (paused), unpause, list, show and delete act on the real Temporal schedule', async () => {
    const admin = { CLOSE_API_URL: api.url, CLOSE_API_TOKEN: h.tokens.admin };
    const created = await closectl(['schedules', 'create', 'cli-monthly', '--ledgers', 'CLI-CLEAN', '--day', '3', '--hour', '0', '--paused'], admin);
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/^cli-monthly\s+CLI-CLEAN\s+day 3 00:00 Asia\/Shanghai\s+paused\s/m);
    expect(await closectl(['schedules', 'unpause', 'cli-monthly'], admin)).toMatchObject({ code: 0, stdout: 'schedule cli-monthly: unpaused\n' });
    expect((await closectl(['schedules', 'list'], admin)).stdout).toMatch(/^cli-monthly\s+CLI-CLEAN\s+day 3 00:00 Asia\/Shanghai\s+active\s/m);
    expect(await closectl(['schedules', 'delete', 'cli-monthly'], admin)).toMatchObject({ code: 0 });
    const gone = await closectl(['schedules', 'show', 'cli-monthly'], admin);
    expect(gone.code).toBe(5);
    expect(gone.stderr).toMatch(/^error SCHEDULE_NOT_FOUND: /);
  });

  it('when invoices differ from the tax platform, then sync-invoices exits 2 with the differences; once fixed it exits 0, agreed by digest', async () => {
    const seller = '91310000MA1FLCLI01';
    const l = await createLedger(h.ds, { code: 'CLI-INV', firstPeriod: period, taxpayerId: seller, openingBalances: {} });
    const wrong = await addInvoice(h.ds, {
      ledgerId: l.id,
      period,
      number: 'CLI-0001',
      sellerTaxId: seller,
      buyerName: '杭州某某有限公司',
      buyerTaxId: '91110000MA00BUYER1',
      amount: 500_00,
      tax: 65_00,
      date: `${period}-05`,
    });
    await standInAdmin(h.stack.taxPlatformUrl).request('POST', '/invoices', {
      invoices: [
        {
          number: 'CLI-0001',
          sellerTaxId: seller,
          buyerName: '杭州某某科技有限公司',
          buyerTaxId: '91110000MA00BUYER1',
          amount: 500_00,
          tax: 65_00,
          date: `${period}-05`,
        },
      ],
    });

    const differs = await closectl(['sync-invoices', 'CLI-INV', period], as('fm'));
    expect(differs.code).toBe(2);
    expect(differs.stdout.split('\n')[0]).toBe(`invoice sync CLI-INV ${period}: 1 uploaded, 0 matched, platform holds 1 (by listing)`);
    expect(differs.stdout).toContain('INVOICE_FIELD_MISMATCH (invoice_sync) — 1 item(s), to act: accountant');
    expect(differs.stdout).toContain('杭州某某科技有限公司');

    await h.ds.query(`UPDATE invoice SET buyer_name = '杭州某某科技有限公司' WHERE id = $1`, [wrong.id]);
    const agreed = await closectl(['sync-invoices', 'CLI-INV', period], as('fm'));
    expect({ code: agreed.code, out: agreed.stdout.trim() }).toEqual({
      code: 0,
      out: `invoice sync CLI-INV ${period}: 0 uploaded, 1 matched, platform holds 1 (by digest); no differences`,
    });
    const latest = await closectl(['sync-invoices', 'CLI-INV', period, '--status', '--json'], as('clerk'));
    expect(latest.code).toBe(0);
    expect(JSON.parse(latest.stdout)).toMatchObject({ state: 'done', reconciledBy: 'digest', matched: 1, differences: [] });
    const refused = await closectl(['sync-invoices', 'CLI-INV', period], as('clerk'));
    expect({ code: refused.code, line: refused.stderr.split(':')[0] }).toEqual({ code: 5, line: 'error PERMISSION_DENIED' });
  });

  it("when --json is given, then the API's JSON is printed as it is", async () => {
    const run = await closectl(['list', '--ledger', 'CLI-CLEAN', '--json'], as('fm'));
    expect(run.code).toBe(0);
    const page = JSON.parse(run.stdout);
    expect(page).toEqual({ items: [expect.objectContaining({ ledger: 'CLI-CLEAN', state: 'closed', period })], next: null });
  });

  it('when the usage is wrong, then exit 4 with one line and no request made', async () => {
    // Pointed at a port nothing listens on: a request would have ended in exit 6, not 4.
    const nowhere = { CLOSE_API_URL: `http://127.0.0.1:${await closedPort()}`, CLOSE_API_TOKEN: h.tokens.fm };
    for (const args of [['start', 'CLI-X', '2026-13'], ['frobnicate'], ['reopen', 'CLI-X', period], ['month-end', period], ['list', '--blocked', '--failed']]) {
      const run = await closectl(args, nowhere);
      expect({ args, code: run.code }).toEqual({ args, code: 4 });
      expect(run.stderr).toMatch(/^error USAGE: [^\n]+\n$/);
    }
  });

  it('when the token is wrong, then exit 5 with one line error UNAUTHENTICATED', async () => {
    const run = await closectl(['list'], { CLOSE_API_URL: api.url, CLOSE_API_TOKEN: 'not-a-token' });
    expect(run.code).toBe(5);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error UNAUTHENTICATED: [^\n]+\n$/);
  });

  it("when the role lacks the permission or the voucher does not exist, then exit 5 with the API's code", async () => {
    const denied = await closectl(['start', 'CLI-CLEAN', period], as('clerk'));
    expect(denied.code).toBe(5);
    expect(denied.stderr).toMatch(/^error PERMISSION_DENIED: .*close:start.*\n$/);
    const missing = await closectl(['approve', '999999999'], as('fm'));
    expect(missing.code).toBe(5);
    expect(missing.stderr).toMatch(/^error VOUCHER_NOT_FOUND: [^\n]+\n$/);
  });

  it('when nothing listens at the URL, then exit 6 with one line, from flags as from the environment', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const fromFlags = await closectl(['status', '00000000-0000-4000-8000-000000000000', '--url', url, '--token', h.tokens.fm]);
    expect(fromFlags.code).toBe(6);
    expect(fromFlags.stderr).toMatch(new RegExp(`^error API_UNREACHABLE: cannot reach ${url} \\(ECONNREFUSED\\)[^\\n]*\\n$`));
    const fromEnv = await closectl(['list'], { CLOSE_API_URL: url, CLOSE_API_TOKEN: h.tokens.fm });
    expect(fromEnv.code).toBe(6);
  });
});
