import { Client as PgClient } from 'pg';
import type { DataSource } from 'typeorm';
import { generateFederation } from '../db/seed/generator';
import { periodOf, previousPeriod } from '../lib/period';
import { accounts } from '../db/seed/chart';
import { standInAdmin } from '../simulators/common/admin-client';
import { checkInvariants } from './invariants';
import { startRacingWriters } from './racing-writers';
import { runSoak } from './chaos-soak';
import {
  benchDatabase,
  benchSettings,
  benchTemporal,
  closeStarter,
  ledgerIds,
  log,
  sleep,
  standIns,
  Stops,
  taskQueueName,
  temporalClient,
  waitSettled,
  WorkerProcess,
  type TemporalHandle,
} from './stack';

/**
 * `npm run chaos [-- --quick] [-- --only=workers,postgres,standins,temporal,writers]`: closes against real
 * processes while faults are injected, then the books are checked by recomputation from raw lines.
 * `-- --soak [--quick]`: the five kinds of fault mixed, a thousand of them, in one run (bench/chaos-soak.ts).
 */
const quick = process.argv.includes('--quick');
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const PERIOD = previousPeriod(periodOf(new Date()));
const CLOSES = quick ? 10 : 50;
const SETTLE_MS = quick ? 240_000 : 600_000;

interface ScenarioReport {
  scenario: string;
  faults: Record<string, number | string>;
  closes: number;
  states: Record<string, number>;
  settledMs: number;
  timedOut: boolean;
  invariantChecks: number;
  violations: Array<{ invariant: string; detail: string }>;
}

interface Env {
  stops: Stops;
  temporal: TemporalHandle;
  taxUrl: string;
  bankUrl: string;
}

/** A fresh database with `CLOSES` small ledgers, a task queue, and a child worker factory. */
async function prepare(env: Env, tag: string) {
  // Stand-ins of its own: invoice numbers repeat across fresh databases (they embed the ledger id).
  const own = await standIns(env.stops);
  env.taxUrl = own.tax.url;
  env.bankUrl = own.bank.url;
  const db = await benchDatabase(env.stops, `chaos_${tag}`, 10);
  await generateFederation(db.dataSource, {
    ledgers: CLOSES,
    lines: 3_000,
    period: PERIOD,
    parent: `${tag.toUpperCase()}FED`,
    unitPrefix: `C${tag[0].toUpperCase()}`,
    seed: (10 + ['workers', 'postgres', 'standins', 'temporal', 'writers'].indexOf(tag)) << 20,
  });
  const taskQueue = taskQueueName(tag);
  const newWorker = (label: string) =>
    new WorkerProcess({ databaseUrl: db.url, address: env.temporal.address, taskQueue, taxUrl: env.taxUrl, bankUrl: env.bankUrl }, label);
  const codes = Array.from({ length: CLOSES }, (_, i) => `C${tag[0].toUpperCase()}${String(i + 1).padStart(5, '0')}`);
  return { db, taskQueue, newWorker, codes };
}

async function startAll(dataSource: DataSource, env: Env, taskQueue: string, codes: string[]): Promise<string[]> {
  const client = await temporalClient(env.stops, env.temporal.address);
  const starter = closeStarter(dataSource, client, taskQueue, benchSettings({ heartbeatTimeoutMs: 10_000, stepTimeoutMs: 120_000 }));
  const ids: string[] = [];
  for (const code of codes) {
    for (let attempt = 1; ; attempt++) {
      try {
        ids.push(await starter.start(code, PERIOD));
        break;
      } catch (err) {
        if (attempt >= 10) throw err;
        await sleep(500);
      }
    }
  }
  return ids;
}

