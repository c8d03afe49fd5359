import type { ClientBase } from 'pg';
import { writeChart } from './chart';
import type { SeedLedger } from './ledger-activity';

export type NewLedger = Omit<SeedLedger, 'id'>;

/**
 * Creates a federation and its grassroots unions with one INSERT each, then every ledger's chart
 * (one INSERT) and its open period (one INSERT). Refuses codes that already exist, naming them.
 */
export async function createLedgers(
  client: ClientBase,
  federation: NewLedger,
  units: readonly NewLedger[],
  period: string,
): Promise<{ federation: SeedLedger; units: SeedLedger[] }> {
  const codes = [federation.code, ...units.map((u) => u.code)];
  const { rows: taken } = await client.query<{ code: string }>(`SELECT code FROM ledger WHERE code = ANY($1::text[]) ORDER BY code LIMIT 5`, [codes]);
  if (taken.length > 0) {
    throw new Error(`ledger codes already exist: ${taken.map((r) => r.code).join(', ')}; seed another parent code or unit prefix, or an empty database`);
  }

  const {
    rows: [parent],
  } = await client.query<{ id: number }>(`INSERT INTO ledger (code, name, taxpayer_id, first_period) VALUES ($1, $2, $3, $4) RETURNING id`, [
    federation.code,
    federation.name,
    federation.taxpayerId,
    period,
  ]);
  const { rows: unitIds } = await client.query<{ id: number; code: string }>(
    `INSERT INTO ledger (code, name, taxpayer_id, first_period, parent_id)
     SELECT code, name, taxpayer_id, $4, $5 FROM unnest($1::text[], $2::text[], $3::text[]) AS u(code, name, taxpayer_id)
     RETURNING id, code`,
    [units.map((u) => u.code), units.map((u) => u.name), units.map((u) => u.taxpayerId), period, parent!.id],
  );
  const idByCode = new Map(unitIds.map((r) => [r.code, r.id]));
  const created = {
    federation: { ...federation, id: parent!.id },
    units: units.map((u) => ({ ...u, id: idByCode.get(u.code)! })),
  };
  const ids = [created.federation.id, ...created.units.map((u) => u.id)];
  await writeChart(client, ids);
  await client.query(`INSERT INTO period (ledger_id, period, state) SELECT id, $2, 'open' FROM unnest($1::int[]) AS l(id)`, [ids, period]);
  return created;
}

/**
 * Undoes createLedgers after a failed multi-connection seed. The audit log keeps the entries of
 * the periods' creation: it is append-only by design.
 */
export async function removeLedgers(client: ClientBase, ledgerIds: readonly number[]): Promise<void> {
  await client.query('BEGIN');
  try {
    for (const table of ['period', 'account']) await client.query(`DELETE FROM ${table} WHERE ledger_id = ANY($1::int[])`, [ledgerIds]);
    await client.query('DELETE FROM ledger WHERE id = ANY($1::int[])', [ledgerIds]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
