import type { ClientBase } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import type { BatchBook } from './book';
import { reserveBatchIds, writeLane } from './write-batch';

/**
 * The connections a seed writes through, each in its own transaction. PostgreSQL runs one
 * statement on one core, and the per-row work of a load (foreign keys, guard triggers, indexes) is
 * the bottleneck, so two connections on a 2-core machine load nearly twice as fast as one.
 */
export class WriterLanes {
  private constructor(
    private readonly runners: QueryRunner[],
    readonly clients: ClientBase[],
  ) {}

  static async open(dataSource: DataSource, count: number): Promise<WriterLanes> {
    const runners: QueryRunner[] = [];
    const clients: ClientBase[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const runner = dataSource.createQueryRunner();
        runners.push(runner);
        clients.push((await runner.connect()) as ClientBase);
      }
    } catch (err) {
      await Promise.all(runners.map((r) => r.release()));
      throw err;
    }
    return new WriterLanes(runners, clients);
  }

  get first(): ClientBase {
    return this.clients[0]!;
  }

  get count(): number {
    return this.clients.length;
  }

  async begin(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.query('BEGIN')));
  }

  /** One after another: all work is written and checked by now, so a COMMIT fails only with its connection. */
  async commit(): Promise<void> {
    for (const client of this.clients) await client.query('COMMIT');
  }

  async rollback(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.query('ROLLBACK').catch(() => undefined)));
  }

  /** Writes a batch: ids reserved once, then each lane COPYs its share at the same time. */
  async write(book: BatchBook): Promise<void> {
    const ids = await reserveBatchIds(this.first, book);
    const results = await Promise.allSettled(this.clients.map((client, index) => writeLane(client, book, ids, { index, count: this.count })));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async release(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.release()));
  }
}
