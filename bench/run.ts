import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { generateFederation } from '../db/seed/generator';
import { periodOf, previousPeriod } from '../lib/period';
import { closeWorkflowId, type CloseStatus, type StepStatus } from '../close';
import type { InvoiceSyncSummary } from '../workflows/invoices/invoice-sync';
import { benchApiLoad } from './api-load';
import { benchInvoiceStandIn } from './invoice-sync-standin';
import { checkInvariants, type InvariantReport } from './invariants';
import {
  benchDatabase,
  benchSettings,
  benchTemporal,
  closeStarter,
  ledgerIds,
  median,
  sleep,
  standIns,
  Stops,
  taskQueueName,
  temporalClient,
  WorkerProcess,
} from './stack';
import { posting, readiness10k } from './book-figures';
import { historyCostOf } from '../infra/history-cost';
import { monthEndWorkflowId } from '../api/services/month-end-service';
import { board10k } from './board-page';
import { growLedger } from './grow-ledger';

/**
 * `npm run bench [-- --quick]`: the product's figures, each beside a baseline measured in the same
 * run, printed as a table and written to bench/results.json. `--quick` is a tenth of the size.
 */
export interface Figure {
  /** The figure's --only name: big, big10m, overhead, monthend, monthend10k, invoices, posting, readiness10k, board10k, api. */
  id: string;
  name: string;
  value: number;
  unit: string;
  baseline: { value: number; what: string };
  ratio: number;
  goal: string;
  met: boolean;
  /** Seconds spent setting the figure up (seeding) and measuring it, printed and kept apart. */
  setupS?: number;
  measureS?: number;
  /** The run it came from: a --quick figure kept beside full ones says so. */
  mode?: 'quick' | 'full';
  at?: string;
  details?: Record<string, unknown>;
}

const quick = process.argv.includes('--quick');
const scale = quick ? 0.1 : 1;
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
/**
 * Closes a month-end runs at once (`--concurrency=N`): the product's default, MONTH_END_CONCURRENCY,
 * unless named; a run at another says so in its figures' names and details.
 */
const concurrency = Number(process.argv.find((a) => a.startsWith('--concurrency='))?.slice('--concurrency='.length) ?? 50);
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) throw new Error('--concurrency must be a whole number from 1 to 1000.');
const PERIOD = previousPeriod(periodOf(new Date()));
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

interface Ctx {
  dataSource: DataSource;
  client: Client;
  starter: ReturnType<typeof closeStarter>;
  worker: WorkerProcess;
  invariants: Array<{ figure: string } & Omit<InvariantReport, 'byInvariant'>>;
  /** POST …/invoice-sync as the API runs it, waiting for the result. */
  syncAhead(ledger: string, period: string): Promise<InvoiceSyncSummary>;
  /** Called by a figure when its set-up is done and its measurement begins. */
  measuring(): void;
}

/** A figure's clock: set-up until it calls measuring(), measurement after; both printed and recorded. */
/**
 * Runs one figure: prints its name, its set-up and measurement times (the figure calls `measuring`
 * when its set-up ends), and keeps it — or its failure, so one broken figure does not hide the rest.
 */
async function runFigure(
  name: string,
  measure: (measuring: () => void) => Promise<Figure>,
  run: { figures: Figure[]; failures: Array<{ figure: string; error: string }> },
): Promise<void> {
  process.stdout.write(`— ${name} …\n`);
  const t0 = Date.now();
  let from: number | null = null;
  const done = (figure?: Figure) => {
    const end = Date.now();
    const setupS = round(((from ?? end) - t0) / 1000, 1);
    const measureS = round((end - (from ?? end)) / 1000, 1);
    process.stdout.write(`  ${name}: set-up ${setupS} s, measurement ${measureS} s\n`);
    if (figure) run.figures.push({ ...figure, setupS, measureS, mode: quick ? 'quick' : 'full', at: new Date().toISOString() });
  };
  try {
    done(
      await measure(() => {
        from ??= Date.now();
      }),
    );
  } catch (err) {
    done();
    run.failures.push({ figure: name, error: (err as Error).message });
  }
}

async function timeMs<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

