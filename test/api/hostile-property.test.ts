import fc from 'fast-check';
import request from 'supertest';
import { ErrorCodes } from '../../lib/errors';
import { addReimbursement, addVoucher, createLedger } from '../fixtures/books';
import { fingerprint, startApiHarness, USERS, type ApiHarness, type UserKey } from './harness';

/**
 * Every operation of /openapi.json, for every role and without a token, with generated hostile
 * values in its path, query and body: NUL bytes, unpaired surrogates, megabyte strings, percent
 * garbage, numbers where strings belong, `__proto__` keys, bodies that lie about their encoding or
 * are not UTF-8. Never a 5xx; every refusal in the documented error shape with a known code; and a
 * refusal writes nothing (a fingerprint of the books, runs, users and audit log).
 */
interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyFields: string[] | null;
}

const MEGABYTE = 'x'.repeat(1_000_000);

/** A hostile text value, as it would be inside JSON. */
const hostileText = fc.oneof(
  fc.constant('\u0000'),
  fc.string().map((s) => `${s}\u0000${s}`),
  fc.constantFrom('\ud800', 'a\udfffb', '\udc00\ud800', '\ud83d'),
  fc.constant(MEGABYTE),
  fc.constantFrom('__proto__', 'constructor', 'toString', "' OR 1=1 --", '../../etc/passwd', '%', '%zz', '2026-13', ' ', ''),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** A hostile JSON value: text as above, or something that is not text at all. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  fc.integer(),
  fc.constantFrom(1e308, -0, 9007199254740993, 0.1, true, false, null),
  fc.array(hostileText, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'a\u0000', 'x'), hostileText, { maxKeys: 2 }),
);

/** A path or query segment as sent on the wire: percent-encoded or deliberately not. */
const hostileSegment = fc.oneof(
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%ED%A0%80', '%00', '%C3%28', '%%', '%FF%FE', '..', '%2e%2e', 'x'.repeat(20_000)),
  fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => encodeURIComponent(s)),
  fc.integer().map(String),
  fc.constantFrom('__proto__', 'constructor', 'NOPE', '2026-09', '0', '-1', '99999999999999999999'),
);

interface Attempt {
  op: Operation;
  user: UserKey | null;
  path: Record<string, string>;
  query: Array<[string, string]>;
  body: { kind: 'json'; fields: Array<[string, unknown]> } | { kind: 'raw'; bytes: Buffer; encoding?: string } | { kind: 'none' };
}

function attempts(ops: Operation[]): fc.Arbitrary<Attempt> {
  return fc.constantFrom(...ops).chain((op) =>
    fc.record({
      op: fc.constant(op),
      user: fc.constantFrom<UserKey | null>(...(Object.keys(USERS) as UserKey[]), null),
      path: fc.record(Object.fromEntries(op.pathParams.map((p) => [p, hostileSegment]))) as fc.Arbitrary<Record<string, string>>,
      query: fc.array(fc.tuple(fc.constantFrom(...op.queryParams, 'x', '__proto__'), hostileSegment), { maxLength: op.queryParams.length > 0 ? 3 : 1 }),
      body: fc.oneof(
        fc.record({
          kind: fc.constant('json' as const),
          fields: fc.array(fc.tuple(fc.constantFrom(...(op.bodyFields ?? []), '__proto__', 'extra'), hostileValue), { maxLength: 4 }),
        }),
        fc.record({
          kind: fc.constant('raw' as const),
          bytes: fc.constantFrom(
            Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
            Buffer.from('{"a":'),
            Buffer.from('null'),
            Buffer.from('[]'),
            Buffer.from('"\\u0000"'),
          ),
          encoding: fc.constantFrom(undefined, 'gzip', 'deflate', 'br', 'identity', 'compress'),
        }),
        fc.constant({ kind: 'none' as const }),
      ),
    }),
  );
}

