import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { sleep } from './stack';

/**
 * Writers that race the closes (chaos scenario `writers`): each on a real connection of its own,
 * writing a ledger's period in a transaction held open a random while, so that commits land before,
 * during and after each close's freeze. Every write keeps the books closable (balanced vouchers, a
 * sub-ledger entry with its general-ledger voucher, documents that block nothing), so the closes end
 * closed and the invariants checker then finds whether anything slipped past the freeze.
 */
export interface WriterStats {
  committed: number;
  /** Refused because the period was frozen by its close (BK003) or already closed (BK001): expected. */
  refusedFrozen: number;
  refusedClosed: number;
  /** Deadlocks, serialization failures, two writers numbering a voucher at once: the loser retries, as a client would. */
  conflicts: number;
  /** The writer's connection was cut or the server restarted (chaos soak): it reconnects, as a client would. */
  connectionLost: number;
  /** Anything else: a failure the scenario counts as a violation. */
  otherErrors: number;
  otherExamples: string[];
  byKind: Record<string, number>;
}

type Write = (c: Client, ledgerId: number, period: string) => Promise<void>;

const tag = () => randomBytes(4).toString('hex');

/** A posted voucher numbered next in its period, with its lines (account, debit, credit) in the same statement. */
async function insertPostedVoucher(c: Client, ledgerId: number, period: string, lines: Array<[string, number, number]>): Promise<void> {
  await c.query(
    `
    WITH v AS (INSERT INTO voucher (ledger_id, period, number, voucher_date, preparer, approver, state, approved_at, posted_at)
               SELECT $1::int, $2::text, coalesce(max(number), 0) + 1, to_date($2 || '-28', 'YYYY-MM-DD'), 'writer', 'writer-approver', 'posted', now(), now()
               FROM voucher WHERE ledger_id = $1::int AND period = $2::text RETURNING id)
    INSERT INTO voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit)
    SELECT v.id, $1::int, $2::text, x.n, x.a, x.d, x.c FROM v, unnest($3::text[], $4::bigint[], $5::bigint[]) WITH ORDINALITY AS x(a, d, c, n)`,
    [ledgerId, period, lines.map((l) => l[0]), lines.map((l) => l[1]), lines.map((l) => l[2])],
  );
}

const WRITES: Record<string, Write> = {
  async updateLines(c, ledgerId, period) {
    await c.query(
      `
      UPDATE voucher_line SET debit = CASE WHEN debit > 0 THEN debit + 100 ELSE debit END, credit = CASE WHEN credit > 0 THEN credit + 100 ELSE credit END
      WHERE voucher_id = (SELECT l.voucher_id FROM voucher_line l JOIN voucher v ON v.id = l.voucher_id AND v.source_type IS NULL
                          JOIN account a ON a.ledger_id = l.ledger_id AND a.code = l.account_code
                          WHERE l.ledger_id = $1 AND l.period = $2 GROUP BY l.voucher_id
                          -- two lines, neither on a sub-ledger's control account (that would unbalance 业财核对)
                          HAVING count(*) = 2 AND bool_and(a.control_of IS NULL) ORDER BY random() LIMIT 1)`,
      [ledgerId, period],
    );
  },
  async insertVoucher(c, ledgerId, period) {
    await insertPostedVoucher(c, ledgerId, period, [
      ['501', 2500, 0],
      ['102', 0, 2500],
    ]);
  },
  async deleteVoucher(c, ledgerId, period) {
    await c.query(
      `
      DELETE FROM voucher WHERE id = (
        SELECT v.id FROM voucher v WHERE v.ledger_id = $1 AND v.period = $2 AND v.source_type IS NULL AND v.preparer = 'writer'
          AND NOT EXISTS (SELECT 1 FROM voucher_line l WHERE l.voucher_id = v.id AND l.account_code = '112')
        ORDER BY random() LIMIT 1)`,
      [ledgerId, period],
    );
  },
  async moveOpening(c, ledgerId, period) {
    await c.query(
      `UPDATE balance SET opening = opening + CASE account_code WHEN '101' THEN 300 ELSE -300 END
                   WHERE ledger_id = $1 AND period = $2 AND account_code IN ('101', '102')`,
      [ledgerId, period],
    );
  },
  async deferredClaim(c, ledgerId, period) {
    await c.query(
      `INSERT INTO reimbursement (ledger_id, period, number, claimant, amount, expense_account, state, deferred_to, deferred_reason)
                   VALUES ($1, $2::text, 'BX-W-' || $3, '王芳', 800, '507', 'deferred', to_char(to_date($2::text || '-01', 'YYYY-MM-DD') + interval '1 month', 'YYYY-MM'), '下月报销')`,
      [ledgerId, period, tag()],
    );
  },
  async invoice(c, ledgerId, period) {
    await c.query(
      `INSERT INTO invoice (ledger_id, period, number, buyer_name, buyer_tax_id, seller_tax_id, amount, tax, invoice_date)
                   SELECT $1, $2::text, 'FP-W-' || $3, '杭州恒达科技有限公司', '91330106MA27XK1234', taxpayer_id, 10000, 600, to_date($2::text || '-20', 'YYYY-MM-DD')
                   FROM ledger WHERE id = $1`,
      [ledgerId, period, tag()],
    );
  },
  async receivableWithItsVoucher(c, ledgerId, period) {
    await c.query(
      `INSERT INTO subledger_entry (ledger_id, period, subledger, reference, counterparty, amount) VALUES ($1, $2, 'receivables', 'YS-W-' || $3, '区总工会', 700)`,
      [ledgerId, period, tag()],
    );
    await insertPostedVoucher(c, ledgerId, period, [
      ['112', 700, 0],
      ['409', 0, 700],
    ]);
  },
};
const KINDS = Object.keys(WRITES);