async function closeAndWait(ctx: Ctx, ledger: string, timeoutMs = 900_000): Promise<{ ms: number; startMs: number; status: CloseStatus }> {
  const t0 = performance.now();
  await ctx.starter.start(ledger, PERIOD);
  const startMs = performance.now() - t0;
  const result = (await Promise.race([
    ctx.client.workflow.getHandle(closeWorkflowId(ledger, PERIOD)).result(),
    sleep(timeoutMs).then(() => {
      throw new Error(`close of ${ledger} did not finish in ${timeoutMs} ms`);
    }),
  ])) as CloseStatus;
  return { ms: performance.now() - t0, startMs, status: result };
}

async function check(ctx: Ctx, figure: string, codes: string[]): Promise<void> {
  const report = await checkInvariants(ctx.dataSource, { ledgerIds: await ledgerIds(ctx.dataSource, codes) });
  ctx.invariants.push({ figure, checks: report.checks, violations: report.violations.slice(0, 20) });
  if (report.violations.length > 0)
    process.stdout.write(`  ! ${report.violations.length} invariant violations after ${figure}: ${JSON.stringify(report.violations.slice(0, 3))}\n`);
}

/**
 * 1. One ledger of 1,000,000 lines, against a GROUP BY over the same lines. Two such ledgers: one
 * closed cold (its invoices uploaded by the close's own invoice_sync step), one whose invoices were
 * synced ahead of the close (POST …/invoice-sync, as the README recommends during the month), so
 * the close confirms them by digest. The figure is the second; the first is in its details.
 */
async function bigLedger(ctx: Ctx): Promise<Figure> {
  const lines = Math.round(1_000_000 * scale);
  // One connection: its lines' voucher lookups are planned with statistics (db/seed/write-batch.ts).
  const seed = await generateFederation(ctx.dataSource, {
    ledgers: 2,
    lines,
    period: PERIOD,
    parent: 'BIGFED',
    unitPrefix: 'BIG',
    seed: 1 << 20,
    connections: 1,
  });
  await ctx.dataSource.query('VACUUM ANALYZE');
  ctx.measuring();
  const aggregateOf = async (ledger: string) => {
    const [{ id }] = (await ctx.dataSource.query(`SELECT id FROM ledger WHERE code = $1`, [ledger])) as Array<{ id: number }>;
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [ms] = await timeMs(() =>
        ctx.dataSource.query(`SELECT account_code, sum(debit), sum(credit) FROM voucher_line WHERE ledger_id = $1 AND period = $2 GROUP BY account_code`, [
          id,
          PERIOD,
        ]),
      );
      times.push(ms);
    }
    return median(times);
  };
  const measured = async (ledger: string) => {
    const rssBefore = ctx.worker.rssMiB();
    let rssPeak = rssBefore ?? 0;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, ctx.worker.rssMiB() ?? 0);
    }, 100);
    const close = await closeAndWait(ctx, ledger).finally(() => clearInterval(sampler));
    return { close, rss: { before: rssBefore, peak: rssPeak, after: ctx.worker.rssMiB() } };
  };

  const coldAggregateMs = await aggregateOf('BIG00001');
  const cold = await measured('BIG00001');
  const [syncAheadMs, ahead] = await timeMs(() => ctx.syncAhead('BIG00002', PERIOD));
  // The sync ahead runs days before the close; autovacuum has cleaned up after it by then.
  await ctx.dataSource.query('VACUUM ANALYZE invoice');
  const aggregateMs = await aggregateOf('BIG00002');
  // One close is one sample on a noisy machine: close, reopen (反结账) and close again, three times.
  const samples: Array<Awaited<ReturnType<typeof measured>>> = [];
  for (let i = 0; i < 3; i++) {
    if (i > 0) await ctx.starter.reopen('BIG00002', PERIOD, 'bench: close the same period again to measure it once more');
    samples.push(await measured('BIG00002'));
  }
  const warm = [...samples].sort((a, b) => a.close.ms - b.close.ms)[1];
  await check(ctx, 'big ledger', ['BIG00001', 'BIG00002']);
  const steps = (st: CloseStatus) => Object.fromEntries(st.steps.map((x) => [x.name, stepMs(x)]));
  return {
    id: 'big',
    name: `close one ledger of ${lines.toLocaleString('en')} lines, invoices synced ahead (median of 3)`,
    value: Math.round(warm.close.ms),
    unit: 'ms',
    baseline: {
      value: Math.round(aggregateMs),
      what: 'SELECT account_code, sum(debit), sum(credit) … GROUP BY account_code over the same lines (median of 3, warm)',
    },
    ratio: round(warm.close.ms / aggregateMs),
    goal: 'close ≤ 3× the aggregate',
    met: warm.close.ms <= 3 * aggregateMs,
    details: {
      state: warm.close.status.state,
      lines: Math.round(seed.rows.voucher_line / 2),
      invoices: Math.round(seed.rows.invoice / 2),
      workerRssMiB: warm.rss,
      stepMs: steps(warm.close.status),
      allMs: samples.map((x) => Math.round(x.close.ms)),
      invoiceSyncAhead: { ms: Math.round(syncAheadMs), uploaded: ahead.uploaded, matched: ahead.matched, reconciledBy: ahead.reconciledBy },
      cold: {
        what: 'the same size of ledger closed without syncing its invoices ahead: the close uploads and reconciles them itself',
        ms: Math.round(cold.close.ms),
        aggregateMs: Math.round(coldAggregateMs),
        ratio: round(cold.close.ms / coldAggregateMs),
        state: cold.close.status.state,
        workerRssMiB: cold.rss,
        stepMs: steps(cold.close.status),
      },
    },
  };
}

