import { createHash } from 'node:crypto';
import { Client } from 'pg';

/**
 * A pg client that names every statement it sends with parameters, by a hash of its text, so each
 * connection prepares it once: PostgreSQL then parses it once per connection and, once its plan
 * settles (after five runs), stops planning it. Unnamed, every statement of a close was parsed and
 * planned at each run — a quarter of the books' CPU in a month-end (`bench/results.json`,
 * monthend10k's details). Only statements with parameters are named: they already go through the
 * extended protocol, so naming changes what is kept, not what runs. Texts are bounded (`maxTexts`
 * distinct texts per process; later ones run unnamed), so a connection keeps a bounded set.
 *
 * A prepared statement goes stale when a migration changes the columns it returns ("cached plan must
 * not change result type") or something dropped it on the server (DEALLOCATE, a pooler): that one
 * run fails, and the connection then prepares every text afresh under new names.
 */
export function namedStatementClient(maxTexts = 2000): typeof Client {
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    let name = names.get(text);
    if (name === undefined && names.size < maxTexts) {
      name = `s${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
      names.set(text, name);
    }
    return name;
  };

  class NamedStatementClient extends Client {
    /** Bumped when a prepared statement went stale on the server: every text is prepared again under a new name. */
    generation = 0;
  }
  const query = Client.prototype.query as (this: Client, ...args: unknown[]) => unknown;
  (NamedStatementClient.prototype as unknown as { query: unknown }).query = function (this: NamedStatementClient, ...args: unknown[]): unknown {
    const [text, values, callback] = args;
    const base = typeof text === 'string' && Array.isArray(values) && values.length > 0 ? nameOf(text) : undefined;
    if (base === undefined) return query.apply(this, args);
    const config = { name: this.generation === 0 ? base : `${base}_${this.generation}`, text: text as string };
    const generation = this.generation;
    const noteStale = (err: unknown) => {
      if (isStale(err) && this.generation === generation) this.generation++;
    };
    if (typeof callback === 'function') {
      return query.call(this, config, values, (err: unknown, result: unknown) => {
        if (err) noteStale(err);
        (callback as (e: unknown, r: unknown) => void)(err, result);
      });
    }
    return (query.call(this, config, values) as Promise<unknown>).catch((err: unknown) => {
      noteStale(err);
      throw err;
    });
  };
  return NamedStatementClient;
}

/** The server no longer has the statement as prepared: its result changed shape, or it was deallocated. */
function isStale(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: string; message?: string };
  return code === '26000' || (code === '0A000' && /cached plan must not change result type/i.test(String(message)));
}

/** The clients of every pool of this process (db/data-source.ts). */
export const NamedStatementClient = namedStatementClient();
