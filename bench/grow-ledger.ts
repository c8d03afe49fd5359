import type { DataSource } from 'typeorm';

/**
 * Adds `lines` posted voucher lines to one ledger's open period, set-based: each batch is one
 * `INSERT … SELECT … FROM generate_series` of ten-line vouchers (staff activities paid from the bank,
 * 501 / 102: no control account, so the sub-ledgers still reconcile) and their lines, through every
 * rule of the database (guards, foreign keys, balance check, tallies), committed per batch. Nothing
 * is built row by row in the client, so 10,000,000 lines cost the database's own per-row work only.
 * `connections` batches run at once; they meet only on the tally rows of 501 and 102, at commit.
 */
export async function growLedger(
  ds: DataSource,
  opts: { ledger: string; period: string; lines: number; batchLines?: number; connections?: number; onBatch?: (done: number, ms: number) => void },
): Promise<{ lines: number; elapsedMs: number; batchMs: number[] }> {
  const batchLines = opts.batchLines ?? 500_000;
  const [{ id, next }] = (await ds.query(
    `SELECT l.id, coalesce((SELECT max(number) FROM voucher v WHERE v.ledger_id = l.id AND v.period = $2), 0) + 1 AS next
     FROM ledger l WHERE l.code = $1`,
    [opts.ledger, opts.period],
  )) as Array<{ id: number; next: number }>;
  // Statistics first: each session plans its lines' voucher lookup once (see db/seed/write-batch.ts).
  await ds.query('ANALYZE voucher');
  const batches = Array.from({ length: Math.ceil(opts.lines / batchLines) }, (_, i) => ({
    first: next + (i * batchLines) / LINES_PER_VOUCHER,
    vouchers: Math.floor(Math.min(batchLines, opts.lines - i * batchLines) / LINES_PER_VOUCHER),
  }));
  const t0 = performance.now();
  const batchMs: number[] = [];
  let done = 0;
  const lane = async () => {
    for (let b = batches.shift(); b; b = batches.shift()) {
      const t = performance.now();
      await ds.query(GROW, [id, opts.period, b.first, b.vouchers]);
      batchMs.push(Math.round(performance.now() - t));
      done += b.vouchers * LINES_PER_VOUCHER;
      opts.onBatch?.(done, performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: opts.connections ?? 2 }, lane));
  return { lines: done, elapsedMs: performance.now() - t0, batchMs };
}

/**
 * Ten lines a voucher: the per-voucher work (its guard, its period's key) is spread over more lines.
 * A batch's size must be a multiple of it.
 */
const LINES_PER_VOUCHER = 10;

/** $1 ledger id, $2 period, $3 first voucher number, $4 vouchers; five debits of 501 and the same five credits of 102, in fen. */
const GROW = `
  WITH v AS (
    INSERT INTO voucher (ledger_id, period, number, voucher_date, description, preparer, approver, state, approved_at, posted_at)
    SELECT $1::int, $2::text, $3::int + g, to_date($2::text || '-01', 'YYYY-MM-DD') + (g % 28), '职工活动支出', 'bench.clerk', 'bench.manager',
           'posted', to_date($2::text || '-01', 'YYYY-MM-DD') + (g % 28) + time '17:00', to_date($2::text || '-01', 'YYYY-MM-DD') + (g % 28) + time '18:00'
    FROM generate_series(0, $4::int - 1) AS g
    RETURNING id, number)
  INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit, memo)
  SELECT v.id, $1::int, $2::text, n, CASE WHEN n <= 5 THEN '501' ELSE '102' END,
         CASE WHEN n <= 5 THEN a.fen ELSE 0 END, CASE WHEN n > 5 THEN a.fen ELSE 0 END, '职工活动支出'
  FROM v CROSS JOIN generate_series(1, 10) AS n
         CROSS JOIN LATERAL (SELECT 1000 + ((v.number::bigint * 5 + (n - 1) % 5) * 7919) % 90000 AS fen) a`;
