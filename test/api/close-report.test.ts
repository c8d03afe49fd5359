import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { verifySnapshot } from '../../books/snapshot';
import { one } from '../../db/sql';
import { addVoucher, createLedger } from '../fixtures/books';
import { expectError, fingerprint, startApiHarness, waitFor, waitForClose, type ApiHarness } from './harness';

const PERIOD = '2026-09';
const REPORT = `/api/v1/ledgers/RPT/periods/${PERIOD}/report`;

/** supertest buffers a binary body only when told how. */
function binary(res: Response, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('the close report (结账报告) of a closed period', () => {
  let h: ApiHarness;
  let submittedId: string;
  let firstCloseId: string;
  let countingCloseId: string;

  beforeAll(async () => {
    h = await startApiHarness();
    const ledger = await createLedger(h.ds, {
      code: 'RPT',
      name: '某某区总工会',
      firstPeriod: PERIOD,
      openingBalances: { '102': 10_000_00, '301': -10_000_00 },
    });
    const line = (account: string, debit: number, credit: number) => ({ account, debit, credit });
    // Income 18,000.00 and expenditure 3,385.50 + 1,000.00: the carry forward moves 13,614.50 to net assets.
    await addVoucher(h.ds, { ledgerId: ledger.id, period: PERIOD, preparer: 'clerk', lines: [line('102', 18_000_00, 0), line('401', 0, 18_000_00)] });
    await addVoucher(h.ds, { ledgerId: ledger.id, period: PERIOD, preparer: 'clerk', lines: [line('501', 3_385_50, 0), line('102', 0, 3_385_50)] });
    const submitted = await addVoucher(h.ds, {
      ledgerId: ledger.id,
      period: PERIOD,
      preparer: 'clerk',
      state: 'submitted',
      lines: [line('501', 1_000_00, 0), line('102', 0, 1_000_00)],
    });
    submittedId = submitted.id;
    // As the act on INVOICE_FIELD_MISMATCH records it (its own flow is tested in clear-by-actions).
    // A second reason that a spreadsheet would run as a formula, with a comma and quotes to escape.
    await h.ds.query(
      `INSERT INTO invoice_accepted_difference (ledger_id, period, number, field, reason, accepted_by, accepted_at)
       VALUES ($1, $2, '044001900111', 'buyerName', '简称，同一单位', 'fm', now() - interval '1 minute'),
              ($1, $2, '044001900112', NULL, '=HYPERLINK("http://x"), 红字发票待开', 'fm', now())`,
      [ledger.id, PERIOD],
    );
  }, 180_000);

  afterAll(async () => {
    await h?.stop();
  });

  it('when the period is open, then 409 REPORT_PERIOD_NOT_CLOSED; while its close waits, the same naming the close; nothing is written', async () => {
    const before = await fingerprint(h.ds);
    const open = await h.as('auditor').get(REPORT);
    expectError(open, 409, 'REPORT_PERIOD_NOT_CLOSED');
    expect(open.body.error.details).toEqual({ state: 'open', closeId: null });
    expect(open.body.error.message).toContain('closectl start RPT 2026-09');
    expect(await fingerprint(h.ds)).toEqual(before);

    const started = await h.as('fm').post('/api/v1/closes', { ledger: 'RPT', period: PERIOD });
    firstCloseId = started.body.id;
    await waitForClose(h, firstCloseId, ['blocked']);
    const waiting = await h.as('auditor').get(REPORT);
    expectError(waiting, 409, 'REPORT_PERIOD_NOT_CLOSED');
    expect(waiting.body.error.details).toEqual({ state: 'closing', closeId: firstCloseId });
    expect(waiting.body.error.message).toContain(`closectl follow ${firstCloseId}`);
  });

  it('when the blocker is cleared and the period closes, is reopened and closed again, then the report gives every figure to the fen and who did what', async () => {
    expect((await h.as('fm').post(`/api/v1/vouchers/${submittedId}/approve`)).status).toBe(200);
    expect((await h.as('fm2').post(`/api/v1/vouchers/${submittedId}/post`)).status).toBe(200);
    await waitForClose(h, firstCloseId, ['closed']);
    expect((await h.as('fm').post(`/api/v1/ledgers/RPT/periods/${PERIOD}/reopen`, { reason: '补记一笔会费 a late receipt' })).status).toBe(200);
    const again = await h.as('fm2').post('/api/v1/closes', { ledger: 'RPT', period: PERIOD });
    countingCloseId = again.body.id;
    await waitForClose(h, countingCloseId, ['closed']);
    // The lock step commits the closed period a moment before its run is marked ended.
    await waitFor(async () => (await h.as('fm').get(`/api/v1/closes/${countingCloseId}`)).body.endedAt, 'the run ended', 5_000);

    const res = await h.as('auditor').get(REPORT);
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r).toMatchObject({
      ledger: { code: 'RPT', name: '某某区总工会' },
      period: PERIOD,
      state: 'closed',
      closed: { by: 'fm2', at: expect.any(String), closeId: countingCloseId },
      started: { by: 'fm2', at: expect.any(String) },
      reopenings: [{ by: 'fm', at: expect.any(String), reason: '补记一笔会费 a late receipt' }],
    });
    // Movements include the carry forward (18,000.00 each side); signed balances sum to zero.
    expect(r.trialBalance).toEqual({ accounts: expect.any(Number), opening: '0.00', debit: '40385.50', credit: '40385.50', closing: '0.00' });
    expect(r.carryForward).toEqual({
      voucherId: expect.any(String),
      number: 4,
      date: '2026-09-30',
      lines: [
        { lineNo: 1, account: '302', name: '工会资金结余', debit: '0.00', credit: '13614.50' },
        { lineNo: 2, account: '401', name: '会费收入', debit: '18000.00', credit: '0.00' },
        { lineNo: 3, account: '501', name: '职工活动支出', debit: '0.00', credit: '4385.50' },
      ],
      toNetAssets: { account: '302', name: '工会资金结余', amount: '13614.50' },
    });
    const snapshot = await one<{ id: string; checksum: string }>(h.ds, `SELECT id::text, checksum FROM period_snapshot WHERE close_id = $1`, [countingCloseId]);
    expect(r.backup).toEqual({
      snapshotId: snapshot!.id,
      checksum: snapshot!.checksum,
      lines: 6,
      debit: '22385.50',
      credit: '22385.50',
      takenAt: expect.any(String),
    });
    expect((await verifySnapshot(h.ds, snapshot!.id)).recomputed).toBe(r.backup.checksum);
    expect(r.acceptedDifferences).toEqual([
      { number: '044001900111', field: 'buyerName', reason: '简称，同一单位', acceptedBy: 'fm', acceptedAt: expect.any(String) },
      { number: '044001900112', field: null, reason: '=HYPERLINK("http://x"), 红字发票待开', acceptedBy: 'fm', acceptedAt: expect.any(String) },
    ]);
    expect(r.blockerActs).toEqual([
      expect.objectContaining({ actor: 'fm', action: 'voucher.approved', target: submittedId }),
      expect.objectContaining({ actor: 'fm2', action: 'voucher.posted', target: submittedId }),
    ]);
    expect(r.runs).toEqual([
      expect.objectContaining({ closeId: firstCloseId, initiatedBy: 'fm', counts: false }),
      expect.objectContaining({ closeId: countingCloseId, initiatedBy: 'fm2', state: 'closed', counts: true }),
    ]);
  });

  it('when asked as CSV, then UTF-8 with a BOM, the Chinese intact, amounts exact and times in Asia/Shanghai', async () => {
    const res = await h
      .as('auditor')
      .get(REPORT + '?format=csv')
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename=close-report-RPT-2026-09.csv');
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('结账报告 Close report');
    expect(lines).toContain('账套 Ledger,RPT,某某区总工会');
    expect(lines).toContain('转入净资产 To net assets,302,工会资金结余,13614.50');
    expect(lines).toContain('1,302,工会资金结余,0.00,13614.50');
    expect(lines).toContain('发票号 Number,字段 Field,原因 Reason,接受人 Accepted by,时间 At');
    expect(lines.find((l) => l.startsWith('044001900111,buyerName,'))).toMatch(
      /^044001900111,buyerName,简称，同一单位,fm,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00$/,
    );
    expect(lines.find((l) => l.startsWith('044001900112,'))).toMatch(/^044001900112,,"'=HYPERLINK\(""http:\/\/x""\), 红字发票待开",fm,/);
    expect(lines).toContain('时区 Time zone,Asia/Shanghai');
    const utc = (
      await h
        .as('auditor')
        .get(REPORT + '?format=csv&tz=UTC')
        .buffer(true)
        .parse(binary)
    ).body.toString('utf8');
    expect(utc).toMatch(/结账时间 Closed at,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+00:00/);
  });

  it('when asked as XLSX, then exceljs reads back the same figures, amounts as numbers shown #,##0.00', async () => {
    const res = await h
      .as('auditor')
      .get(REPORT + '?format=xlsx')
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    // exceljs declares its own Buffer type, narrower than Node's.
    await workbook.xlsx.load(res.body as Parameters<typeof workbook.xlsx.load>[0]);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('结账报告 2026-09');
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const row = (first: string) => rows.find((r) => r[0] === first)!;
    expect(row('账套 Ledger')).toEqual(['账套 Ledger', 'RPT', '某某区总工会']);
    expect(row('转入净资产 To net assets')).toEqual(['转入净资产 To net assets', '302', '工会资金结余', 13614.5]);
    const totalsAt = rows.findIndex((r) => r[0] === '科目数 Accounts') + 1;
    expect(rows[totalsAt].slice(1)).toEqual([0, 40385.5, 40385.5, 0]);
    let amountCell: ExcelJS.Cell | undefined;
    sheet.eachRow((r) => r.eachCell((c) => (c.value === 13614.5 ? (amountCell = c) : undefined)));
    expect(amountCell?.numFmt).toBe('#,##0.00');
    expect(rows.find((r) => r[0] === countingCloseId)?.[5]).toBe('是 yes');
  });

  it('when the ledger, the period, the format or the role is wrong, then a 4xx with its code and nothing is written', async () => {
    const before = await fingerprint(h.ds);
    expectError(await h.as('auditor').get(`/api/v1/ledgers/NOPE/periods/${PERIOD}/report`), 404, 'LEDGER_NOT_FOUND');
    expectError(await h.as('auditor').get('/api/v1/ledgers/RPT/periods/2026-13/report'), 400, 'PERIOD_INVALID');
    expectError(await h.as('auditor').get('/api/v1/ledgers/RPT/periods/2026-08/report'), 404, 'PERIOD_NOT_FOUND');
    expectError(await h.as('auditor').get('/api/v1/ledgers/RPT/periods/2026-10/report'), 409, 'REPORT_PERIOD_NOT_CLOSED');
    expectError(await h.as('auditor').get(REPORT + '?format=pdf'), 400, 'VALIDATION_FAILED');
    expectError(await h.as('auditor').get(REPORT + '?format=csv&tz=Mars/Olympus'), 400, 'VALIDATION_FAILED');
    expectError(await h.as('admin').get(REPORT), 403, 'PERMISSION_DENIED');
    expectError(await h.as(null).get(REPORT), 401, 'UNAUTHENTICATED');
    expect(await fingerprint(h.ds)).toEqual(before);
  });
});