/**
 * big10m (only when named: --only=big10m): one ledger of 10,000,000 lines closed, against one of
 * 1,000,000 closed in the same run (a tenth of both with --quick). Both start as generated books
 * (documents, invoices, sub-ledgers); the large one then grows set-based (bench/grow-ledger.ts).
 * The close reads the tallies, never the lines, so it must not grow with them. Median of 3 closes
 * each, reopened between, invoices synced ahead as in figure 1.
 */
async function bigLedger10m(ctx: Ctx): Promise<Figure> {
  const base = Math.round(1_000_000 * scale);
  const large = Math.round(10_000_000 * scale);
  const gen = await generateFederation(ctx.dataSource, {
    ledgers: 2,
    lines: base,
    period: PERIOD,
    parent: 'TENFED',
    unitPrefix: 'TEN',
    seed: 10 << 20,
    connections: 1,
  });
  const grown = await growLedger(ctx.dataSource, {
    ledger: 'TEN00002',
    period: PERIOD,
    lines: large - base,
    onBatch: (done, ms) => process.stdout.write(`  TEN00002 grown by ${done.toLocaleString('en')} lines in ${round(ms / 1000, 1)} s\n`),
  });
  await ctx.dataSource.query('VACUUM ANALYZE');
  for (const ledger of ['TEN00001', 'TEN00002']) await ctx.syncAhead(ledger, PERIOD);
  await ctx.dataSource.query('VACUUM ANALYZE invoice');
  ctx.measuring();
  const closes = async (ledger: string) => {
    const ms: number[] = [];
    let last: CloseStatus | undefined;
    for (let i = 0; i < 3; i++) {
      if (i > 0) await ctx.starter.reopen(ledger, PERIOD, 'bench: close the same period again to measure it once more');
      const close = await closeAndWait(ctx, ledger);
      if (close.status.state !== 'closed') throw new Error(`the close of ${ledger} ended ${close.status.state}`);
      ms.push(Math.round(close.ms));
      last = close.status;
    }
    return { ms, median: median(ms), steps: Object.fromEntries(last!.steps.map((x) => [x.name, stepMs(x)])) };
  };
  const small = await closes('TEN00001');
  const big = await closes('TEN00002');
  const [{ lines }] = (await ctx.dataSource.query(
    `SELECT count(*)::int AS lines FROM voucher_line l JOIN ledger g ON g.id = l.ledger_id WHERE g.code = 'TEN00002'`,
  )) as Array<{ lines: number }>;
  return {
    id: 'big10m',
    name: `close one ledger of ${lines.toLocaleString('en')} lines, invoices synced ahead (median of 3)`,
    value: big.median,
    unit: 'ms',
    baseline: {
      value: small.median,
      what: `the same close of a ledger of ${Math.round(gen.rows.voucher_line / 2).toLocaleString('en')} lines in the same run (median of 3)`,
    },
    ratio: round(big.median / small.median),
    goal: `close ≤ 1.5× the ${base.toLocaleString('en')}-line close`,
    met: big.median <= 1.5 * small.median,
    details: {
      allMs: big.ms,
      baselineAllMs: small.ms,
      stepMs: big.steps,
      baselineStepMs: small.steps,
      seed: {
        generatorSeconds: round(gen.elapsedMs / 1000, 1),
        grownLines: grown.lines,
        growSeconds: round(grown.elapsedMs / 1000, 1),
        growLinesPerSecond: Math.round((grown.lines * 1000) / grown.elapsedMs),
        batchSeconds: grown.batchMs.map((ms) => round(ms / 1000, 1)),
      },
      invariants: 'not checked: the checker recomputes from every raw line (see figure 1 for the same close checked)',
    },
  };
}