/** Errors of the connection rather than of the write: terminated backends, a server shutting down or not yet up, a dropped socket. */
function connectionLost(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  const message = (err as Error).message ?? '';
  return (
    ['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(code) ||
    code.startsWith('08') ||
    /Connection terminated|Client has encountered a connection error|not queryable|Client was closed/.test(message)
  );
}

/** A connected client, retrying while the server is away (never past `stopping`). */
async function connect(url: string, stopping: () => boolean): Promise<Client | null> {
  while (!stopping()) {
    const c = new Client({ connectionString: url, application_name: 'chaos-writer' });
    c.on('error', () => undefined);
    try {
      await c.connect();
      return c;
    } catch {
      await c.end().catch(() => undefined);
      await sleep(500);
    }
  }
  return null;
}

/**
 * Starts `writers` connections writing random ledgers of `ledgerIds` in `period` until stopped; each
 * transaction does one write and holds it open 0–`holdMs` ms before committing.
 */
export function startRacingWriters(
  url: string,
  ledgerIds: number[],
  period: string,
  opts: { writers: number; holdMs: number },
): { stop(): Promise<WriterStats> } {
  const stats: WriterStats = {
    committed: 0,
    refusedFrozen: 0,
    refusedClosed: 0,
    conflicts: 0,
    connectionLost: 0,
    otherErrors: 0,
    otherExamples: [],
    byKind: {},
  };
  let stopping = false;
  const loops = Array.from({ length: opts.writers }, async () => {
    let c = await connect(url, () => stopping);
    try {
      while (!stopping && c) {
        const kind = KINDS[Math.floor(Math.random() * KINDS.length)];
        const ledgerId = ledgerIds[Math.floor(Math.random() * ledgerIds.length)];
        try {
          await c.query('BEGIN');
          await WRITES[kind](c, ledgerId, period);
          await sleep(Math.floor(Math.random() * opts.holdMs));
          await c.query('COMMIT');
          stats.committed++;
          stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
        } catch (err) {
          await c.query('ROLLBACK').catch(() => undefined);
          const code = (err as { code?: string }).code;
          if (connectionLost(err)) {
            stats.connectionLost++;
            await c.end().catch(() => undefined);
            c = await connect(url, () => stopping);
          } else if (code === 'BK003') stats.refusedFrozen++;
          else if (code === 'BK001') stats.refusedClosed++;
          // Two writers numbering a voucher at once (max + 1) meet at the unique number: a client retries.
          else if (code === '40P01' || code === '40001' || (err as { constraint?: string }).constraint === 'voucher_ledger_id_period_number_key')
            stats.conflicts++;
          else {
            stats.otherErrors++;
            if (stats.otherExamples.length < 5) stats.otherExamples.push(`${kind}: ${code ?? ''} ${(err as Error).message}`);
          }
        }
        await sleep(Math.floor(Math.random() * 50));
      }
    } finally {
      await c?.end().catch(() => undefined);
    }
  });
  return {
    async stop() {
      stopping = true;
      await Promise.all(loops);
      return stats;
    },
  };
}