function operationsOf(doc: {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: Array<{ name: string; in: string }>; requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }
    >
  >;
}): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, o]) => ({
      method: method as Operation['method'],
      path,
      pathParams: (o.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      queryParams: (o.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      bodyFields: o.requestBody ? Object.keys(o.requestBody.content['application/json'].schema.properties ?? {}) : null,
    })),
  );
}

describe('hostile values at every operation of /openapi.json, for every role', () => {
  let h: ApiHarness;
  let ops: Operation[];
  let baseline: Record<string, string>;

  beforeAll(async () => {
    h = await startApiHarness();
    const l = await createLedger(h.ds, { code: 'HOSTILE', firstPeriod: '2026-08', openingBalances: { '102': 100_00, '301': -100_00 } });
    await addVoucher(h.ds, {
      ledgerId: l.id,
      period: '2026-08',
      preparer: 'clerk',
      state: 'submitted',
      lines: [
        { account: '501', debit: 1_00 },
        { account: '102', credit: 1_00 },
      ],
    });
    await addReimbursement(h.ds, { ledgerId: l.id, period: '2026-08', amount: 1_00, state: 'submitted' });
    const doc = (await request(h.app).get('/openapi.json')).body;
    ops = operationsOf(doc);
    baseline = await fingerprint(h.ds);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when each is sent, then no answer is a 5xx, every refusal is { error: { code, message, details } } with a known code, and a refusal writes nothing', async () => {
    expect(ops.length).toBeGreaterThanOrEqual(25);
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(attempts(ops), async (a) => {
        const path = a.op.path.replace(/\{(\w+)\}/g, (_m, name: string) => a.path[name] ?? 'x');
        const query = a.query.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&');
        let req = request(h.app)[a.op.method](query ? `${path}?${query}` : path);
        if (a.user) req = req.set('Authorization', `Bearer ${h.tokens[a.user]}`);
        if (a.body.kind === 'json') {
          const text = JSON.stringify(Object.fromEntries(a.body.fields));
          req = req.set('Content-Type', 'application/json').send(text);
        } else if (a.body.kind === 'raw') {
          if (a.body.encoding) req = req.set('Content-Encoding', a.body.encoding);
          const bytes = a.body.bytes;
          req = req
            .set('Content-Type', 'application/json')
            .serialize((b: unknown) => b as string)
            .send(bytes as never);
        }
        const res = await req.catch((err: { response?: request.Response }) => err.response ?? Promise.reject(err));
        seen.add(`${a.op.method} ${a.op.path}`);
        const where = `${a.op.method.toUpperCase()} ${path.slice(0, 200)} as ${a.user ?? 'nobody'}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
        if (res.status >= 500) throw new Error(`5xx: ${where}`);
        if (res.status >= 400 && res.status !== 431 && res.status !== 414) {
          if (
            Object.keys(res.body ?? {}).join() !== 'error' ||
            Object.keys(res.body.error).sort().join() !== 'code,details,message' ||
            !(res.body.error.code in ErrorCodes)
          ) {
            throw new Error(`not the error shape: ${where}`);
          }
          const now = await fingerprint(h.ds);
          if (JSON.stringify(now) !== JSON.stringify(baseline)) throw new Error(`a refusal wrote to the database: ${where}`);
        } else {
          baseline = await fingerprint(h.ds);
        }
      }),
      // Enough runs that each operation is reached: with n operations picked uniformly, 12n runs miss
      // one with a chance of about n·e^-12 (1 in 20,000 at 66), where a fixed 400 missed one in 7 runs.
      {
        numRuns: Number(process.env.HOSTILE_RUNS ?? Math.max(400, 12 * ops.length)),
        seed: process.env.HOSTILE_SEED ? Number(process.env.HOSTILE_SEED) : undefined,
      },
    );
    // Every operation was reached at least once across the runs.
    expect([...ops.map((o) => `${o.method} ${o.path}`)].filter((o) => !seen.has(o))).toEqual([]);
  });
});