function stepMs(s: StepStatus): number | null {
  return s.startedAt && s.endedAt ? new Date(s.endedAt).getTime() - new Date(s.startedAt).getTime() : null;
}

/** 2. An empty period closed end to end, against the round trip of starting a workflow and querying it. */
async function overhead(ctx: Ctx): Promise<Figure> {
  const n = quick ? 5 : 10;
  await generateFederation(ctx.dataSource, { ledgers: n + 1, lines: 0, period: PERIOD, parent: 'EMPFED', unitPrefix: 'E', seed: 2 << 20 });
  ctx.measuring();
  await closeAndWait(ctx, 'E00001', 60_000); // warm-up, not counted
  const totals: number[] = [];
  const starts: number[] = [];
  const codes: string[] = [];
  for (let i = 2; i <= n + 1; i++) {
    const code = `E${String(i).padStart(5, '0')}`;
    codes.push(code);
    const r = await closeAndWait(ctx, code, 60_000);
    if (r.status.state !== 'closed') throw new Error(`empty close of ${code} ended ${r.status.state}`);
    totals.push(r.ms);
    starts.push(r.startMs);
  }
  await check(ctx, 'overhead', ['E00001', ...codes]);
  const value = median(totals.map(Math.round));
  const base = median(starts.map(Math.round));
  return {
    id: 'overhead',
    name: `close an empty period end to end (median of ${n})`,
    value,
    unit: 'ms',
    baseline: { value: base, what: "client.workflow.start + status query of the same close (the API's start call), median" },
    ratio: round(value / base),
    goal: '< 1000 ms',
    met: value < 1000,
    details: { allMs: totals.map(Math.round), startMs: starts.map(Math.round) },
  };
}

interface MonthEndRun {
  ledgers: number;
  ms: number;
  states: { closed: number; blocked: number; failed: number; other: number };
  seedMs: number;
  lines: number;
  closesPerSecond: number;
  /** What one close cost Temporal, from a sample of the run's closed histories. */
  perClose: PerClose;
  /** What the month-end workflow itself (all its runs) cost Temporal, per close it started. */
  monthEndPerClose: MonthEndCost;
}

interface MonthEndCost {
  runs: number;
  events: number;
  workflowTasks: number;
}

interface PerClose {
  sampled: number;
  events: number;
  workflowTasks: number;
  activityTasks: number;
  markers: number;
}

/**
 * Events, workflow tasks, activity tasks and local activities' markers of a sample of closes,
 * averaged: what the orchestration of one close asks of Temporal (README, Benchmarks).
 */
