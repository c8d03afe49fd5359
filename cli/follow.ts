import { apiPath, type ApiClient } from './api-client';
import { closeProgressLine, monthEndLine } from './format';
import type { CloseView, MonthEndView } from './types';

export interface Terminal {
  isTTY: boolean;
  write(text: string): void;
}

/** With --json only the final JSON is printed, so progress goes nowhere. */
export const silentTerminal: Terminal = { isTTY: false, write: () => {} };

export interface FollowOptions {
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Prints a line each time it changes: redrawn in place on a terminal, one line per change
 * otherwise (a log file or CI keeps the history). `done` ends the line on a terminal.
 */
export function createLiveLine(terminal: Terminal): { show(line: string): void; done(): void } {
  let last: string | null = null;
  return {
    show(line) {
      if (line === last) return;
      terminal.write(terminal.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
      last = line;
    },
    done() {
      if (terminal.isTTY && last !== null) terminal.write('\n');
    },
  };
}

const SETTLED_CLOSE_STATES = new Set(['closed', 'blocked', 'failed', 'cancelled']);

/** Polls a close until it ends or waits on blockers; returns its last status. */
export async function followClose(api: ApiClient, closeId: string, terminal: Terminal, options: FollowOptions = {}): Promise<CloseView> {
  const line = createLiveLine(terminal);
  const sleep = options.sleep ?? sleepFor;
  for (;;) {
    const close = await api.get<CloseView>(apiPath`/api/v1/closes/${closeId}`);
    line.show(`${close.ledger} ${close.period} ${closeProgressLine(close)}`);
    if (SETTLED_CLOSE_STATES.has(close.state)) {
      line.done();
      return close;
    }
    await sleep(options.intervalMs ?? 1000);
  }
}

/** A month-end is settled once it is no longer running, or every ledger's close is settled. */
export function monthEndSettled(run: MonthEndView): boolean {
  if (run.state !== 'running') return true;
  const s = run.summary;
  return !!s && s.total > 0 && s.running === 0 && s.notStarted === 0;
}

export async function followMonthEnd(api: ApiClient, monthEndId: string, terminal: Terminal, options: FollowOptions = {}): Promise<MonthEndView> {
  const line = createLiveLine(terminal);
  const sleep = options.sleep ?? sleepFor;
  for (;;) {
    const run = await api.get<MonthEndView>(apiPath`/api/v1/month-ends/${monthEndId}`);
    if (run.summary) line.show(`month-end ${run.period} ${monthEndLine(run.summary)}`);
    if (monthEndSettled(run)) {
      line.done();
      return run;
    }
    await sleep(options.intervalMs ?? 2000);
  }
}
