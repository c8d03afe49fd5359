import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { createApp } from '../api/app';
import { createToken, createUser } from '../api/services/user-service';
import { defaultCloseSettings } from '../close';
import { createHttpBankClient } from '../integrations/bank';
import { seedFederation10k, type BookFigure } from './book-figures';
import { log, Stops } from './stack';

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

/**
 * `board10k`: the dashboard's federation board (web/src/views/BoardView.tsx) over 10,000 ledgers (a
 * tenth with --quick), through the real API on loopback: the requests the page sends — its first
 * page of 50 with totals, "not ready only", a state filter, and the next page by cursor — one at a
 * time, as one person's browser sends them. The ledgers are the ones readiness10k seeded.
 */
export async function board10k(ds: DataSource, period: string, scale: number, measuring: () => void): Promise<BookFigure> {
  const { parent, ledgers } = await seedFederation10k(ds, period, scale);
  const stops = new Stops();
  try {
    const { baseUrl, token } = await serveApi(stops, ds);
    const get = async (query: Record<string, string>) => {
      const t = performance.now();
      const res = await fetch(`${baseUrl}/api/v1/readiness?${new URLSearchParams({ parent, period, limit: '50', ...query })}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as { next: string | null; totals: { ledgers: number; ready: number } };
      if (res.status !== 200) throw new Error(`the board's request answered ${res.status}: ${JSON.stringify(body)}`);
      return { ms: performance.now() - t, body };
    };
    const first = await get({}); // warm-up (connections, plans), not counted
    const views: Array<[string, Record<string, string>]> = [
      ['first page', {}],
      ['not ready only', { ready: 'false' }],
      ['state open', { state: 'open' }],
      ['next page', first.body.next ? { cursor: first.body.next } : {}],
    ];
    measuring();
    const requests = Math.max(20, Math.round(200 * scale));
    const samples: number[] = [];
    const byView: Record<string, number[]> = {};
    for (let i = 0; i < requests; i++) {
      const [name, query] = views[i % views.length]!;
      const { ms } = await get(query);
      samples.push(ms);
      (byView[name] ??= []).push(ms);
    }
    const p99 = round(percentile(samples, 99));
    const p50 = round(percentile(samples, 50));
    return {
      id: 'board10k',
      name: `federation board (GET /api/v1/readiness, pages of 50) over ${ledgers.toLocaleString('en')} ledgers through the API, p99 of ${requests}`,
      value: p99,
      unit: 'ms p99',
      baseline: { value: p50, what: 'p50 of the same requests' },
      ratio: round(p99 / Math.max(1, p50), 2),
      goal: 'p99 < 200 ms',
      met: p99 < 200,
      details: {
        p50Ms: p50,
        maxMs: round(Math.max(...samples)),
        requests,
        p50ByViewMs: Object.fromEntries(Object.entries(byView).map(([k, v]) => [k, round(percentile(v, 50))])),
        totals: first.body.totals,
      },
    };
  } finally {
    await stops.all();
  }
}

/**
 * The app on a free loopback port over `ds`, with a finance manager's token. Its Temporal client
 * never connects: the board's requests only read the books.
 */
async function serveApi(stops: Stops, ds: DataSource): Promise<{ baseUrl: string; token: string }> {
  const temporalClient = new Client({ connection: Connection.lazy({ address: '127.0.0.1:7233' }) });
  const app = createApp({
    dataSource: ds,
    temporalClient,
    taskQueue: 'bench-board',
    closeSettings: defaultCloseSettings,
    monthEndConcurrency: 1,
    bank: createHttpBankClient({ baseUrl: 'http://127.0.0.1:9', logger: log, apiKey: 'unused', timeoutMs: 1_000 }),
    logger: log,
    bodyLimit: '64kb',
  });
  const http = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    http.once('listening', resolve);
    http.once('error', reject);
  });
  stops.push(
    'board api',
    () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  );
  await createUser(ds, { name: 'bench.board', role: 'finance_manager' }, 'bench');
  return { baseUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, token: await createToken(ds, 'bench.board', 'bench') };
}