async function historyCost(ctx: Ctx, codes: string[], sample = 20): Promise<PerClose> {
  const step = Math.max(1, Math.floor(codes.length / sample));
  const totals = { sampled: 0, events: 0, workflowTasks: 0, activityTasks: 0, markers: 0 };
  for (let i = 0; i < codes.length && totals.sampled < sample; i += step) {
    const cost = historyCostOf(await ctx.client.workflow.getHandle(closeWorkflowId(codes[i], PERIOD)).fetchHistory());
    totals.sampled++;
    totals.events += cost.events;
    totals.workflowTasks += cost.workflowTasks;
    totals.activityTasks += cost.serverActivities.length;
    totals.markers += cost.markers;
  }
  const n = Math.max(totals.sampled, 1);
  return {
    sampled: totals.sampled,
    events: round(totals.events / n, 1),
    workflowTasks: round(totals.workflowTasks / n, 1),
    activityTasks: round(totals.activityTasks / n, 1),
    markers: round(totals.markers / n, 1),
  };
}

/**
 * The month-end workflow's own history — every run of it, as it continues as new — per close it
 * started: what starting the closes and hearing them settle asks of Temporal beside the closes.
 */
async function monthEndCost(ctx: Ctx, workflowId: string, closes: number): Promise<MonthEndCost> {
  const totals = { runs: 0, events: 0, workflowTasks: 0 };
  for await (const run of ctx.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const cost = historyCostOf(await ctx.client.workflow.getHandle(workflowId, run.runId).fetchHistory());
    totals.runs++;
    totals.events += cost.events;
    totals.workflowTasks += cost.workflowTasks;
  }
  const n = Math.max(closes, 1);
  return { runs: totals.runs, events: round(totals.events / n, 1), workflowTasks: round(totals.workflowTasks / n, 2) };
}

/**
 * One month-end over a generated federation, timed from its start until every close settled (or
 * `limitMs` passed: the states then say how far it got); the books checked after.
 */
async function timedMonthEnd(
  ctx: Ctx,
  o: { ledgers: number; lines: number; parent: string; prefix: string; seed: number; limitMs: number; check: boolean },
): Promise<MonthEndRun> {
  const gen = await generateFederation(ctx.dataSource, {
    ledgers: o.ledgers,
    lines: o.lines,
    period: PERIOD,
    parent: o.parent,
    unitPrefix: o.prefix,
    seed: o.seed,
  });
  ctx.measuring();
  const t0 = performance.now();
  const run = await ctx.starter.monthEnd(PERIOD, o.parent, concurrency);
  let s = { closed: 0, blocked: 0, failed: 0, other: 0 };
  for (;;) {
    const rows = (await ctx.dataSource.query(`SELECT state, count(*)::int AS n FROM close_run WHERE month_end_id = $1 GROUP BY state`, [run.id])) as Array<{
      state: string;
      n: number;
    }>;
    s = { closed: 0, blocked: 0, failed: 0, other: 0 };
    for (const r of rows) {
      if (r.state === 'closed' || r.state === 'blocked' || r.state === 'failed') s[r.state] += r.n;
      else s.other += r.n;
    }
    if (s.closed + s.blocked + s.failed >= o.ledgers || performance.now() - t0 > o.limitMs) break;
    await sleep(250);
  }
  const ms = performance.now() - t0;
  const codes = Array.from({ length: o.ledgers }, (_, i) => `${o.prefix}${String(i + 1).padStart(5, '0')}`);
  if (o.check) await check(ctx, `month-end ${o.parent}`, codes);
  const closed = (await ctx.dataSource.query(
    `SELECT l.code FROM close_run r JOIN ledger l ON l.id = r.ledger_id WHERE r.month_end_id = $1 AND r.state = 'closed' ORDER BY l.code`,
    [run.id],
  )) as Array<{ code: string }>;
  const perClose = await historyCost(
    ctx,
    closed.map((r) => r.code),
  );
  const monthEndPerClose = await monthEndCost(ctx, monthEndWorkflowId(run.id), s.closed + s.blocked + s.failed);
  return {
    ledgers: o.ledgers,
    ms,
    states: s,
    seedMs: gen.elapsedMs,
    lines: gen.rows.voucher_line,
    closesPerSecond: round((s.closed * 1000) / ms, 1),
    perClose,
    monthEndPerClose,
  };
}

