import type { Express } from 'express';
import request, { type Response, type Test } from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp } from '../../api/app';
import { createToken, createUser } from '../../api/services/user-service';
import { createLogger } from '../../lib/logger';
import { rows } from '../../db/sql';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { fastCloseSettings, startTestStack, TEST_BANK_KEY, type TestStack } from '../helpers/temporal';
import { createHttpBankClient } from '../../integrations/bank';

/** One user per role, named as the tests refer to them; `fm2` is a second finance manager. */
export const USERS = {
  fm: 'finance_manager',
  fm2: 'finance_manager',
  clerk: 'accountant',
  ops: 'operations',
  auditor: 'auditor',
  admin: 'administrator',
  sched: 'scheduler',
} as const;
export type UserKey = keyof typeof USERS;
/** A user of the harness: a key of USERS, or any name made with `addUser`. */
export type Who = UserKey | (string & {});

export interface ApiHarness {
  db: TestDatabase;
  ds: DataSource;
  stack: TestStack;
  app: Express;
  tokens: Record<string, string>;
  /** Requests as that user (or with no token at all). */
  as(user: Who | null): Client;
  /** A further user with a role and an organisation scope (a ledger code; null: every ledger), who can then be used with `as`. */
  addUser(name: string, role: string, scope: string | null): Promise<void>;
  stop(): Promise<void>;
}

export interface Client {
  get(path: string): Test;
  post(path: string, body?: unknown): Test;
  patch(path: string, body?: unknown): Test;
  delete(path: string): Test;
}

/** The real app over a test file's own database and a real worker on the Temporal dev server. */
export async function startApiHarness(options: { invoiceSyncAnswerMs?: number } = {}): Promise<ApiHarness> {
  const db = await createTestDatabase();
  const stack = await startTestStack(db.dataSource);
  const app = createApp({
    dataSource: db.dataSource,
    temporalClient: stack.client,
    taskQueue: stack.taskQueue,
    closeSettings: fastCloseSettings,
    monthEndConcurrency: 5,
    logger: createLogger('silent'),
    bank: createHttpBankClient({
      baseUrl: stack.bankUrl,
      logger: createLogger('silent'),
      apiKey: TEST_BANK_KEY,
      timeoutMs: 2_000,
      maxAttempts: 2,
      backoffBaseMs: 20,
    }),
    bodyLimit: '64kb',
    invoiceSyncAnswerMs: options.invoiceSyncAnswerMs,
  });
  const tokens: Record<string, string> = {};
  for (const [name, role] of Object.entries(USERS) as Array<[UserKey, string]>) {
    await createUser(db.dataSource, { name, role }, 'test');
    tokens[name] = await createToken(db.dataSource, name, 'test');
  }
  const as = (user: Who | null): Client => {
    const auth = (t: Test) => (user ? t.set('Authorization', `Bearer ${tokens[user]}`) : t);
    const withBody = (t: Test, body: unknown) => (body === undefined ? t : t.send(body as object));
    return {
      get: (path) => auth(request(app).get(path)),
      post: (path, body) => withBody(auth(request(app).post(path)), body),
      patch: (path, body) => withBody(auth(request(app).patch(path)), body),
      delete: (path) => auth(request(app).delete(path)),
    };
  };
  const addUser = async (name: string, role: string, scope: string | null) => {
    await createUser(db.dataSource, { name, role, scope }, 'test');
    tokens[name] = await createToken(db.dataSource, name, 'test');
  };
  return {
    db,
    ds: db.dataSource,
    stack,
    app,
    tokens,
    as,
    addUser,
    stop: async () => {
      await stack.stop();
      await db.destroy();
    },
  };
}

/** The error shape every failure has, with its status and stable code. */
export function expectError(res: Response, status: number, code: string): void {
  if (res.status !== status || res.body?.error?.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(Object.keys(res.body.error).sort()).toEqual(['code', 'details', 'message']);
  expect(res.body.error.message).toEqual(expect.any(String));
}

/** Polls GET /closes/<id> until the close is in one of the states (bounded). */
export async function waitForClose(h: ApiHarness, id: string, states: string[], timeoutMs = 40_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, any> | undefined;
  while (Date.now() < deadline) {
    const res = await h.as('fm').get(`/api/v1/closes/${id}`);
    last = res.body;
    if (res.status === 200 && states.includes(res.body.state)) return res.body;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`close ${id} did not reach ${states.join('/')} in ${timeoutMs} ms; last: ${JSON.stringify(last?.state)} at ${last?.currentStep}`);
}

export async function waitFor<T>(probe: () => Promise<T | undefined | false | null>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

const WATCHED_TABLES = [
  'ledger',
  'account',
  'period',
  'voucher',
  'voucher_line',
  'reimbursement',
  'fund_transfer',
  'invoice',
  'subledger_entry',
  'balance',
  'close_run',
  'close_operation',
  'period_snapshot',
  'month_end_run',
  'app_user',
  'api_token',
  'user_session',
  'audit_log',
  'notification_subscription',
  'close_calendar',
  'calendar_day',
];

/** Row count and a hash of every row of the books, runs, users and audit log: any write changes it. */
export async function fingerprint(ds: DataSource): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of WATCHED_TABLES) {
    const [r] = await rows<{ n: string; h: string }>(
      ds,
      `SELECT count(*)::text AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM ${table} t`,
    );
    out[table] = `${r.n}:${r.h}`;
  }
  return out;
}