async function finish(scenario: string, dataSource: DataSource, ids: string[], codes: string[], faults: ScenarioReport['faults']): Promise<ScenarioReport> {
  const settled = await waitSettled(dataSource, ids, SETTLE_MS);
  const report = await checkInvariants(dataSource, { ledgerIds: await ledgerIds(dataSource, codes) });
  const violations = [...report.violations];
  if (settled.closed + settled.blocked !== ids.length) {
    violations.push({
      invariant: 'every_close_settles',
      detail: `${settled.closed} closed, ${settled.blocked} blocked, ${settled.failed} failed, ${settled.running} running of ${ids.length}`,
    });
  }
  const [r] = (await dataSource.query(
    `
    SELECT coalesce(sum(greatest((s ->> 'attempts')::int - 1, 0)), 0)::int AS retries,
           count(*) FILTER (WHERE s -> 'lastError' IS NOT NULL AND s -> 'lastError' <> 'null'::jsonb)::int AS steps_with_errors,
           extract(epoch FROM max(c.ended_at) - min(c.started_at))::int AS span_s
    FROM close_run c, jsonb_array_elements(c.steps) s WHERE c.id = ANY($1)`,
    [ids],
  )) as Array<{ retries: number; steps_with_errors: number; span_s: number }>;
  faults.stepRetries = r.retries;
  faults.stepsWithErrors = r.steps_with_errors;
  faults.closesSpanS = r.span_s;
  const blockedRows = (await dataSource.query(`SELECT id, blockers::text AS b FROM close_run WHERE id = ANY($1) AND state = 'blocked' LIMIT 3`, [
    ids,
  ])) as Array<{ id: string; b: string }>;
  if (blockedRows.length > 0) faults.blockedExample = blockedRows[0].b.slice(0, 300);
  return {
    scenario,
    faults,
    closes: ids.length,
    states: { closed: settled.closed, blocked: settled.blocked, failed: settled.failed, cancelled: settled.cancelled, running: settled.running },
    settledMs: settled.ms,
    timedOut: settled.timedOut,
    invariantChecks: report.checks + 1,
    violations: violations.slice(0, 30),
  };
}

/** 1. Worker child processes SIGKILLed every few seconds and restarted; two side by side part of the time. */
async function workerKills(env: Env): Promise<ScenarioReport> {
  const { db, taskQueue, newWorker, codes } = await prepare(env, 'workers');
  const a = newWorker('worker A');
  const b = newWorker('worker B');
  env.stops.push('chaos workers', async () => {
    await a.stop();
    await b.stop();
  });
  await a.start();
  const ids: string[] = [];
  let startsDone = false;
  const starting = startAll(db.dataSource, env, taskQueue, codes).then((x) => {
    ids.push(...x);
    startsDone = true;
  });
  const deadline = Date.now() + (quick ? 60_000 : 150_000);
  let round = 0;
  while (Date.now() < deadline && round < 60) {
    round++;
    await sleep(1_000 + Math.floor(Math.random() * 1_500));
    if (round % 2 === 0) {
      if (!b.running) await b.start();
    } // a second worker joins every other round
    a.kill();
    await sleep(300);
    if (round % 3 === 0) b.kill();
    await a.start();
    if (startsDone && round >= 4) {
      const s = await waitSettled(db.dataSource, ids, 0);
      if (!s.timedOut) break;
    }
  }
  await starting;
  if (!a.running) await a.start();
  return finish('worker SIGKILL + restart, 2 workers part of the time', db.dataSource, ids, codes, {
    workerKills: a.kills + b.kills,
    workerStarts: a.starts + b.starts,
    rounds: round,
  });
}

