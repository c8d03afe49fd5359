import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import { seededRandom } from './prng';
import { loseAnswer, sendError } from './json-app';
import type { Logger } from '../../lib/logger';

const share = z.number().min(0).max(1).default(0);

/** Body of PUT /admin/faults. PUT replaces the whole set: a kind left out is switched off. */
export const faultSettingsSchema = z.strictObject({
  errorRate: share,
  timeoutRate: share,
  rateLimitRate: share,
  duplicateRate: share,
  malformedRate: share,
  slowMs: z.number().int().min(0).max(60_000).default(0),
  outageMs: z.number().int().min(0).max(3_600_000).default(0),
  retryAfterSeconds: z.number().int().min(0).max(3_600).default(1),
  /** Restarts the fault sequence from this seed. */
  seed: z.number().int().optional(),
});
export type FaultSettings = z.output<typeof faultSettingsSchema>;

export const faultKinds = ['outage', 'slow', 'rateLimit', 'error', 'timeout', 'malformed', 'duplicate'] as const;
export type FaultKind = (typeof faultKinds)[number];

const malformedAnswers = [
  { contentType: 'application/json', body: '{"unexpected":true}' },
  { contentType: 'application/json', body: '{"items":[{"number":42}],"next":' },
  { contentType: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' },
  { contentType: 'application/json', body: 'null' },
];

function noFaultsYet(): Record<FaultKind, number> {
  return Object.fromEntries(faultKinds.map((kind) => [kind, 0])) as Record<FaultKind, number>;
}

/** Decides, request by request, whether and how a stand-in misbehaves; counts what it injected. */
export class FaultInjector {
  private settings: FaultSettings = faultSettingsSchema.parse({});
  private outageUntil = 0;
  private random: () => number;
  private injected = noFaultsYet();
  private readonly pendingDelays = new Map<NodeJS.Timeout, () => void>();
  private stopped = false;

  constructor(
    private readonly initialSeed: number,
    private readonly name: string,
    private readonly logger?: Logger,
  ) {
    this.random = seededRandom(initialSeed);
  }

  configure(settings: FaultSettings): void {
    this.settings = settings;
    this.outageUntil = settings.outageMs > 0 ? Date.now() + settings.outageMs : 0;
    if (settings.seed !== undefined) this.random = seededRandom(settings.seed);
  }

  describe(): FaultSettings & { outageRemainingMs: number } {
    return { ...this.settings, outageRemainingMs: Math.max(0, this.outageUntil - Date.now()) };
  }

  counts(): Record<FaultKind, number> {
    return { ...this.injected };
  }

  reset(): void {
    this.configure(faultSettingsSchema.parse({}));
    this.random = seededRandom(this.initialSeed);
    this.injected = noFaultsYet();
  }

  /** Ends pending slow-downs so that closing the stand-in never waits on them. */
  stop(): void {
    this.stopped = true;
    for (const [timer, resolve] of this.pendingDelays) {
      clearTimeout(timer);
      resolve();
    }
    this.pendingDelays.clear();
  }

  readonly middleware: RequestHandler = async (_req, res, next) => {
    if (Date.now() < this.outageUntil) {
      this.count('outage');
      sendError(res, 503, 'outage', 'The service is down for maintenance.');
      return;
    }
    if (this.settings.slowMs > 0) {
      this.count('slow');
      await this.delay(this.settings.slowMs);
      if (this.stopped) return;
    }
    const { rateLimitRate, errorRate, timeoutRate, malformedRate, duplicateRate, retryAfterSeconds } = this.settings;
    if (this.roll(rateLimitRate)) {
      this.count('rateLimit');
      res.setHeader('Retry-After', String(retryAfterSeconds));
      sendError(res, 429, 'rate_limited', `Too many requests; retry after ${retryAfterSeconds} s.`);
    } else if (this.roll(errorRate)) {
      this.count('error');
      const status = [500, 502, 503][Math.floor(this.random() * 3)];
      sendError(res, status, 'server_error', 'The service failed to handle the request.');
    } else if (this.roll(timeoutRate)) {
      // Never answered: the client gives up, or close() cuts the connection.
      this.count('timeout');
    } else if (this.roll(malformedRate)) {
      this.count('malformed');
      this.sendMalformed(res);
    } else {
      if (this.roll(duplicateRate)) {
        this.count('duplicate');
        loseAnswer(res);
      }
      next();
    }
  };

  private sendMalformed(res: Response): void {
    const pick = malformedAnswers[Math.floor(this.random() * malformedAnswers.length)];
    res.status(200).type(pick.contentType).send(pick.body);
  }

  private roll(rate: number): boolean {
    return rate > 0 && this.random() < rate;
  }

  private count(kind: FaultKind): void {
    this.injected[kind] += 1;
    this.logger?.debug({ standIn: this.name, fault: kind }, 'stand-in injected a fault');
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pendingDelays.delete(timer);
        resolve();
      }, ms);
      this.pendingDelays.set(timer, resolve);
    });
  }
}
