import type { DataSource } from 'typeorm';
import { startWebhookReceiver, type WebhookReceiver } from '../simulators/webhook-receiver';
import { sleep, type Stops } from './stack';
import type { SoakClient } from './soak-api';

/**
 * The soak's notice count: one webhook subscription to a loopback receiver, which verifies each
 * signature and records every attempt. A receiver deduplicates by X-Close-Delivery (README), so a
 * delivery id acknowledged twice is a duplicate on the wire, not a second notice; a delivery never
 * acknowledged, or an event no delivery carries, is a notice lost.
 */
const SECRET = 'whsec-chaos-soak-0123456789';
const EVENTS = ['close.blocked', 'close.failed', 'close.closed', 'month_end.finished'];

export async function subscribeNotices(stops: Stops, client: SoakClient): Promise<{ receiver: WebhookReceiver; subscriptionId: string }> {
  const receiver = await startWebhookReceiver({ secret: SECRET });
  stops.push('webhook receiver', () => receiver.close());
  const res = await client.call('POST', '/api/v1/subscriptions', {
    channel: { kind: 'webhook', url: `${receiver.url}/webhook`, secret: SECRET },
    events: EVENTS,
  });
  if (res.status !== 201) throw new Error(`subscribing answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { receiver, subscriptionId: String(res.body.id) };
}

/** Until every event is fanned out and every delivery of the subscription is sent or has given up. */
export async function waitNoticesSettled(ds: DataSource, subscriptionId: string, timeoutMs: number): Promise<{ settled: boolean; ms: number }> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const [r] = (await ds
      .query(
        `SELECT (SELECT count(*) FROM notification_event WHERE fanned_out_at IS NULL AND NOT superseded AND event = ANY($2))::int AS waiting,
                (SELECT count(*) FROM notification_delivery WHERE subscription_id = $1 AND state IN ('pending', 'queued', 'retrying'))::int AS undelivered`,
        [subscriptionId, EVENTS],
      )
      .catch(() => [{ waiting: 1, undelivered: 1 }])) as Array<{ waiting: number; undelivered: number }>;
    if (r.waiting === 0 && r.undelivered === 0) return { settled: true, ms: Date.now() - started };
    await sleep(1_000);
  }
  return { settled: false, ms: Date.now() - started };
}

export interface NoticeTally {
  events: number;
  deliveries: number;
  byState: Record<string, number>;
  /** Notices acknowledged by the receiver, one per delivery id, by event. */
  delivered: Record<string, number>;
  /** Extra acknowledgements of a delivery id already acknowledged (the receiver drops them). */
  duplicatesOnWire: number;
  /** Deliveries not sent at the end, sent ones the receiver never acknowledged, and events without a delivery. */
  lost: number;
  lostExamples: string[];
  /** One event reaching the receiver under two delivery ids: a real duplicate notice. */
  eventsTwice: number;
  badSignatures: number;
  /** Attempts the receiver saw in all (a retried delivery counts each try). */
  attemptsSeen: number;
}

export async function tallyNotices(ds: DataSource, subscriptionId: string, receiver: WebhookReceiver): Promise<NoticeTally> {
  const deliveries = (await ds.query(
    `SELECT d.id, d.state, e.event FROM notification_delivery d JOIN notification_event e ON e.id = d.event_id WHERE d.subscription_id = $1`,
    [subscriptionId],
  )) as Array<{ id: string; state: string; event: string }>;
  const orphans = (await ds.query(
    `SELECT e.event_key FROM notification_event e WHERE NOT e.superseded AND e.event = ANY($2)
       AND NOT EXISTS (SELECT 1 FROM notification_delivery d WHERE d.event_id = e.id AND d.subscription_id = $1)`,
    [subscriptionId, EVENTS],
  )) as Array<{ event_key: string }>;
  const [{ events }] = (await ds.query(`SELECT count(*)::int AS events FROM notification_event WHERE event = ANY($1) AND NOT superseded`, [EVENTS])) as Array<{
    events: number;
  }>;
  const acked = new Map<string, number>();
  const eventIdsByDelivery = new Map<string, string>();
  for (const r of receiver.received) {
    if (r.path !== '/webhook' || r.status !== 200 || !r.deliveryId) continue;
    acked.set(r.deliveryId, (acked.get(r.deliveryId) ?? 0) + 1);
    eventIdsByDelivery.set(r.deliveryId, String(r.json?.id));
  }
  const tally: NoticeTally = {
    events,
    deliveries: deliveries.length,
    byState: {},
    delivered: {},
    duplicatesOnWire: 0,
    lost: orphans.length,
    lostExamples: orphans.slice(0, 5).map((o) => `event ${o.event_key} has no delivery`),
    eventsTwice: 0,
    badSignatures: receiver.received.filter((r) => r.verified === false).length,
    attemptsSeen: receiver.received.length,
  };
  for (const d of deliveries) {
    tally.byState[d.state] = (tally.byState[d.state] ?? 0) + 1;
    const n = acked.get(d.id) ?? 0;
    if (n > 0) tally.delivered[d.event] = (tally.delivered[d.event] ?? 0) + 1;
    tally.duplicatesOnWire += Math.max(0, n - 1);
    if (d.state !== 'sent' || n === 0) {
      tally.lost++;
      if (tally.lostExamples.length < 5) tally.lostExamples.push(`delivery ${d.id} (${d.event}) ${d.state}, acknowledged ${n}×`);
    }
  }
  const deliveriesByEvent = new Map<string, number>();
  for (const eventId of eventIdsByDelivery.values()) deliveriesByEvent.set(eventId, (deliveriesByEvent.get(eventId) ?? 0) + 1);
  tally.eventsTwice = [...deliveriesByEvent.values()].filter((n) => n > 1).length;
  return tally;
}