/** 3. Every other connection to the database terminated repeatedly while the closes run. */
async function postgresCuts(env: Env): Promise<ScenarioReport> {
  const { db, taskQueue, newWorker, codes } = await prepare(env, 'postgres');
  const w = newWorker('worker');
  env.stops.push('chaos worker', () => w.stop());
  await w.start();
  const admin = new PgClient({ connectionString: db.url });
  await admin.connect();
  admin.on('error', () => undefined);
  const ids: string[] = [];
  let startsDone = false;
  const starting = startAll(db.dataSource, env, taskQueue, codes).then((x) => {
    ids.push(...x);
    startsDone = true;
  });
  let cuts = 0;
  let terminated = 0;
  let workerRestarts = 0;
  const deadline = Date.now() + (quick ? 40_000 : 120_000);
  try {
    for (let i = 0; i < 200 && Date.now() < deadline; i++) {
      await sleep(400 + Math.floor(Math.random() * 600));
      const r = await admin.query(`SELECT pg_terminate_backend(pid) AS t FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
      cuts++;
      terminated += r.rows.filter((x: { t: boolean }) => x.t).length;
      if (!w.running) {
        workerRestarts++;
        await w.start();
      }
      if (startsDone && cuts >= 5) {
        const s = await waitSettled(db.dataSource, ids, 0).catch(() => ({ timedOut: true }));
        if (!s.timedOut) break;
      }
    }
    await starting;
  } finally {
    await admin.end();
  }
  if (!w.running) {
    workerRestarts++;
    await w.start();
  }
  return finish('PostgreSQL connections terminated mid-close', db.dataSource, ids, codes, { cutRounds: cuts, backendsTerminated: terminated, workerRestarts });
}

/** 4. Tax platform and bank at 30% failures, then a full outage for a while. */
async function standInFaults(env: Env): Promise<ScenarioReport> {
  const { db, taskQueue, newWorker, codes } = await prepare(env, 'standins');
  const tax = standInAdmin(env.taxUrl);
  const bank = standInAdmin(env.bankUrl);
  // Two transfers in transit per ledger (资金划拨), which the bank has settled: each close must ask the
  // bank through the faults, and post each transfer exactly once.
  const transfers = (await db.dataSource.query(
    `INSERT INTO fund_transfer (ledger_id, period, reference, amount, debit_account, credit_account, counterparty, state)
     SELECT l.id, $1, 'CHAOS-' || l.code || '-' || g, 10000 * g + l.id, $2, $3, '市总工会', 'in_transit'
     FROM ledger l CROSS JOIN generate_series(1, 2) g WHERE l.code = ANY($4)
     RETURNING reference, amount::text AS amount`,
    [PERIOD, accounts.bank, accounts.parentSubsidyIncome, codes],
  )) as Array<{ reference: string; amount: string }>;
  await bank.request('PUT', '/transfers', { transfers: transfers.map((t) => ({ reference: t.reference, state: 'settled', amount: Number(t.amount) })) });
  const faults = { errorRate: 0.1, timeoutRate: 0.1, duplicateRate: 0.1, seed: 7 };
  await tax.setFaults(faults);
  await bank.setFaults(faults);
  const w = newWorker('worker');
  env.stops.push('chaos worker', () => w.stop());
  await w.start();
  try {
    const ids = await startAll(db.dataSource, env, taskQueue, codes);
    await sleep(3_000);
    await tax.setFaults({ ...faults, outageMs: 15_000 });
    await bank.setFaults({ ...faults, outageMs: 15_000 });
    await sleep(16_000);
    await sleep(5_000); // 30% faults a little longer, then the systems recover
    await tax.setFaults({});
    await bank.setFaults({});
    const report = await finish('tax platform + bank at 30% faults, 15 s outage', db.dataSource, ids, codes, {
      errorRate: 0.1,
      timeoutRate: 0.1,
      duplicateRate: 0.1,
      outageMs: 15_000,
      transfersInTransit: transfers.length,
      taxStats: JSON.stringify(await tax.stats()).slice(0, 400),
      bankStats: JSON.stringify(await bank.stats()).slice(0, 400),
    });
    return report;
  } finally {
    await tax.setFaults({}).catch(() => undefined);
    await bank.setFaults({}).catch(() => undefined);
  }
}

/** 2. The Temporal dev server SIGKILLed and restarted on the same db file in the middle of closes (twice). */
async function temporalKills(env: Env): Promise<ScenarioReport> {
  const { db, taskQueue, newWorker, codes } = await prepare(env, 'temporal');
  // A close takes a fraction of a second; a slow tax platform keeps many of them in flight, mid-step, when the server dies.
  await standInAdmin(env.taxUrl).setFaults({ slowMs: 1_000 });
  const w = newWorker('worker');
  env.stops.push('chaos worker', () => w.stop());
  await w.start();
  const ids: string[] = [];
  const starting = startAll(db.dataSource, env, taskQueue, codes).then((x) => {
    ids.push(...x);
  });
  const running = async () => ((await db.dataSource.query(`SELECT count(*)::int AS n FROM close_run WHERE state = 'running'`)) as Array<{ n: number }>)[0].n;
  let kills = 0;
  let workerRestarts = 0;
  const unsettledAtKill: number[] = [];
  for (let i = 0; i < 2; i++) {
    const enough = Math.min(15, Math.ceil(CLOSES / 3));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await running()) < enough) await sleep(200);
    unsettledAtKill.push(await running());
    env.temporal.kill();
    kills++;
    await sleep(3_000);
    await env.temporal.restart();
    if (!w.running) {
      workerRestarts++;
      await w.start();
    }
  }
  await starting;
  // A worker whose connection gave up while the server was down is replaced.
  await sleep(2_000);
  if (!w.running) {
    workerRestarts++;
    await w.start();
  }
  return finish('Temporal dev server SIGKILL + restart on the same db file', db.dataSource, ids, codes, {
    temporalKills: kills,
    workerRestarts,
    runningClosesAtEachKill: unsettledAtKill.join('/'),
  });
}

/**
 * 5. Writers racing the closes: several connections update, delete and insert lines, vouchers,
 * documents, sub-ledger entries and opening balances of the closing periods, each holding its
 * transaction open a while, so commits land before, during and after every freeze. A write may be
 * refused (frozen or closed period) but never slip in: the invariants then compare every closed
 * period's stored balances and backup with its raw lines.
 */
async function racingWriters(env: Env): Promise<ScenarioReport> {
  const { db, taskQueue, newWorker, codes } = await prepare(env, 'writers');
  const w = newWorker('worker');
  env.stops.push('chaos worker', () => w.stop());
  await w.start();
  const writers = startRacingWriters(db.url, await ledgerIds(db.dataSource, codes), PERIOD, { writers: 6, holdMs: 400 });
  let stats: Awaited<ReturnType<typeof writers.stop>> | undefined;
  env.stops.push('chaos writers', async () => {
    stats ??= await writers.stop();
  });
  await sleep(1_000);
  const ids = await startAll(db.dataSource, env, taskQueue, codes);
  await waitSettled(db.dataSource, ids, SETTLE_MS);
  stats = await writers.stop();
  const report = await finish('writers racing the closes (lines, vouchers, documents, sub-ledger, openings)', db.dataSource, ids, codes, {
    writers: 6,
    committed: stats.committed,
    refusedFrozen: stats.refusedFrozen,
    refusedClosed: stats.refusedClosed,
    conflicts: stats.conflicts,
    otherErrors: stats.otherErrors,
    byKind: JSON.stringify(stats.byKind),
  });
  for (const example of stats.otherExamples) report.violations.push({ invariant: 'writers_meet_only_book_rules', detail: example });
  return report;
}

async function main(): Promise<void> {
  if (process.argv.includes('--soak')) process.exit(await runSoak());
  const started = Date.now();
  const stops = new Stops();
  const reports: ScenarioReport[] = [];
  const failures: Array<{ scenario: string; error: string }> = [];
  let current: Stops | null = null;
  const onSignal = () => {
    void (current?.all() ?? Promise.resolve()).then(() => stops.all()).then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const temporal = await benchTemporal(stops);
    const env: Env = { stops, temporal, taxUrl: '', bankUrl: '' };
    const scenarios = [
      ['workers', workerKills],
      ['postgres', postgresCuts],
      ['standins', standInFaults],
      ['temporal', temporalKills],
      ['writers', racingWriters],
    ] as const;
    for (const [name, fn] of scenarios) {
      if (only && !only.includes(name)) continue;
      if (name === 'temporal' && temporal.external) {
        // A server of your own is not killed from here: kill and restart it yourself while another scenario runs.
        process.stdout.write(`— temporal: skipped (external Temporal server at ${temporal.address})\n`);
        continue;
      }
      process.stdout.write(`— ${name} …\n`);
      const t0 = Date.now();
      const scenarioStops = new Stops();
      current = scenarioStops;
      try {
        reports.push(await fn({ ...env, stops: scenarioStops }));
      } catch (err) {
        failures.push({ scenario: name, error: (err as Error).stack ?? (err as Error).message });
      } finally {
        await scenarioStops.all();
      }
      process.stdout.write(`  ${name} took ${Math.round((Date.now() - t0) / 1000)} s\n`);
    }
  } finally {
    await stops.all();
  }
  console.table(
    reports.map((r) => ({
      scenario: r.scenario,
      faults: Object.entries(r.faults)
        .filter(([k]) => !k.endsWith('Stats') && k !== 'blockedExample')
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
      closes: r.closes,
      closed: r.states.closed,
      blocked: r.states.blocked,
      failed: r.states.failed,
      running: r.states.running,
      settledS: Math.round(r.settledMs / 1000),
      checks: r.invariantChecks,
      violations: r.violations.length,
    })),
  );
  const out = { mode: quick ? 'quick' : 'full', at: new Date().toISOString(), elapsedS: Math.round((Date.now() - started) / 1000), reports, failures };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  process.exit(failures.length > 0 || reports.some((r) => r.violations.length > 0) ? 1 : 0);
}

if (require.main === module) {
  main().catch((err: Error) => {
    log.error({ err: err.message });
    process.stderr.write(`chaos failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}
