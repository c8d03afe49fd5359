import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { verifySignature } from '../notifications/signature';

/** One request as the receiver saw it, and what it answered. */
export interface ReceivedRequest {
  path: string;
  query: URLSearchParams;
  deliveryId: string | undefined;
  event: string | undefined;
  body: string;
  // Parsed body, read freely by tests (robots' and webhooks' bodies differ).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  /** Webhook: the X-Close-Signature checked with the secret; DingTalk: the timestamp/sign checked; else undefined. */
  verified: boolean | undefined;
  status: number;
}

/**
 * A loopback HTTP receiver standing in for a webhook consumer and the WeCom and DingTalk robots: it
 * verifies signatures, records every request, fails the first `failFirst` attempts of each delivery
 * (503) and can hold attempts unanswered (`hang`) to play a receiver that is slow when a worker dies.
 */
export async function startWebhookReceiver(opts: { secret?: string; dingtalkSecret?: string; failFirst?: number } = {}) {
  const attempts = new Map<string, number>();
  const received: ReceivedRequest[] = [];
  const state = { failFirst: opts.failFirst ?? 0, hang: 0 };
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      const body = Buffer.concat(chunks).toString('utf8');
      const deliveryId = req.headers['x-close-delivery'] as string | undefined;
      const n = (attempts.get(deliveryId ?? '') ?? 0) + 1;
      attempts.set(deliveryId ?? '', n);
      let verified: boolean | undefined;
      if (url.pathname.startsWith('/webhook') && opts.secret) {
        verified = verifySignature(opts.secret, body, String(req.headers['x-close-signature'] ?? ''), Math.floor(Date.now() / 1000));
      }
      if (url.pathname.startsWith('/dingtalk') && opts.dingtalkSecret) {
        const t = url.searchParams.get('timestamp') ?? '';
        const expected = createHmac('sha256', opts.dingtalkSecret).update(`${t}\n${opts.dingtalkSecret}`).digest('base64');
        verified = url.searchParams.get('sign') === expected && Math.abs(Date.now() - Number(t)) < 3_600_000;
      }
      let json: ReceivedRequest['json'];
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      if (state.hang > 0) {
        state.hang--;
        received.push({
          path: url.pathname,
          query: url.searchParams,
          deliveryId,
          event: req.headers['x-close-event'] as string,
          body,
          json,
          verified,
          status: 0,
        });
        held.push(res);
        return;
      }
      const status = n <= state.failFirst ? 503 : 200;
      received.push({ path: url.pathname, query: url.searchParams, deliveryId, event: req.headers['x-close-event'] as string, body, json, verified, status });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(status === 200 ? JSON.stringify({ errcode: 0, errmsg: 'ok' }) : '{"error":"try later"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    state,
    /** Requests answered 2xx on this path. */
    accepted: (path: string) => received.filter((r) => r.path === path && r.status === 200),
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
