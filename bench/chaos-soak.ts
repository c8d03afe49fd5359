import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { BLOCKER_CODES, closeWorkflowId } from '../close';
import { generateFederation } from '../db/seed/generator';
import { periodOf, previousPeriod } from '../lib/period';
import { standInAdmin } from '../simulators/common/admin-client';
import { seededRandom } from '../simulators/common/prng';
import { checkInvariants, type Violation } from './invariants';
import { startRacingWriters } from './racing-writers';
import { soakClient, startSoakApi } from './soak-api';
import { cutBackends, ownPostgres, restartTemporal, StandInTrouble, WorkerPool, type OwnPostgres } from './soak-faults';
import { HOSTILE_KINDS, sendHostile, type HostileTarget } from './soak-hostile';
import { subscribeNotices, tallyNotices, waitNoticesSettled } from './soak-notices';
import { startPeople } from './soak-people';
import { monthEndInFlight, whyNoClose, whyStillRunning } from './soak-stuck';
import { benchDatabase, benchSettings, benchTemporal, ledgerIds, sleep, standIns, Stops, taskQueueName, temporalClient, WorkerProcess } from './stack';

/**
 * `npm run chaos -- --soak [--quick] [--faults=N] [--ledgers=N] [--seed=N]` (issue #19): one mixed
 * scenario. A seeded fault loop injects at least N faults (1,000; quick 100) at a bounded rate —
 * mostly cheap ones (worker SIGKILL, database connections cut, the tax platform and the bank failing
 * or down for seconds, hostile requests at the API) and a few expensive ones (Temporal dev server
 * SIGKILL + restart; PostgreSQL restarted, only when the soak runs its own) — while a month-end of
 * the federation's ledgers, manual closes, reopens and acts on blockers go through the API and
 * writers race the closes. Then everything settles and the books, closes and notices are counted.
 */
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = process.argv.includes('--quick');
const o = {
  faults: Number(arg('faults') ?? (quick ? 100 : 1_000)),
  ledgers: Number(arg('ledgers') ?? (quick ? 50 : 500)),
  manualLedgers: quick ? 5 : 20,
  seed: Number(arg('seed') ?? Math.floor(Math.random() * 2 ** 31)),
  intervalMs: Number(arg('interval-ms') ?? (quick ? 300 : 600)),
  temporalRestarts: quick ? 1 : 5,
  postgresRestarts: quick ? 1 : 5,
  maxMinutes: Number(arg('max-minutes') ?? (quick ? 15 : 100)),
  settleMs: quick ? 300_000 : 900_000,
};
const PERIOD = previousPeriod(periodOf(new Date()));
// The generator derives a ledger's identity from (seed XOR its index): seeds a small XOR apart give two
// federations' ledgers the same taxpayer id, and one's invoices then show on the other's platform list.
const MANUAL_SEED = (seed: number) => (seed ^ 0x40000000) >>> 0;
const say = (s: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

type Kind =
  | 'hostileRequest'
  | 'workerKill'
  | 'postgresConnectionsCut'
  | 'taxErrorBurst'
  | 'bankErrorBurst'
  | 'taxOutage'
  | 'bankOutage'
  | 'temporalRestart'
  | 'postgresRestart';
/** Cheap faults by weight; the expensive two come at planned points of the count instead. */
const CHEAP: Array<[Kind, number]> = [
  ['hostileRequest', 30],
  ['workerKill', 15],
  ['postgresConnectionsCut', 20],
  ['taxErrorBurst', 8],
  ['bankErrorBurst', 8],
  ['taxOutage', 5],
  ['bankOutage', 5],
];
const WEIGHTS = CHEAP.reduce((n, [, w]) => n + w, 0);

function cheapKind(r: number): Kind {
  let w = r * WEIGHTS;
  for (const [kind, weight] of CHEAP) if ((w -= weight) < 0) return kind;
  return CHEAP[0][0];
}

/** Which fault to inject at each count where an expensive one is due: spread evenly over the run. */
function expensivePlan(temporal: number, postgres: number): Map<number, Kind> {
  const plan = new Map<number, Kind>();
  for (let k = 0; k < temporal; k++) plan.set(Math.round((o.faults * (k + 0.4)) / temporal), 'temporalRestart');
  for (let k = 0; k < postgres; k++) plan.set(Math.round((o.faults * (k + 0.8)) / postgres), 'postgresRestart');
  return plan;
}

async function states(ds: DataSource, ids: number[]) {
  const rows = (await ds.query(
    `SELECT state, (month_end_id IS NOT NULL) AS month_end, count(*)::int AS n FROM close_run WHERE ledger_id = ANY($1) GROUP BY 1, 2`,
    [ids],
  )) as Array<{ state: string; month_end: boolean; n: number }>;
  const [me] = (await ds.query(`SELECT state, ledger_count FROM month_end_run`)) as Array<{ state: string; ledger_count: number }>;
  const byState: Record<string, number> = {};
  for (const r of rows) byState[r.state] = (byState[r.state] ?? 0) + r.n;
  return {
    byState,
    total: rows.reduce((n, r) => n + r.n, 0),
    monthEndCloses: rows.filter((r) => r.month_end).reduce((n, r) => n + r.n, 0),
    monthEnd: me ?? { state: 'missing', ledger_count: 0 },
  };
}

export async function runSoak(): Promise<number> {
  const started = Date.now();
  const stops = new Stops();
  const onSignal = () => void stops.all().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const conditions: string[] = [
    `machine shared with other work: load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at start, ${os.cpus().length} cores`,
  ];
  try {
    say(
      `chaos soak: seed ${o.seed} (repeat with --seed=${o.seed}), ${o.faults} faults, ${o.ledgers} ledgers in the month-end, ${o.manualLedgers} closed by hand`,
    );
    // PostgreSQL restarts only on a server of the soak's own: never the machine's shared one.
    let pg: OwnPostgres | null = null;
    if (process.env.DATABASE_URL) {
      conditions.push('PostgreSQL restarts skipped: DATABASE_URL names a server the soak does not own (connections are still cut)');
    } else {
      pg = await ownPostgres(stops);
      process.env.DATABASE_URL = pg.url;
    }
    const temporal = await benchTemporal(stops);
    if (temporal.external) conditions.push(`Temporal restarts skipped: external server at ${temporal.address} (kill and restart it yourself)`);
    conditions.push(`Temporal: ${temporal.external ? temporal.address : (temporal.label ?? 'dev server (SQLite, 1 shard)')}`);
    const own = await standIns(stops);
    const db = await benchDatabase(stops, 'soak', 20);
    const serverUrl = new URL(db.url);
    serverUrl.pathname = '/postgres';

    const t0 = Date.now();
    const fed = await generateFederation(db.dataSource, {
      ledgers: o.ledgers,
      lines: 40,
      period: PERIOD,
      blockers: 0.04,
      parent: 'SOAKFED',
      unitPrefix: 'S',
      seed: o.seed,
    });
    await generateFederation(db.dataSource, {
      ledgers: o.manualLedgers,
      lines: 40,
      period: PERIOD,
      parent: 'SOAKMAN',
      unitPrefix: 'SM',
      seed: MANUAL_SEED(o.seed),
    });
    await standInAdmin(own.bank.url).request('PUT', '/transfers', { transfers: fed.bank.transfers });
    await standInAdmin(own.tax.url).request('POST', '/invoices', { invoices: fed.taxPlatform.invoices });
    const seedS = Math.round((Date.now() - t0) / 1000);
    const manualCodes = Array.from({ length: o.manualLedgers }, (_, i) => `SM${String(i + 1).padStart(5, '0')}`);
    const monthEndCodes = ['SOAKFED', ...fed.ledgers.map((l) => l.code)];
    const ids = await ledgerIds(db.dataSource, [...monthEndCodes, 'SOAKMAN', ...manualCodes]);
    const seededBlocked = new Set(fed.blockers.map((b) => b.ledgerCode));
    say(`seeded ${ids.length} ledgers (${seededBlocked.size} with blockers of every kind) in ${seedS} s`);

    // Notices come fast in the soak, and a delivery keeps trying through the faults rather than giving up.
    Object.assign(process.env, {
      NOTIFY_POLL_MS: '1000',
      NOTIFY_SETTLE_MS: '1500',
      NOTIFY_RETRY_INITIAL_MS: '500',
      NOTIFY_RETRY_MAX_MS: '5000',
      NOTIFY_MAX_ATTEMPTS: '200',
      NOTIFY_TIMEOUT_MS: '5000',
    });
    const taskQueue = taskQueueName('soak');
    const newWorker = (label: string) =>
      new WorkerProcess({ databaseUrl: db.url, address: temporal.address, taskQueue, taxUrl: own.tax.url, bankUrl: own.bank.url }, label);
    const pool = new WorkerPool([newWorker('worker A'), newWorker('worker B')]);
    stops.push('soak workers', async () => {
      for (const w of pool.workers) await w.stop();
    });
    if (!(await pool.allPolling(180_000))) throw new Error('the workers did not start polling');
    const settings = benchSettings({ heartbeatTimeoutMs: 10_000, stepTimeoutMs: 120_000, recheckMaxMs: 30_000 });
    const api = await startSoakApi(stops, {
      dataSource: db.dataSource,
      temporalAddress: temporal.address,
      taskQueue,
      bankUrl: own.bank.url,
      closeSettings: settings,
      monthEndConcurrency: quick ? 10 : 20,
    });
    const client = soakClient(api.url, api.token);
    const { receiver, subscriptionId } = await subscribeNotices(stops, client);

    const writers = startRacingWriters(db.url, ids, PERIOD, { writers: 3, holdMs: 300 });
    let writerStats: Awaited<ReturnType<typeof writers.stop>> | undefined;
    stops.push('soak writers', async () => {
      writerStats ??= await writers.stop();
    });
    const monthEnd = await client.call('POST', '/api/v1/month-ends', { period: PERIOD, parent: 'SOAKFED' });
    if (monthEnd.status !== 201 && monthEnd.status !== 202 && monthEnd.status !== 200)
      throw new Error(`month-end answered ${monthEnd.status}: ${JSON.stringify(monthEnd.body)}`);
    const people = startPeople({
      client,
      ds: db.dataSource,
      rand: seededRandom(o.seed ^ 0x5eed),
      period: PERIOD,
      manualCodes,
      ledgerIds: ids,
      maxReopens: quick ? 4 : 20,
      maxActs: quick ? 30 : 200,
      paceMs: quick ? 1_000 : 2_000,
    });
    let peopleStats: Awaited<ReturnType<typeof people.stop>> | undefined;
    stops.push('soak people', async () => {
      peopleStats ??= await people.stop();
    });
    let closeId: string | undefined;
    while (!closeId) {
      await sleep(500);
      closeId = ((await db.dataSource.query(`SELECT id FROM close_run ORDER BY started_at LIMIT 1`)) as Array<{ id: string }>)[0]?.id;
    }
    const target: HostileTarget = {
      baseUrl: api.url,
      token: api.token,
      readOnlyToken: api.readOnlyToken,
      period: PERIOD,
      ledger: manualCodes[0],
      closeId,
      parent: 'SOAKFED',
    };

    // The fault loop.
    const rand = seededRandom(o.seed);
    const tax = new StandInTrouble(own.tax.url);
    const bank = new StandInTrouble(own.bank.url);
    const plan = expensivePlan(temporal.external ? 0 : o.temporalRestarts, pg ? o.postgresRestarts : 0);
    const byKind: Record<string, number> = {};
    const notInjected: Record<string, number> = {};
    const hostileOutcomes: Record<string, number> = {};
    const violations: Violation[] = [];
    let backendsTerminated = 0;
    let injected = 0;
    const loopStarted = Date.now();
    const deadline = started + o.maxMinutes * 60_000;
    const minReopens = quick ? 2 : 10;
    while ((injected < o.faults || people.reopened() < minReopens) && Date.now() < deadline) {
      pool.ensure();
      const r = rand();
      const a = rand(); // the fault's own parameter (which worker, how long), drawn every round so the plan stays aligned
      const planned = plan.get(injected);
      plan.delete(injected);
      const kind = planned ?? cheapKind(r);
      try {
        let done = true;
        if (kind === 'hostileRequest') {
          const res = await sendHostile(HOSTILE_KINDS[Math.floor(a * HOSTILE_KINDS.length)], target);
          hostileOutcomes[res.outcome] = (hostileOutcomes[res.outcome] ?? 0) + 1;
          if (res.outcome === 'accepted' || res.outcome === 'serverError' || res.outcome === 'shapeless')
            violations.push({ invariant: 'api_refuses_hostile_requests', detail: res.detail });
        } else if (kind === 'workerKill') done = pool.killOne(a);
        else if (kind === 'postgresConnectionsCut') backendsTerminated += await cutBackends(serverUrl.toString(), db.name, 0.5);
        else if (kind === 'taxErrorBurst') await tax.burst(2_000 + Math.floor(a * 4_000), o.seed + injected);
        else if (kind === 'bankErrorBurst') await bank.burst(2_000 + Math.floor(a * 4_000), o.seed + injected);
        else if (kind === 'taxOutage') await tax.outage(2_000 + Math.floor(a * 6_000));
        else if (kind === 'bankOutage') await bank.outage(2_000 + Math.floor(a * 6_000));
        else if (kind === 'temporalRestart') await restartTemporal(temporal);
        else if (kind === 'postgresRestart') await pg!.restart(a < 0.5 ? 'immediate' : 'fast');
        if (done) {
          injected++;
          byKind[kind] = (byKind[kind] ?? 0) + 1;
          if (kind === 'temporalRestart' || kind === 'postgresRestart') say(`${kind} done (${injected} faults so far)`);
        } else notInjected[kind] = (notInjected[kind] ?? 0) + 1;
      } catch (err) {
        notInjected[kind] = (notInjected[kind] ?? 0) + 1;
        if (violations.length < 50 && kind !== 'postgresConnectionsCut') say(`${kind} not injected: ${(err as Error).message}`);
      }
      if (injected % 100 === 0 && injected > 0 && !planned) say(`${injected} faults injected`);
      await sleep(Math.floor(o.intervalMs * (0.5 + rand())));
    }
    const faultLoopS = Math.round((Date.now() - loopStarted) / 1000);
    if (injected < o.faults) violations.push({ invariant: 'faults_injected', detail: `${injected} of ${o.faults} faults by the ${o.maxMinutes}-minute limit` });
    say(`fault loop over: ${injected} faults in ${faultLoopS} s; calming down and settling`);

    await tax.calm();
    await bank.calm();
    if (!(await pool.allPolling(180_000))) violations.push({ invariant: 'workers_come_back', detail: 'a worker did not poll again within 3 minutes' });
    peopleStats = await people.stop();
    writerStats = await writers.stop();
    for (const example of writerStats.otherExamples) violations.push({ invariant: 'writers_meet_only_book_rules', detail: example });
    // Each blocked close re-checked once on calm systems, as a person pressing "resume" would.
    const blockedBefore = (await db.dataSource.query(`SELECT id FROM close_run WHERE state = 'blocked' AND ledger_id = ANY($1)`, [ids])) as Array<{
      id: string;
    }>;
    for (const b of blockedBefore) await client.call('POST', `/api/v1/closes/${b.id}/resume`, {});
    const settleStarted = Date.now();
    let s = await states(db.dataSource, ids);
    // Unchanged this long while closes re-check every few seconds: something is stuck, not slow.
    const stalledMs = quick ? 120_000 : 300_000;
    for (let lastChange = Date.now(), last = JSON.stringify(s); ;) {
      if (((s.byState.running ?? 0) === 0 && s.monthEnd.state !== 'running') || Date.now() - settleStarted > o.settleMs) break;
      if (Date.now() - lastChange > stalledMs) break;
      await sleep(2_000);
      s = await states(db.dataSource, ids).catch(() => s);
      if (JSON.stringify(s) !== last) [lastChange, last] = [Date.now(), JSON.stringify(s)];
    }
    const settleS = Math.round((Date.now() - settleStarted) / 1000);
    const notices = await waitNoticesSettled(db.dataSource, subscriptionId, quick ? 120_000 : 300_000);
    s = await states(db.dataSource, ids);
    say(
      `settled in ${settleS} s: ${JSON.stringify(s.byState)}, month-end ${s.monthEnd.state}; notices ${notices.settled ? 'settled' : 'NOT settled'} in ${Math.round(notices.ms / 1000)} s`,
    );

    const stuck: string[] = [];
    if ((s.byState.running ?? 0) > 0 || s.monthEnd.state === 'running') {
      const tc = await temporalClient(stops, temporal.address);
      const running = (await db.dataSource.query(`SELECT workflow_id FROM close_run WHERE state = 'running' AND ledger_id = ANY($1)`, [ids])) as Array<{
        workflow_id: string;
      }>;
      stuck.push(
        ...(await whyStillRunning(
          tc,
          running.map((r) => r.workflow_id),
        )),
      );
      const [me] = (await db.dataSource.query(`SELECT workflow_id FROM month_end_run`)) as Array<{ workflow_id: string }>;
      if (me && s.monthEnd.state === 'running') stuck.push(`${me.workflow_id}: waits to hear from ${await monthEndInFlight(tc, me.workflow_id)} closes`);
      say(`stuck: ${stuck.join(' | ')}`);
    }
    // Every ledger the month-end counted has a close of it: none left behind without a trace.
    const unclosed = (await db.dataSource.query(
      `SELECT l.code, coalesce(p.state, '-') AS period_state FROM ledger l LEFT JOIN period p ON p.ledger_id = l.id AND p.period = $2
       WHERE l.code = ANY($1) AND NOT EXISTS (SELECT 1 FROM close_run c WHERE c.ledger_id = l.id AND c.period = $2 AND c.month_end_id IS NOT NULL)`,
      [fed.ledgers.map((l) => l.code), PERIOD],
    )) as Array<{ code: string; period_state: string }>;
    if (unclosed.length > 0) {
      const tc = await temporalClient(stops, temporal.address);
      const why = await whyNoClose(
        tc,
        unclosed.map((u) => closeWorkflowId(u.code, PERIOD)),
        // What the books hold of the close Temporal names: its run, and the first of its audit entries.
        async (closeId) =>
          JSON.stringify(
            await db.dataSource.query(
              `SELECT c.state, c.ledger_id, c.period, c.month_end_id,
                      (SELECT json_agg(a.action ORDER BY a.id) FROM (SELECT id, action FROM audit_log WHERE target = $1 ORDER BY id LIMIT 5) a) AS audit
               FROM (SELECT $1::text AS id) x LEFT JOIN close_run c ON c.id::text = x.id`,
              [closeId],
            ),
          ),
      );
      violations.push({
        invariant: 'month_end_closes_every_ledger',
        detail: `${unclosed.length} ledgers without a close of the month-end (${unclosed
          .slice(0, 10)
          .map((u) => `${u.code}${seededBlocked.has(u.code) ? ' (seeded blockers)' : ''}: period ${u.period_state}`)
          .join(', ')}); Temporal: ${why.join(' | ')}`,
      });
    }
    // Every close closed, or blocked on blockers of the business (no failed, running or cancelled one).
    for (const state of ['running', 'failed', 'cancelled'])
      if (s.byState[state]) violations.push({ invariant: 'every_close_closed_or_on_a_real_blocker', detail: `${s.byState[state]} closes ${state}` });
    if (s.monthEnd.state !== 'completed') violations.push({ invariant: 'month_end_completes', detail: `month-end ${s.monthEnd.state}` });
    for (const why of stuck) violations.push({ invariant: 'nothing_stuck', detail: why });
    const failed = (await db.dataSource.query(
      `SELECT l.code, c.errors FROM close_run c JOIN ledger l ON l.id = c.ledger_id WHERE c.state = 'failed' AND c.ledger_id = ANY($1) LIMIT 10`,
      [ids],
    )) as Array<{ code: string; errors: unknown }>;
    // The errors that ended it come last: those are told, with how many came before.
    for (const f of failed) {
      const errors = Array.isArray(f.errors) ? (f.errors as unknown[]) : [f.errors];
      violations.push({
        invariant: 'no_close_fails',
        detail: `${f.code}: ${errors.length} errors, the last: ${JSON.stringify(errors.slice(-3)).slice(0, 1500)}`,
      });
    }
    const blocked = (await db.dataSource.query(
      `SELECT l.code, c.blockers FROM close_run c JOIN ledger l ON l.id = c.ledger_id WHERE c.state = 'blocked' AND c.ledger_id = ANY($1)`,
      [ids],
    )) as Array<{ code: string; blockers: Array<{ code: string; items: unknown[] }> }>;
    const blockedCodes: Record<string, number> = {};
    for (const b of blocked) {
      if (b.blockers.length === 0 || b.blockers.some((x) => !(BLOCKER_CODES as readonly string[]).includes(x.code)))
        violations.push({ invariant: 'every_close_closed_or_on_a_real_blocker', detail: `${b.code}: ${JSON.stringify(b.blockers.map((x) => x.code))}` });
      for (const x of b.blockers) blockedCodes[x.code] = (blockedCodes[x.code] ?? 0) + 1;
    }
    // What the closes met and retried past, by code (each close keeps its last 50): the faults seen from inside.
    const retried = (await db.dataSource.query(
      `SELECT e->>'code' AS code, count(*)::int AS n FROM close_run c, jsonb_array_elements(c.errors) e
       WHERE c.ledger_id = ANY($1) AND jsonb_typeof(c.errors) = 'array' GROUP BY 1 ORDER BY 2 DESC`,
      [ids],
    )) as Array<{ code: string; n: number }>;
    const errorsRecorded = Object.fromEntries(retried.map((r) => [r.code, r.n]));
    const blockedElsewhere = blocked
      .filter((b) => !seededBlocked.has(b.code))
      .map((b) => `${b.code}: ${b.blockers.map((x) => `${x.code} ${JSON.stringify(x.items.slice(0, 2))}`).join('; ')}`);

    // What the hostile requests would have written had they been let through.
    const [w] = (await db.dataSource.query(
      `SELECT (SELECT count(*) FROM month_end_run)::int AS month_ends,
              (SELECT count(*) FROM audit_log WHERE actor = 'soak-auditor')::int AS by_auditor,
              (SELECT count(*) FROM audit_log WHERE action = 'period.reopen')::int AS reopens`,
    )) as Array<{ month_ends: number; by_auditor: number; reopens: number }>;
    if (w.month_ends !== 1) violations.push({ invariant: 'hostile_requests_write_nothing', detail: `${w.month_ends} month-end runs, one started` });
    if (w.by_auditor !== 0) violations.push({ invariant: 'hostile_requests_write_nothing', detail: `${w.by_auditor} audit entries by the auditor` });
    if (w.reopens !== (peopleStats.reopens.ok ?? 0))
      violations.push({ invariant: 'hostile_requests_write_nothing', detail: `${w.reopens} reopenings audited, ${peopleStats.reopens.ok ?? 0} made` });

    const tally = await tallyNotices(db.dataSource, subscriptionId, receiver);
    if (tally.lost > 0) violations.push({ invariant: 'each_notice_delivered', detail: `${tally.lost} lost: ${tally.lostExamples.join('; ')}` });
    if (tally.eventsTwice > 0)
      violations.push({ invariant: 'each_notice_once', detail: `${tally.eventsTwice} events reached the receiver under two delivery ids` });
    if (tally.badSignatures > 0) violations.push({ invariant: 'notices_signed', detail: `${tally.badSignatures} attempts with a bad signature` });
    const closedRuns = s.byState.closed ?? 0;
    if ((tally.delivered['close.closed'] ?? 0) !== closedRuns)
      violations.push({
        invariant: 'each_notice_once',
        detail: `${tally.delivered['close.closed'] ?? 0} close.closed notices for ${closedRuns} closed closes`,
      });
    if ((tally.delivered['month_end.finished'] ?? 0) !== 1)
      violations.push({ invariant: 'each_notice_once', detail: `${tally.delivered['month_end.finished'] ?? 0} month_end.finished notices` });

    const inv = await checkInvariants(db.dataSource, { ledgerIds: ids });
    violations.push(...inv.violations);
    const report = {
      mode: quick ? 'quick' : 'full',
      at: new Date().toISOString(),
      seed: o.seed,
      elapsedS: Math.round((Date.now() - started) / 1000),
      conditions: [
        ...conditions,
        `load average ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')} at the end`,
      ],
      faults: {
        target: o.faults,
        injected,
        byKind,
        notInjected,
        postgresBackendsTerminated: backendsTerminated,
        workerStarts: pool.starts,
        workerStartFailures: pool.startFailures,
        hostileOutcomes,
        taxStandIn: await tax.stats().catch(() => null),
        bankStandIn: await bank.stats().catch(() => null),
      },
      ledgers: { monthEnd: monthEndCodes.length, manual: manualCodes.length, withSeededBlockers: seededBlocked.size },
      monthEnd: { state: s.monthEnd.state, ledgers: s.monthEnd.ledger_count, closes: s.monthEndCloses },
      closes: {
        total: s.total,
        byState: s.byState,
        blockedCodes,
        blockedOutsideSeededLedgers: blockedElsewhere.slice(0, 10),
        resumedAtEnd: blockedBefore.length,
        errorsRecorded,
        stuck,
      },
      people: peopleStats,
      api: { ...client.stats, internalErrors: api.internalErrors },
      writers: writerStats,
      notices: { ...tally, settled: notices.settled },
      invariants: { checks: inv.checks, byInvariant: inv.byInvariant },
      checks: inv.checks,
      violationCount: violations.length,
      violations: violations.slice(0, 40),
      timings: { seedS, faultLoopS, settleS, noticesSettleS: Math.round(notices.ms / 1000) },
    };
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    console.table(Object.entries(byKind).map(([kind, n]) => ({ fault: kind, injected: n })));
    console.table([
      { closes: s.total, ...s.byState, checks: inv.checks, violations: violations.length, noticesLost: tally.lost, duplicatesOnWire: tally.duplicatesOnWire },
    ]);
    recordResult(report);
    return violations.length > 0 ? 1 : 0;
  } finally {
    await stops.all();
  }
}

/**
 * bench/results.json, read-modify-write of the soak's own key only (the benchmarks own the rest):
 * `chaos_soak` on the dev server, `chaos_soak@production` on the production server, side by side.
 */
function recordResult(report: object): void {
  const file = path.resolve(__dirname, '..', '..', 'bench', 'results.json');
  const data = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  data[process.argv.includes('--temporal-server=production') ? 'chaos_soak@production' : 'chaos_soak'] = report;
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
}
