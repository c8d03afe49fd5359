import type { DataSource } from 'typeorm';
import type { BlockerAction, BlockerItem } from '../close';
import { sleep } from './stack';
import type { SoakClient } from './soak-api';

/**
 * What people do through the API while the soak's faults land: close ledgers by hand, reopen a
 * closed period with a reason (反结账) and close it again, and act on blockers (approve, post, pay,
 * ask the bank, take the platform's values…), each act as offered by the close's own blocker list.
 */
export interface PeopleStats {
  manualCloses: Record<string, number>;
  reopens: Record<string, number>;
  reclosesStarted: number;
  acts: Record<string, Record<string, number>>;
  examples: string[];
}

export interface PeopleOptions {
  client: SoakClient;
  ds: DataSource;
  rand: () => number;
  period: string;
  manualCodes: string[];
  /** The soak's ledgers, where blocked closes are looked for. */
  ledgerIds: number[];
  maxReopens: number;
  maxActs: number;
  paceMs: number;
}

/** ok, unavailable (503 or no answer: tried again already), refused (4xx, a rule of the books), or a server error (any other 5xx). */
const outcomeOf = (status: number, body: { error?: { code?: string } } | null) =>
  status >= 200 && status < 300
    ? 'ok'
    : status === 503 || status === 0
      ? 'unavailable'
      : `${status >= 500 ? `server error ${status}` : 'refused'} ${body?.error?.code ?? status}`;

export function startPeople(o: PeopleOptions): { reopened(): number; stop(): Promise<PeopleStats> } {
  const stats: PeopleStats = { manualCloses: {}, reopens: {}, reclosesStarted: 0, acts: {}, examples: [] };
  const count = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
  let stopping = false;
  const pick = <T>(xs: T[]): T => xs[Math.floor(o.rand() * xs.length)];
  const nap = async (ms: number) => {
    for (const until = Date.now() + ms; !stopping && Date.now() < until;) await sleep(Math.min(250, ms));
  };

  async function closer(): Promise<void> {
    for (const ledger of o.manualCodes) {
      if (stopping) return;
      const r = await o.client.call('POST', '/api/v1/closes', { ledger, period: o.period });
      count(stats.manualCloses, outcomeOf(r.status, r.body));
      await nap(o.paceMs);
    }
    let reopened = 0;
    while (!stopping && reopened < o.maxReopens) {
      await nap(o.paceMs * 3);
      const closed = (await o.ds
        .query(
          `SELECT l.code FROM period p JOIN ledger l ON l.id = p.ledger_id WHERE p.state = 'closed' AND p.period = $1 AND l.code = ANY($2) ORDER BY l.code`,
          [o.period, o.manualCodes],
        )
        .catch(() => [])) as Array<{ code: string }>;
      if (closed.length === 0) continue;
      const ledger = pick(closed).code;
      reopened++;
      const r = await o.client.call('POST', `/api/v1/ledgers/${ledger}/periods/${o.period}/reopen`, {
        reason: `补记漏记凭证后重新结账（混沌测试第 ${reopened} 次）`,
      });
      const outcome = outcomeOf(r.status, r.body);
      count(stats.reopens, outcome);
      if (outcome !== 'ok') continue;
      await nap(o.paceMs); // the racing writers get a moment at the reopened period
      const again = await o.client.call('POST', '/api/v1/closes', { ledger, period: o.period });
      if (again.status === 202 || again.status === 200) stats.reclosesStarted++;
      else if (stats.examples.length < 10) stats.examples.push(`re-close of ${ledger}: ${again.status} ${JSON.stringify(again.body).slice(0, 200)}`);
    }
  }

  async function actor(): Promise<void> {
    let tried = 0;
    while (!stopping && tried < o.maxActs) {
      await nap(o.paceMs);
      const blocked = (await o.ds
        .query(`SELECT id FROM close_run WHERE state = 'blocked' AND ledger_id = ANY($1) ORDER BY id`, [o.ledgerIds])
        .catch(() => [])) as Array<{ id: string }>;
      if (blocked.length === 0) continue;
      const view = await o.client.call('GET', `/api/v1/closes/${pick(blocked).id}`);
      if (view.status !== 200) continue;
      const actions = ((view.body.blockers ?? []) as Array<{ items: BlockerItem[] }>)
        .flatMap((b) => b.items.flatMap((i) => i.actions ?? []))
        .filter((a: BlockerAction) => a.needs.every((n) => n === 'reason'));
      if (actions.length === 0) continue;
      const act = pick(actions);
      tried++;
      const body = { ...act.body, ...(act.needs.includes('reason') ? { reason: '已与经办人核实（混沌测试）' } : {}) };
      const r = await o.client.call('POST', act.path, body);
      count((stats.acts[act.id] ??= {}), outcomeOf(r.status, r.body));
    }
  }

  const running = Promise.all([closer(), actor()]);
  return {
    /** Reopenings made so far: the fault loop goes on until the first few are made under its faults. */
    reopened: () => stats.reopens.ok ?? 0,
    async stop() {
      stopping = true;
      await running;
      return stats;
    },
  };
}
