import { Context } from '@temporalio/activity';
import { one } from '../../db/sql';
import { AppError } from '../../lib/errors';
import type { NotificationChannel, NotificationEvent } from '../../close/notification-events';
import { renderNotice, type NoticeEvent, type NoticeLanguage } from '../../notifications/notice';
import type { ActivityDeps } from '../close/deps';
import { sendNotice } from './send';

interface DeliveryRow {
  state: string;
  eventId: string;
  event: NotificationEvent;
  occurredAt: Date;
  ledger: string | null;
  period: string | null;
  closeId: string | null;
  payload: Record<string, unknown>;
  channel: NotificationChannel;
  target: string;
  secret: string | null;
  language: NoticeLanguage;
  deletedAt: Date | null;
}

/**
 * One delivery of one event to one subscription, as a Temporal activity retried with back-off (#18).
 * The delivery id is the idempotency key: it is sent as X-Close-Delivery (and the mail's Message-ID)
 * on every attempt, and a delivery already logged as sent is not sent again. A worker lost between
 * the receiver's answer and the log's update makes the one case where a receiver sees the same id
 * twice; it must treat the id as the notice's identity.
 */
export function createDeliverActivity(deps: ActivityDeps) {
  const db = deps.dataSource;
  return {
    async deliverNotification(input: { deliveryId: string }): Promise<{ state: 'sent' | 'skipped' }> {
      const attempt = Context.current().info.attempt;
      const d = await one<DeliveryRow>(
        db,
        `SELECT d.state, e.id::text AS "eventId", e.event, e.occurred_at AS "occurredAt", l.code AS ledger, e.period, e.close_id AS "closeId",
                e.payload, s.channel, s.target, s.secret, s.language, s.deleted_at AS "deletedAt"
         FROM notification_delivery d JOIN notification_event e ON e.id = d.event_id JOIN notification_subscription s ON s.id = d.subscription_id
         LEFT JOIN ledger l ON l.id = e.ledger_id WHERE d.id = $1`,
        [input.deliveryId],
      );
      if (!d || d.state === 'sent') return { state: 'sent' };
      if (d.deletedAt) {
        await db.query(`UPDATE notification_delivery SET state = 'failed', last_error = 'The subscription was deleted.', updated_at = now() WHERE id = $1`, [
          input.deliveryId,
        ]);
        return { state: 'skipped' };
      }
      const event: NoticeEvent = {
        id: d.eventId,
        event: d.event,
        occurredAt: d.occurredAt.toISOString(),
        ledger: d.ledger ?? (d.payload.ledger as string | undefined) ?? null,
        period: d.period,
        closeId: d.closeId,
        payload: d.payload,
      };
      try {
        await sendNotice({ channel: d.channel, target: d.target, secret: d.secret }, event, renderNotice(event, d.language), input.deliveryId, {
          timeoutMs: deps.notify?.timeoutMs ?? 10_000,
          mailer: deps.notify?.mailer,
          from: deps.notify?.from ?? 'close-orchestrator@localhost',
        });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        await db.query(
          `UPDATE notification_delivery SET state = 'retrying', attempts = $2, last_error = left($3, 2000), updated_at = now() WHERE id = $1 AND state <> 'sent'`,
          [input.deliveryId, attempt, message],
        );
        throw new AppError('NOTIFICATION_DELIVERY_FAILED', message, { deliveryId: input.deliveryId, attempt });
      }
      await db.query(`UPDATE notification_delivery SET state = 'sent', attempts = $2, last_error = NULL, sent_at = now(), updated_at = now() WHERE id = $1`, [
        input.deliveryId,
        attempt,
      ]);
      return { state: 'sent' };
    },
  };
}
