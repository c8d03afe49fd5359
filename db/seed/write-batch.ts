import type { ClientBase } from 'pg';
import type { Subledger } from '../schema';
import type { BatchBook, VoucherDraft } from './book';
import { copyRow, copyRows, reserveIds } from './copy';

export interface BatchTotals {
  debit: bigint;
  credit: bigint;
  openingDebit: bigint;
  subledger: Record<Subledger, bigint>;
}

export function emptyTotals(): BatchTotals {
  return { debit: 0n, credit: 0n, openingDebit: 0n, subledger: { receivables: 0n, payables: 0n, invoices: 0n, reimbursements: 0n } };
}

export interface BatchIds {
  vouchers: number[];
  reimbursement: number[];
  transfer: number[];
  invoice: number[];
}

/** Ids for every voucher and document of the batch, so rows written by COPY can name each other. */
export async function reserveBatchIds(client: ClientBase, book: BatchBook): Promise<BatchIds> {
  return {
    vouchers: await reserveIds(client, 'voucher', book.vouchers.length),
    reimbursement: await reserveIds(client, 'reimbursement', book.reimbursements.length),
    transfer: await reserveIds(client, 'fund_transfer', book.transfers.length),
    invoice: await reserveIds(client, 'invoice', book.invoices.length),
  };
}

/** Which part of a batch one of `count` connections writes: a contiguous run of vouchers and of the rest. */
export interface Lane {
  index: number;
  count: number;
}

function share(length: number, lane: Lane): [number, number] {
  return [Math.trunc((length * lane.index) / lane.count), Math.trunc((length * (lane.index + 1)) / lane.count)];
}

/**
 * The lane's run of rows, cut only between ledgers: the database keeps tallies per ledger and
 * period (of lines per account, of sub-ledger entries, of openings), and two open transactions writing rows of
 * one ledger would wait on each other's tally rows until a commit that comes only after both wrote.
 */
function ledgerShare(items: ReadonlyArray<{ ledgerId: number }>, lane: Lane): [number, number] {
  const cut = (k: number) => {
    let i = Math.trunc((items.length * k) / lane.count);
    while (i > 0 && i < items.length && items[i]!.ledgerId === items[i - 1]!.ledgerId) i++;
    return i;
  };
  return [cut(lane.index), cut(lane.index + 1)];
}

/**
 * Writes a lane's share of the batch with one COPY per table: balances, vouchers, all the lane's
 * lines in one statement (every voucher's lines travel together, so the balance trigger checks
 * each voucher once), the documents and the sub-ledger entries.
 */
export async function writeLane(client: ClientBase, book: BatchBook, ids: BatchIds, lane: Lane): Promise<void> {
  const { period } = book;
  const [firstVoucher, endVoucher] = ledgerShare(book.vouchers, lane);
  const inLane = (voucher: number | null, documentIndex: number, documents: number) => {
    if (voucher !== null) return voucher >= firstVoucher && voucher < endVoucher;
    const [first, end] = share(documents, lane);
    return documentIndex >= first && documentIndex < end;
  };
  const voucherId = (index: number | null) => (index === null ? null : ids.vouchers[index]!);

  await copyRows(
    client,
    'balance (ledger_id, period, account_code, opening)',
    mapRange(book.openings, ledgerShare(book.openings, lane), (o) => copyRow([o.ledgerId, period, o.account, o.opening])),
  );

  await copyRows(
    client,
    'voucher (id, ledger_id, period, number, voucher_date, description, preparer, approver, state, source_type, source_id, approved_at, posted_at)',
    mapRange(book.vouchers, [firstVoucher, endVoucher], (v, i) =>
      copyRow([
        ids.vouchers[i],
        v.ledgerId,
        period,
        v.number,
        v.date,
        v.description,
        v.preparer,
        v.approver,
        v.state,
        v.source?.type ?? null,
        v.source ? ids[v.source.type][v.source.index] : null,
        ...voucherTimes(v),
      ]),
    ),
  );

  // Each line's foreign-key lookup of its voucher is planned once per session. Without statistics the
  // planner costs the (ledger, period, number) key level with the (id, ledger, period) key, and when
  // it takes the former every line scans its period's vouchers: 2 × 100,000 lines took minutes
  // instead of 18 s (issue #19, bench --quick). ANALYZE counts the session's own uncommitted
  // vouchers, so the first lane gives its lookups statistics; the other lanes cannot see them before
  // the commit, and a second ANALYZE would wait for the first one's lock until then: large ledgers
  // are best written through one connection (a single ledger always falls to the first lane).
  if (lane.index === 0 && firstVoucher < endVoucher) await client.query('ANALYZE voucher');

  await copyRows(
    client,
    'voucher_line (voucher_id, ledger_id, period, line_no, account_code, debit, credit, memo)',
    lineRows(book, ids.vouchers, firstVoucher, endVoucher),
  );

  await copyRows(
    client,
    'reimbursement (id, ledger_id, period, number, claimant, description, amount, expense_account, state, voucher_id)',
    filterMap(
      book.reimbursements,
      (r, i) => inLane(r.voucher, i, book.reimbursements.length),
      (r, i) =>
        copyRow([ids.reimbursement[i], r.ledgerId, period, r.number, r.claimant, r.description, r.amount, r.expenseAccount, r.state, voucherId(r.voucher)]),
    ),
  );

  await copyRows(
    client,
    'fund_transfer (id, ledger_id, period, reference, amount, debit_account, credit_account, counterparty, state, settled_at, voucher_id, sent_by)',
    filterMap(
      book.transfers,
      (t, i) => inLane(t.voucher, i, book.transfers.length),
      (t, i) =>
        copyRow([
          ids.transfer[i],
          t.ledgerId,
          period,
          t.reference,
          t.amount,
          t.debitAccount,
          t.creditAccount,
          t.counterparty,
          t.state,
          t.settledAt,
          voucherId(t.voucher),
          t.sentBy,
        ]),
    ),
  );

  await copyRows(
    client,
    'invoice (id, ledger_id, period, number, buyer_name, buyer_tax_id, seller_tax_id, amount, tax, invoice_date, lines, voucher_id)',
    filterMap(
      book.invoices,
      (v, i) => inLane(v.voucher, i, book.invoices.length),
      (v, i) =>
        copyRow([
          ids.invoice[i],
          v.ledgerId,
          period,
          v.number,
          v.buyerName,
          v.buyerTaxId,
          v.sellerTaxId,
          v.amount,
          v.tax,
          v.date,
          v.itemsJson,
          voucherId(v.voucher),
        ]),
    ),
  );

  // With the lines of the same ledgers: a control account's difference from its sub-ledger
  // (period_control_difference) is one row that both write.
  const linesHere = new Set(book.vouchers.slice(firstVoucher, endVoucher).map((v) => v.ledgerId));
  const linesElsewhere = new Set(book.vouchers.map((v) => v.ledgerId).filter((id) => !linesHere.has(id)));
  await copyRows(
    client,
    'subledger_entry (ledger_id, period, subledger, reference, counterparty, amount)',
    filterMap(
      book.subledgerEntries,
      (e) => linesHere.has(e.ledgerId) || (lane.index === 0 && !linesElsewhere.has(e.ledgerId)),
      (e) => copyRow([e.ledgerId, period, e.subledger, e.reference, e.counterparty, e.amount]),
    ),
  );
}

