import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Rows are joined into chunks of about this many characters before they reach the socket. */
const CHUNK_CHARS = 256 * 1024;

/**
 * Streams rows into `table (columns)` with one COPY statement: one round trip, and one firing of
 * statement-level triggers (the voucher balance check) for all of them. Returns the rows written.
 */
export async function copyRows(client: ClientBase, target: string, rows: Iterable<string>): Promise<number> {
  let count = 0;
  function* chunks(): Generator<string> {
    let parts: string[] = [];
    let size = 0;
    for (const row of rows) {
      parts.push(row);
      size += row.length;
      count++;
      if (size >= CHUNK_CHARS) {
        yield parts.join('');
        parts = [];
        size = 0;
      }
    }
    if (parts.length > 0) yield parts.join('');
  }
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`COPY ${target} FROM STDIN`)));
  return count;
}

/** A value in COPY's text format: NULL as \N, backslash and control characters escaped. */
export function copyValue(value: string | number | bigint | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value !== 'string') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : value;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One row of COPY text: values separated by tabs, ending in a newline. */
export function copyRow(values: ReadonlyArray<string | number | bigint | boolean | null | undefined>): string {
  let row = '';
  for (let i = 0; i < values.length; i++) row += (i === 0 ? '' : '\t') + copyValue(values[i]);
  return row + '\n';
}

/**
 * Takes `count` ids from the sequence behind `table.id` in one round trip, so rows written by COPY
 * can point at each other before they exist. Other writers keep using the sequence meanwhile, so
 * the ids need not be contiguous; they are unique.
 */
export async function reserveIds(client: ClientBase, table: string, count: number): Promise<number[]> {
  if (count === 0) return [];
  const {
    rows: [sequence],
  } = await client.query<{ name: string }>(`SELECT pg_get_serial_sequence($1, 'id') AS name`, [table]);
  // A regclass parameter: resolved once, not once per id.
  const { rows } = await client.query<{ ids: string }>(`SELECT string_agg(nextval($1::regclass)::text, ',') AS ids FROM generate_series(1, $2)`, [
    sequence!.name,
    count,
  ]);
  const ids = rows[0]!.ids.split(',').map(Number);
  if (!ids.every(Number.isSafeInteger)) throw new Error(`ids of ${table} have outgrown JavaScript's safe integers`);
  return ids;
}