/** 3. Month-end of a federation: 1,000 ledgers × 1,000 lines. */
async function monthEnd(ctx: Ctx): Promise<Figure> {
  const ledgers = Math.round(1_000 * scale);
  const r = await timedMonthEnd(ctx, { ledgers, lines: 1_000, parent: 'MFED', prefix: 'M', seed: 3 << 20, limitMs: 600_000, check: true });
  return {
    id: 'monthend',
    name: `month-end of ${ledgers} ledgers × 1,000 lines (concurrency ${concurrency})`,
    value: round(r.ms / 1000, 1),
    unit: 's',
    baseline: { value: round(r.seedMs / 1000, 1), what: 'time the generator took to write the same ledgers (COPY)' },
    ratio: round(r.ms / r.seedMs),
    goal: `all closed within ${round(120 * scale, 0)} s (120 s for 1,000)`,
    met: r.states.closed === ledgers && r.ms <= 120_000 * scale,
    details: { closesPerSecond: r.closesPerSecond, concurrency, states: r.states, lines: r.lines, perClose: r.perClose, monthEndPerClose: r.monthEndPerClose },
  };
}

/**
 * monthend10k's run up to its big month-end's bound (seeding the 10,000 ledgers, ~1 minute, comes
 * after): with the build and the stack's start, `--only=monthend10k` ends within 10 minutes.
 */
const FIGURE_10K_BUDGET_MS = 450_000;

/**
 * 3b. monthend10k (only when named: --only=monthend10k): a province's month-end, 10,000 ledgers × 100
 * lines, beside 1,000 × 100 in the same run, so the cost per ledger shows flat or not. Bounded so the
 * run ends within 10 minutes (FIGURE_10K_BUDGET_MS): past it the states say how far it got, and the
 * rate what all would have taken. The invariants are checked on the 1,000 (re-reading 10,000 ledgers would double the run).
 */
async function monthEnd10k(ctx: Ctx): Promise<Figure> {
  const t0 = performance.now();
  const ledgers = Math.round(10_000 * scale);
  const small = await timedMonthEnd(ctx, { ledgers: ledgers / 10, lines: 100, parent: 'PFEDA', prefix: 'PA', seed: 7 << 20, limitMs: 180_000, check: true });
  // What is left of the figure's budget, at least two minutes.
  const limitMs = Math.max(120_000, FIGURE_10K_BUDGET_MS - (performance.now() - t0));
  const big = await timedMonthEnd(ctx, { ledgers, lines: 100, parent: 'PFEDB', prefix: 'PB', seed: 8 << 20, limitMs, check: false });
  const settled = big.states.closed + big.states.blocked + big.states.failed;
  const allMs = settled >= ledgers ? big.ms : (big.ms * ledgers) / Math.max(settled, 1);
  return {
    id: 'monthend10k',
    name: `month-end of ${ledgers} ledgers × 100 lines (concurrency ${concurrency})`,
    value: round(big.ms / 1000, 1),
    unit: 's',
    baseline: { value: round(small.ms / 1000, 1), what: `month-end of ${ledgers / 10} ledgers × 100 lines, same run (×10 is flat per-ledger cost)` },
    ratio: round(big.ms / (small.ms * 10)),
    goal: `all closed within ${round(300 * scale, 0)} s (≥ 33 closes/s)`,
    met: big.states.closed === ledgers && big.ms <= 300_000 * scale,
    details: {
      closesPerSecond: big.closesPerSecond,
      closesPerSecondAt1k: small.closesPerSecond,
      concurrency,
      perClose: big.perClose,
      monthEndPerClose: big.monthEndPerClose,
      states: big.states,
      projectedAllClosedS: round(allMs / 1000, 0),
      seedS: round((small.seedMs + big.seedMs) / 1000, 1),
    },
  };
}