/** Adds a written batch's rows and sums to the run's. */
export function countBatch(book: BatchBook, rows: Record<string, number>, totals: BatchTotals): void {
  for (const [table, count] of Object.entries(book.rowCounts())) rows[table] = (rows[table] ?? 0) + count;
  addTotals(book, totals);
}

/** Approval and posting times on the voucher's own day, China time. */
function voucherTimes(v: VoucherDraft): [string | null, string | null] {
  const approved = v.state === 'approved' || v.state === 'posted' ? `${v.date} 17:00:00+08` : null;
  return [approved, v.state === 'posted' ? `${v.date} 18:00:00+08` : null];
}

function* lineRows(book: BatchBook, voucherIds: number[], firstVoucher: number, endVoucher: number): Generator<string> {
  const { period } = book;
  for (let i = 0; i < book.lineCount; i++) {
    const voucher = book.lineVoucher[i]!;
    if (voucher < firstVoucher || voucher >= endVoucher) continue;
    // Hand-built for speed: every value here is a number or a fixed string without special characters.
    yield `${voucherIds[voucher]}\t${book.vouchers[voucher]!.ledgerId}\t${period}\t${book.lineNo[i]}\t${book.lineAccount[i]}\t${book.lineDebit[i]}\t${book.lineCredit[i]}\t${book.lineMemo[i]}\n`;
  }
}

function* mapRange<T>(items: readonly T[], [first, end]: [number, number], toRow: (item: T, index: number) => string): Generator<string> {
  for (let i = first; i < end; i++) yield toRow(items[i]!, i);
}

function* filterMap<T>(items: readonly T[], keep: (item: T, index: number) => boolean, toRow: (item: T, index: number) => string): Generator<string> {
  for (let i = 0; i < items.length; i++) if (keep(items[i]!, i)) yield toRow(items[i]!, i);
}

/** Sums in whole fen; a batch's sums stay far below 2^53, the running totals are bigint. */
function addTotals(book: BatchBook, totals: BatchTotals): void {
  let debitSum = 0;
  let creditSum = 0;
  for (let i = 0; i < book.lineCount; i++) {
    debitSum += book.lineDebit[i]!;
    creditSum += book.lineCredit[i]!;
  }
  if (!Number.isSafeInteger(debitSum) || !Number.isSafeInteger(creditSum)) throw new Error('a batch is too large to sum exactly');
  totals.debit += BigInt(debitSum);
  totals.credit += BigInt(creditSum);
  for (const o of book.openings) if (o.opening > 0) totals.openingDebit += BigInt(o.opening);
  for (const e of book.subledgerEntries) totals.subledger[e.subledger] += BigInt(e.amount);
}
