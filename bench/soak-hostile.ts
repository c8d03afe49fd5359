import http from 'node:http';

/**
 * Hostile requests at the API during the chaos soak, sent raw (node:http) so that paths, headers and
 * bodies go on the wire exactly as written. Each must be refused with a 4xx in the error shape and
 * write nothing; while the database or Temporal is away a 503 with a retryable code is fair too.
 * What they would have written (a cancel, a reopen, a month-end of the future) is looked for at the end.
 */
export interface HostileTarget {
  baseUrl: string;
  token: string;
  /** A user without the permission the request needs (auditor). */
  readOnlyToken: string;
  period: string;
  /** A ledger and a close of the soak, so refusals are not merely "not found". */
  ledger: string;
  closeId: string;
  parent: string;
}

interface HostileRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

const json = (o: unknown) => JSON.stringify(o);
const MEGABYTE = 'x'.repeat(1_000_000);

/** The kinds, by name; each builds its request from the target. */
export const HOSTILE: Record<string, (t: HostileTarget) => HostileRequest> = {
  nulInQuery: (t) => ({ method: 'GET', path: `/api/v1/closes?ledger=${t.ledger}%00` }),
  unpairedSurrogate: (t) => ({ method: 'POST', path: '/api/v1/closes', body: `{"ledger":"\\ud800${t.ledger}","period":"${t.period}"}` }),
  notUtf8Body: () => ({ method: 'POST', path: '/api/v1/closes', body: Buffer.from([0x7b, 0x22, 0x6c, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]) }),
  badPercentPath: () => ({ method: 'GET', path: '/api/v1/closes/%E0%A4%A' }),
  lyingContentEncoding: (t) => ({
    method: 'POST',
    path: '/api/v1/month-ends',
    headers: { 'content-encoding': 'gzip' },
    body: json({ period: t.period, parent: t.parent }),
  }),
  unknownField: (t) => ({ method: 'POST', path: '/api/v1/closes', body: json({ ledger: t.ledger, period: t.period, force: true }) }),
  protoKey: (t) => ({ method: 'POST', path: '/api/v1/closes', body: `{"__proto__":{"role":"administrator"},"ledger":"${t.ledger}","period":"${t.period}"}` }),
  sqlInLedgerCode: () => ({ method: 'GET', path: `/api/v1/closes?ledger=${encodeURIComponent("' OR 1=1 --")}` }),
  truncatedJson: () => ({ method: 'POST', path: '/api/v1/closes', body: '{"ledger":' }),
  megabyteReason: (t) => ({ method: 'POST', path: `/api/v1/ledgers/${t.ledger}/periods/${t.period}/reopen`, body: json({ reason: MEGABYTE }) }),
  emptyReopenReason: (t) => ({ method: 'POST', path: `/api/v1/ledgers/${t.ledger}/periods/${t.period}/reopen`, body: json({ reason: '' }) }),
  nulInCancelReason: (t) => ({ method: 'POST', path: `/api/v1/closes/${t.closeId}/cancel`, body: json({ reason: 'stop\u0000it' }) }),
  futureMonthEnd: (t) => ({ method: 'POST', path: '/api/v1/month-ends', body: json({ period: '2099-12', parent: t.parent }) }),
  noToken: (t) => ({ method: 'POST', path: `/api/v1/closes/${t.closeId}/cancel`, headers: { authorization: '' }, body: json({}) }),
  forgedToken: (t) => ({ method: 'POST', path: `/api/v1/closes/${t.closeId}/cancel`, headers: { authorization: `Bearer ${'A'.repeat(43)}` }, body: json({}) }),
  withoutPermission: (t) => ({
    method: 'POST',
    path: `/api/v1/ledgers/${t.ledger}/periods/${t.period}/reopen`,
    headers: { authorization: `Bearer ${t.readOnlyToken}` },
    body: json({ reason: '审计员不应能反结账' }),
  }),
  pathTraversal: () => ({ method: 'GET', path: '/api/v1/closes/..%2F..%2Fetc%2Fpasswd' }),
  numberForText: (t) => ({ method: 'POST', path: '/api/v1/closes', body: json({ ledger: 12345, period: t.period }) }),
  textPlainBody: (t) => ({ method: 'POST', path: '/api/v1/closes', headers: { 'content-type': 'text/plain' }, body: `ledger=${t.ledger}` }),
};
export const HOSTILE_KINDS = Object.keys(HOSTILE);

export type HostileOutcome = 'refused' | 'unavailable' | 'accepted' | 'serverError' | 'shapeless' | 'connectionError';

/** Sends one, and says how the API answered: a hostile request is never `accepted`, never a `serverError`. */
export async function sendHostile(kind: string, target: HostileTarget): Promise<{ outcome: HostileOutcome; status: number; detail: string }> {
  const r = HOSTILE[kind](target);
  const url = new URL(target.baseUrl);
  const body = r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8');
  const headers: Record<string, string | number> = {
    authorization: `Bearer ${target.token}`,
    ...(body ? { 'content-type': 'application/json' } : {}),
    ...r.headers,
  };
  if (headers.authorization === '') delete headers.authorization;
  if (body) headers['content-length'] = body.length;
  try {
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, method: r.method, path: r.path, headers, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end(body);
    });
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    } catch {
      code = undefined;
    }
    const detail = `${kind}: ${r.method} ${r.path.slice(0, 80)} → ${status} ${code ?? text.slice(0, 120)}`;
    if (status === 503 && code && /_UNAVAILABLE$/.test(code)) return { outcome: 'unavailable', status, detail };
    if (status >= 500) return { outcome: 'serverError', status, detail };
    if (status < 400) return { outcome: 'accepted', status, detail };
    return { outcome: code ? 'refused' : 'shapeless', status, detail };
  } catch (err) {
    return { outcome: 'connectionError', status: 0, detail: `${kind}: ${(err as Error).message}` };
  }
}
