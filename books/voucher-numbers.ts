import type { EntityManager } from 'typeorm';

// The first key of the advisory lock: this product's voucher numbering (any fixed number of our own).
const VOUCHER_NUMBERING = 7_320_262;

/**
 * Serialises the numbering of a ledger's period's vouchers until the transaction ends: every writer
 * numbers a voucher as max(number) + 1, so two at once (the close posting settled transfers while a
 * finance manager posts a claim) would take the same number. Taken before the statement that reads
 * max(number); under READ COMMITTED that statement then sees the other writer's committed voucher.
 */
export async function lockVoucherNumbering(em: EntityManager, ledgerId: number, period: string): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [VOUCHER_NUMBERING, `${ledgerId}:${period}`]);
}
