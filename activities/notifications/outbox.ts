import { rows } from '../../db/sql';
import type { ActivityDeps } from '../close/deps';

/**
 * The dispatcher's bookkeeping (#18), each step one set-based statement and idempotent: a retried
 * activity finds its own earlier work (unique event keys, one delivery per event and subscription).
 */
export function createOutboxActivities(deps: ActivityDeps) {
  const db = deps.dataSource;
  return {
    /**
     * Late and almost-late closes, and external systems failing for too long, become events. Keys are
     * per ledger and period (late, due soon) and per outage (external.down), so each is told once.
     */
    async scanDeadlines(input: { dueSoonMs: number; externalDownMs: number }): Promise<{ added: number }> {
      const late = await rows(
        db,
        `WITH open_closes AS (
           SELECT DISTINCT ON (c.ledger_id, c.period) c.id, c.ledger_id, c.period, c.state, l.code, close_due_at(c.ledger_id, c.period) AS due_at
           FROM close_run c JOIN ledger l ON l.id = c.ledger_id
           WHERE c.state IN ('running', 'blocked', 'failed')
             AND NOT EXISTS (SELECT 1 FROM period p WHERE p.ledger_id = c.ledger_id AND p.period = c.period AND p.state = 'closed')
           ORDER BY c.ledger_id, c.period, c.started_at DESC)
         INSERT INTO notification_event (event_key, event, ledger_id, period, close_id, payload)
         SELECT kind || ':' || ledger_id || ':' || period, kind, ledger_id, period, id,
                jsonb_build_object('ledger', code, 'period', period, 'closeId', id, 'state', state, 'dueAt', due_at)
         FROM (SELECT o.*, CASE WHEN o.due_at <= now() THEN 'close.late' ELSE 'close.due_soon' END AS kind
               FROM open_closes o WHERE o.due_at <= now() + $1 * interval '1 millisecond') due
         ON CONFLICT (event_key) DO NOTHING RETURNING id`,
        [input.dueSoonMs],
      );
      const down = await rows(db, externalDownSql, [input.externalDownMs]);
      return { added: late.length + down.length };
    },

    /** Events past their settling time get one delivery per matching subscription; superseded ones none. */
    async fanOutNotifications(input: { settleMs: number }): Promise<{ events: number }> {
      const done = await rows(
        db,
        `WITH ready AS (
           SELECT e.id, e.event, e.ledger_id, e.superseded FROM notification_event e
           WHERE e.fanned_out_at IS NULL
             AND (e.superseded OR (e.occurred_at <= now() - $1 * interval '1 millisecond'
               -- A blocked close still in its check pass (a step running) may find more: wait, but not for ever
               -- (a step retrying an external system that is down runs for as long as it is down).
               AND (e.event <> 'close.blocked' OR e.occurred_at <= now() - 20 * $1 * interval '1 millisecond'
                    OR NOT EXISTS (SELECT 1 FROM close_run c, jsonb_array_elements(c.steps) st
                                   WHERE c.id = e.close_id AND c.state = 'blocked' AND st ->> 'state' = 'running'))))
           ORDER BY e.id LIMIT 500 FOR UPDATE OF e SKIP LOCKED),
         made AS (
           INSERT INTO notification_delivery (event_id, subscription_id)
           SELECT r.id, s.id FROM ready r JOIN notification_subscription s
             ON s.deleted_at IS NULL AND r.event = ANY (s.events)
            AND (s.ledger_id IS NULL OR r.ledger_id IS NULL OR ledger_within(r.ledger_id, s.ledger_id))
           WHERE NOT r.superseded
           ON CONFLICT (event_id, subscription_id) DO NOTHING)
         UPDATE notification_event e SET fanned_out_at = now() FROM ready WHERE e.id = ready.id RETURNING e.id`,
        [input.settleMs],
      );
      return { events: done.length };
    },

    /** Pending deliveries, oldest first, marked queued: the dispatcher starts one delivery workflow for each. */
    async claimDeliveries(input: { limit: number }): Promise<string[]> {
      const claimed = await rows<{ id: string }>(
        db,
        `UPDATE notification_delivery SET state = 'queued', updated_at = now()
         WHERE id IN (SELECT id FROM notification_delivery WHERE state = 'pending' ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id`,
        [input.limit],
      );
      return claimed.map((r) => r.id);
    },

    /** Every attempt failed: the log says so, with the last error (a delivery already sent stays sent). */
    async markDeliveryFailed(input: { deliveryId: string; error: string }): Promise<void> {
      await db.query(`UPDATE notification_delivery SET state = 'failed', last_error = left($2, 2000), updated_at = now() WHERE id = $1 AND state <> 'sent'`, [
        input.deliveryId,
        input.error,
      ]);
    },
  };
}

/**
 * An outage as the closes see it: a live close's step whose last error is the tax platform's or the
 * bank's, failing since the first such error of that step's current attempts. The earliest of those is
 * the outage's start; past the threshold it is one event, unless one was already raised since it began.
 */
const externalDownSql = `
  WITH failing AS (
    SELECT CASE WHEN st -> 'lastError' ->> 'code' LIKE 'BANK%' THEN 'bank' ELSE 'tax_platform' END AS system,
           st -> 'lastError' ->> 'code' AS code,
           (SELECT min((e ->> 'at')::timestamptz) FROM jsonb_array_elements(c.errors) e
             WHERE e ->> 'step' = st ->> 'name' AND (e ->> 'code' LIKE 'BANK%' OR e ->> 'code' LIKE 'TAX_PLATFORM%')
               AND (e ->> 'at')::timestamptz >= coalesce((st ->> 'startedAt')::timestamptz, '-infinity')) AS since
    FROM close_run c, jsonb_array_elements(c.steps) st
    WHERE c.state IN ('running', 'blocked') AND (st -> 'lastError' ->> 'code' LIKE 'BANK%' OR st -> 'lastError' ->> 'code' LIKE 'TAX_PLATFORM%')),
  outage AS (SELECT system, min(since) AS since, max(code) AS code, count(*) AS closes FROM failing WHERE since IS NOT NULL GROUP BY system)
  INSERT INTO notification_event (event_key, event, payload)
  SELECT 'external.down:' || system || ':' || (extract(epoch FROM since) * 1000)::bigint, 'external.down',
         jsonb_build_object('system', system, 'since', since, 'code', code, 'closes', closes)
  FROM outage o
  WHERE o.since <= now() - $1 * interval '1 millisecond'
    AND NOT EXISTS (SELECT 1 FROM notification_event e WHERE e.event = 'external.down' AND e.payload ->> 'system' = o.system AND e.occurred_at >= o.since)
  ON CONFLICT (event_key) DO NOTHING RETURNING id`;