/** 4. 100,000 invoices through the real invoice_sync step, against the stand-in's raw upload rate. */
async function invoiceSync(ctx: Ctx): Promise<Figure> {
  const count = Math.round(100_000 * scale);
  await generateFederation(ctx.dataSource, { ledgers: 1, lines: 100, period: PERIOD, parent: 'IFED', unitPrefix: 'INV', seed: 4 << 20 });
  const ledger = 'INV00001';
  await ctx.dataSource.query(
    `
    INSERT INTO invoice (ledger_id, period, number, buyer_name, buyer_tax_id, seller_tax_id, amount, tax, invoice_date, lines)
    SELECT l.id, $2::text, 'B' || lpad(g::text, 19, '0'), 'Buyer ' || (g % 997), '91310000' || lpad((g % 9999999999)::text, 10, '0'), l.taxpayer_id,
           10000 + (g * 7919) % 9000000, 600 + (g * 131) % 540000, to_date($2::text || '-01', 'YYYY-MM-DD') + (g % 28),
           jsonb_build_array(jsonb_build_object('name', '*现代服务*会议服务费', 'amount', 10000 + (g * 7919) % 9000000))
    FROM ledger l, generate_series(1, $3::int) g WHERE l.code = $1`,
    [ledger, PERIOD, count],
  );
  const [{ n }] = (await ctx.dataSource.query(`SELECT count(*)::int AS n FROM invoice i JOIN ledger l ON l.id = i.ledger_id WHERE l.code = $1`, [
    ledger,
  ])) as Array<{ n: number }>;
  ctx.measuring();
  const close = await closeAndWait(ctx, ledger);
  const step = close.status.steps.find((s) => s.name === 'invoice_sync')!;
  const ms = stepMs(step) ?? close.ms;
  await check(ctx, 'invoice sync', [ledger]);
  const rate = Math.round((n * 1000) / ms);
  const raw = await benchInvoiceStandIn(count);
  return {
    id: 'invoices',
    name: `invoice_sync step of a close with ${n.toLocaleString('en')} invoices`,
    value: rate,
    unit: 'invoices/s',
    baseline: {
      value: raw.upload.invoicesPerSecond,
      what: `bench/invoice-sync-standin raw upload rate (listing ${raw.listing.invoicesPerSecond}/s, reconcile ${raw.reconcile.invoicesPerSecond}/s)`,
    },
    ratio: round(rate / raw.upload.invoicesPerSecond),
    goal: '≥ 5,000 invoices/s',
    met: rate >= 5000,
    details: { stepMs: ms, closeMs: Math.round(close.ms), state: close.status.state, attempts: step.attempts },
  };
}

/** 5. The API under load (bench/api-load.ts: its own stack, closes started through the API first). */
async function apiLoad(measuring: () => void): Promise<Figure> {
  const f = await benchApiLoad({ quick, onMeasuring: measuring });
  const ok = f.errors === 0 && f.non2xx === 0;
  return {
    id: 'api',
    name: `${f.endpoint} at ${f.rate}/s for ${f.durationSeconds} s`,
    value: f.p99Ms,
    unit: 'ms p99',
    baseline: { value: f.p50Ms, what: 'p50 of the same run' },
    ratio: round(f.p99Ms / Math.max(1, f.p50Ms)),
    goal: 'p99 < 50 ms, no errors',
    met: f.p99Ms < 50 && ok,
    details: { ...f },
  };
}

/**
 * A figure measured on an external Temporal (the production server on PostgreSQL, a cluster) keeps
 * its own id (`overhead@external`), so both servers' figures stand side by side in results.json.
 */
function onServer(figure: Figure, temporal: { external?: boolean; address: string }): Figure {
  if (!temporal.external) return { ...figure, details: { ...figure.details, temporal: 'dev server (SQLite, 1 shard)' } };
  const label = process.argv.find((a) => a.startsWith('--temporal-label='))?.slice('--temporal-label='.length) ?? 'external';
  return { ...figure, id: `${figure.id}@${label}`, name: `${figure.name} — on ${label} Temporal`, details: { ...figure.details, temporal: temporal.address } };
}

