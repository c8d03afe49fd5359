import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource } from 'typeorm';
import { markStepsEnded, type StepEnd } from '../../books/close-runs';
import type { Blocker } from '../../close';

/**
 * The clean ends of steps run ahead, held back to be written with the next write to the close's run
 * (run-ahead.ts): ten checks that pass in a few milliseconds each cost one statement, not ten — a
 * month-end pays for every statement, thousands of times. Nothing else waits on them: the workflow
 * takes each step's outcome from run-ahead, and a step that outlasts a moment, blocks or fails writes
 * them first, so close_run never shows a later step ahead of an earlier one's end; none is held
 * longer than a moment (the dashboard follows a slow run-ahead step by step).
 */
export class HeldStepEnds {
  private held: StepEnd[] = [];
  /** When the oldest end still held was held (ms since the epoch). */
  private heldSince = 0;
  /** The books the held ends go to: the steps' (run-ahead is built from the step functions alone). */
  private dataSource: DataSource | undefined;
  /** Each flushed step's first start, as close_run keeps it (a re-checked step keeps its first). */
  readonly firstStarts = new Map<string, string>();

  constructor(readonly closeId: string) {}

  hold(dataSource: DataSource, end: StepEnd): void {
    this.dataSource = dataSource;
    if (this.held.length === 0) this.heldSince = Date.now();
    this.held.push(end);
  }

  /** How long the oldest end held has waited: past a moment, the next end writes them (the dashboard follows within it). */
  heldForMs(): number {
    return this.held.length === 0 ? 0 : Date.now() - this.heldSince;
  }

  /**
   * Writes the held ends, then `end` with its blockers when given, in one statement; returns the
   * first start of `end` (or of the last held). On failure the held ends stay held for the next try.
   */
  async write(dataSource?: DataSource, end?: StepEnd, blockers: Blocker[] = []): Promise<string | undefined> {
    const ends = end ? [...this.held, end] : this.held;
    const db = dataSource ?? this.dataSource;
    if (ends.length === 0 || !db) return undefined;
    const taken = this.held;
    this.held = [];
    try {
      const starts = await markStepsEnded(db, this.closeId, ends, blockers);
      ends.forEach((e, k) => this.firstStarts.set(e.step, starts[k]));
      return starts[starts.length - 1];
    } catch (err) {
      this.held = [...taken, ...this.held];
      throw err;
    }
  }
}

const store = new AsyncLocalStorage<HeldStepEnds>();

/** Runs `fn` with the steps it calls holding their clean ends in `held` (run-ahead). */
export function holdingStepEnds<T>(held: HeldStepEnds, fn: () => Promise<T>): Promise<T> {
  return store.run(held, fn);
}

/** The held ends of this close's run-ahead, if a step of it is running here. */
export function heldStepEnds(closeId: string): HeldStepEnds | undefined {
  const held = store.getStore();
  return held?.closeId === closeId ? held : undefined;
}
