import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { createApp } from '../api/app';
import { createToken, createUser } from '../api/services/user-service';
import type { CloseSettings } from '../close';
import { createHttpBankClient } from '../integrations/bank';
import { Writable } from 'node:stream';
import pino from 'pino';
import { BANK_KEY, log, sleep, temporalClient, type Stops } from './stack';

/**
 * The API in the soak's own process over loopback (its pool and Temporal client suffer the same
 * faults as everything else), and a client for what people do through it: month-end, closes,
 * reopens, acts on blockers, a webhook subscription. People retry when told to try again shortly.
 */
export async function startSoakApi(
  stops: Stops,
  deps: { dataSource: DataSource; temporalAddress: string; taskQueue: string; bankUrl: string; closeSettings: CloseSettings; monthEndConcurrency: number },
): Promise<{ url: string; token: string; readOnlyToken: string; internalErrors: string[] }> {
  const internalErrors: string[] = [];
  const app = createApp({
    dataSource: deps.dataSource,
    temporalClient: await temporalClient(stops, deps.temporalAddress),
    taskQueue: deps.taskQueue,
    closeSettings: deps.closeSettings,
    monthEndConcurrency: deps.monthEndConcurrency,
    bank: createHttpBankClient({ baseUrl: deps.bankUrl, logger: log, apiKey: BANK_KEY, timeoutMs: 5_000 }),
    // Refusals and 503s are counted by the soak; thousands of them logged would bury its report. A 500
    // is a defect, so each is kept (its error's message and where it was thrown) for the report.
    logger: pino({ level: 'error' }, keepInternalErrors(internalErrors)),
    bodyLimit: '64kb',
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  stops.push(
    'soak api',
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  await createUser(deps.dataSource, { name: 'soak-fm', role: 'finance_manager' }, 'soak');
  await createUser(deps.dataSource, { name: 'soak-auditor', role: 'auditor' }, 'soak');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token: await createToken(deps.dataSource, 'soak-fm', 'soak'),
    readOnlyToken: await createToken(deps.dataSource, 'soak-auditor', 'soak'),
    internalErrors,
  };
}

/** A log destination that keeps the API's 500s (code INTERNAL) only, at most 20, as short lines. */
function keepInternalErrors(kept: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        const record = JSON.parse(chunk.toString()) as { code?: string; req?: { method?: string; url?: string }; err?: { message?: string; stack?: string } };
        if (record.code === 'INTERNAL' && kept.length < 20) {
          const where =
            record.err?.stack
              ?.split('\n')
              .slice(1, 4)
              .map((l) => l.trim())
              .join(' < ') ?? '';
          kept.push(`${new Date().toISOString().slice(11, 23)} ${record.err?.message ?? '?'} ${where}`);
        }
      } catch {
        // not a JSON record: nothing to keep
      }
      done();
    },
  });
}

export interface ApiAnswer {
  status: number;
  // The API's JSON, read by the soak as it needs.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** A person at the API: a 503 (database or Temporal away) or a dropped connection is tried again, up to `attempts`. */
export function soakClient(baseUrl: string, token: string) {
  const stats = { calls: 0, retried: 0, gaveUp: 0, retriedExamples: [] as string[] };
  const retrying = (method: string, path: string, why: string) => {
    stats.retried++;
    if (stats.retriedExamples.length < 20) stats.retriedExamples.push(`${new Date().toISOString().slice(11, 23)} ${method} ${path}: ${why}`);
  };
  async function call(method: 'GET' | 'POST', path: string, body?: unknown, attempts = 30): Promise<ApiAnswer> {
    stats.calls++;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(`${baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        const answer: ApiAnswer = { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
        if (res.status !== 503 || attempt >= attempts) {
          if (res.status === 503) stats.gaveUp++;
          return answer;
        }
        retrying(method, path, `503 ${answer.body?.error?.code}`);
      } catch (err) {
        if (attempt >= attempts) {
          stats.gaveUp++;
          return { status: 0, body: { error: { code: 'CONNECTION', message: (err as Error).message } } };
        }
        retrying(method, path, (err as Error).message);
      }
      await sleep(Math.min(5_000, 250 * attempt));
    }
  }
  return { call, stats };
}
export type SoakClient = ReturnType<typeof soakClient>;