async function main(): Promise<void> {
  const started = Date.now();
  const stops = new Stops();
  const run = { figures: [] as Figure[], failures: [] as Array<{ figure: string; error: string }> };
  const { figures, failures } = run;
  const ctxInvariants: Ctx['invariants'] = [];
  // big10m seeds 10,000,000 lines and monthend10k closes 11,000 ledgers: each runs only when named
  // (--only=big10m, --only=monthend10k), never in a plain or --quick run.
  const want = (name: string) => (only ? only.includes(name) : name !== 'big10m' && name !== 'monthend10k');
  const onSignal = () => {
    void stops.all().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (['big', 'big10m', 'overhead', 'monthend', 'monthend10k', 'invoices'].some(want)) {
      const db = await benchDatabase(stops, 'run', 20);
      const temporal = await benchTemporal(stops);
      const client = await temporalClient(stops, temporal.address);
      const { tax, bank } = await standIns(stops);
      const taskQueue = taskQueueName('run');
      const worker = new WorkerProcess({ databaseUrl: db.url, address: temporal.address, taskQueue, taxUrl: tax.url, bankUrl: bank.url });
      await worker.start();
      stops.push('worker', () => worker.stop());
      const starter = closeStarter(db.dataSource, client, taskQueue, benchSettings());
      for (const [name, fn] of [
        ['big', bigLedger],
        ['big10m', bigLedger10m],
        ['overhead', overhead],
        ['monthend', monthEnd],
        ['monthend10k', monthEnd10k],
        ['invoices', invoiceSync],
      ] as const) {
        if (!want(name)) continue;
        await runFigure(
          name,
          async (measuring) => {
            const ctx: Ctx = { dataSource: db.dataSource, client, worker, starter, invariants: ctxInvariants, syncAhead: starter.syncInvoices, measuring };
            return onServer(await fn(ctx), temporal);
          },
          run,
        );
      }
    }
  } finally {
    await stops.all();
  }
  if (want('posting') || want('readiness10k') || want('board10k')) {
    const books = new Stops();
    try {
      const db = await benchDatabase(books, 'books', 4);
      for (const [name, fn] of [
        ['posting', posting],
        ['readiness10k', readiness10k],
        ['board10k', board10k],
      ] as const) {
        if (!want(name)) continue;
        await runFigure(name, (measuring) => fn(db.dataSource, PERIOD, scale, measuring), run);
      }
    } finally {
      await books.all();
    }
  }
  if (want('api')) await runFigure('api', apiLoad, run);
  const file = path.resolve(__dirname, '..', '..', 'bench', 'results.json');
  // A partial run (--only=…) replaces its own figures in the last results and keeps the others (each
  // says the mode it ran in), and every other key (chaos_soak, written by the chaos suite) stays.
  let kept: Record<string, unknown> = {};
  if (fs.existsSync(file)) {
    const prev = JSON.parse(fs.readFileSync(file, 'utf8')) as { mode: 'quick' | 'full'; figures: Figure[]; invariants: Ctx['invariants'] } & Record<
      string,
      unknown
    >;
    const {
      mode: prevMode,
      at: _at,
      machine: _machine,
      elapsedS: _elapsed,
      figures: prevFigures,
      invariants: prevInvariants,
      failures: _failures,
      ...rest
    } = prev;
    kept = rest;
    if (only) {
      const mine = new Set(figures.map((f) => f.id));
      figures.unshift(...prevFigures.filter((f) => !mine.has(f.id)).map((f) => ({ mode: prevMode, ...f })));
      const figs = new Set(ctxInvariants.map((i) => i.figure));
      ctxInvariants.unshift(...prevInvariants.filter((i) => !figs.has(i.figure)));
    }
  }
  const table = figures.map((f) => ({
    figure: f.name,
    value: `${f.value} ${f.unit}`,
    baseline: `${f.baseline.value}`,
    ratio: f.ratio,
    goal: f.goal,
    met: f.met ? 'yes' : 'NO',
    mode: f.mode,
  }));
  console.table(table);
  const out = {
    mode: quick ? 'quick' : 'full',
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length },
    elapsedS: round((Date.now() - started) / 1000, 1),
    figures,
    invariants: ctxInvariants,
    failures,
    ...kept,
  };
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  process.stdout.write(
    JSON.stringify({ invariants: ctxInvariants.map((i) => ({ figure: i.figure, checks: i.checks, violations: i.violations.length })), failures }, null, 2) +
      '\n',
  );
  process.exit(failures.length > 0 || ctxInvariants.some((i) => i.violations.length > 0) ? 1 : 0);
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}
