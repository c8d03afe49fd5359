import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { findLedger } from '../../books/ledgers';
import { rowInScope, type LedgerScope } from '../../books/scope';
import { audit } from '../../db/session';
import { one, rows } from '../../db/sql';
import { AppError } from '../../lib/errors';
import type { createSubscriptionBody, listDeliveriesQuery } from '../schemas';
import { decodeCursor, encodeCursor, invalidCursor } from '../validation';

type NewSubscription = z.output<typeof createSubscriptionBody>;

/** A subscription as the API shows it: the secret never, a robot URL's key masked. */
export interface SubscriptionView {
  id: string;
  channel: { kind: string; url?: string; address?: string; signed: boolean };
  events: string[];
  ledger: string | null;
  language: string;
  createdBy: string;
  createdAt: string;
}

const select = `
  SELECT s.id, s.channel, s.target, s.secret IS NOT NULL AS signed, s.events, l.code AS ledger, s.language,
         s.created_by AS "createdBy", s.created_at AS "createdAt"
  FROM notification_subscription s LEFT JOIN ledger l ON l.id = s.ledger_id`;

interface Row {
  id: string;
  channel: string;
  target: string;
  signed: boolean;
  events: string[];
  ledger: string | null;
  language: string;
  createdBy: string;
  createdAt: Date;
}

function toView(r: Row): SubscriptionView {
  const channel =
    r.channel === 'email' ? { kind: r.channel, address: r.target, signed: r.signed } : { kind: r.channel, url: maskQuery(r.target), signed: r.signed };
  return { id: r.id, channel, events: r.events, ledger: r.ledger, language: r.language, createdBy: r.createdBy, createdAt: r.createdAt.toISOString() };
}

/** WeCom and DingTalk robots carry their key in the query (?key=, ?access_token=): shown as ***. */
function maskQuery(url: string): string {
  const u = new URL(url);
  for (const key of [...u.searchParams.keys()]) u.searchParams.set(key, '***');
  return u.toString();
}

// A plain address: no spaces or control characters (no header injection), one @, a dotted domain.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

function invalidTarget(message: string, field: string): never {
  throw new AppError('SUBSCRIPTION_TARGET_INVALID', message, { field });
}

/** What each channel needs: robots and webhooks an http(s) URL, e-mail an address; webhooks are signed. */
function checkChannel(c: NewSubscription['channel']): { target: string; secret: string | null } {
  if (c.kind === 'email') {
    if (c.url !== undefined || c.secret !== undefined) invalidTarget('An e-mail subscription takes an address only.', 'channel');
    if (c.address === undefined || !EMAIL.test(c.address)) invalidTarget('Give the recipient as an address like name@example.com.', 'channel.address');
    return { target: c.address, secret: null };
  }
  if (c.address !== undefined) invalidTarget(`A ${c.kind} subscription takes a url, not an address.`, 'channel.address');
  let url: URL;
  try {
    url = new URL(c.url ?? '');
  } catch {
    return invalidTarget('Give the URL to POST to, starting http:// or https://.', 'channel.url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') invalidTarget('Only http:// and https:// URLs are called.', 'channel.url');
  if (url.username || url.password) invalidTarget('Put no credentials in the URL; a webhook is authenticated by its signature.', 'channel.url');
  if (c.kind === 'webhook' && c.secret === undefined)
    invalidTarget('A webhook needs a secret (16 characters or more) to sign its requests with.', 'channel.secret');
  if (c.kind === 'wecom' && c.secret !== undefined) invalidTarget("A WeCom robot's key is part of its URL; send no secret.", 'channel.secret');
  return { target: url.toString(), secret: c.secret ?? null };
}

export function createSubscriptionService(ds: DataSource) {
  // A subscription belongs to its ledger's subtree; one for every ledger (no ledger) only to a caller of every ledger (#17).
  const get = async (id: string, scope: LedgerScope = null): Promise<SubscriptionView> => {
    const row = await one<Row>(ds, `${select} WHERE s.id = $1 AND s.deleted_at IS NULL AND ${rowInScope('s.ledger_id', 2)}`, [id, scope]);
    if (!row) throw new AppError('SUBSCRIPTION_NOT_FOUND', undefined, { id });
    return toView(row);
  };
  return {
    get,

    async create(actor: string, body: NewSubscription, scope: LedgerScope = null): Promise<SubscriptionView> {
      const { target, secret } = checkChannel(body.channel);
      // No ledger named: the caller's whole scope (their organisation unit), never more (#17).
      const ledger = body.ledger === undefined ? (scope === null ? null : { id: scope }) : await findLedger(ds, body.ledger, scope);
      const events = [...new Set(body.events)];
      const id = await ds.transaction(async (em) => {
        const made = await one<{ id: string }>(
          em,
          `INSERT INTO notification_subscription (channel, target, secret, language, events, ledger_id, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
          [body.channel.kind, target, secret, body.language, events, ledger?.id ?? null, actor],
        );
        await audit(em, {
          actor,
          action: 'subscription.created',
          ledgerId: ledger?.id ?? null,
          target: made!.id,
          details: { kind: body.channel.kind, events },
        });
        return made!.id;
      });
      return get(id);
    },

    async list(scope: LedgerScope = null): Promise<{ items: SubscriptionView[] }> {
      return {
        items: (await rows<Row>(ds, `${select} WHERE s.deleted_at IS NULL AND ${rowInScope('s.ledger_id', 1)} ORDER BY s.created_at, s.id`, [scope])).map(
          toView,
        ),
      };
    },

    /** Deleted, not erased: the delivery log keeps naming it. Deliveries still queued for it are dropped. */
    async remove(actor: string, id: string, scope: LedgerScope = null): Promise<void> {
      await ds.transaction(async (em) => {
        const gone = await rows(
          em,
          `UPDATE notification_subscription s SET deleted_at = now() WHERE s.id = $1 AND s.deleted_at IS NULL AND ${rowInScope('s.ledger_id', 2)} RETURNING s.id`,
          [id, scope],
        );
        if (gone.length === 0) throw new AppError('SUBSCRIPTION_NOT_FOUND', undefined, { id });
        await audit(em, { actor, action: 'subscription.deleted', target: id });
      });
    },

    /** The delivery log, newest first, paged by keyset on (created_at, id). */
    async deliveries(q: z.output<typeof listDeliveriesQuery>, scope: LedgerScope = null) {
      const params: unknown[] = [scope];
      const where: string[] = [rowInScope('s.ledger_id', 1)];
      if (q.subscription) where.push(`d.subscription_id = $${params.push(q.subscription)}`);
      if (q.state) where.push(`d.state = $${params.push(q.state)}`);
      const after = decodeCursor(q.cursor, ['string', 'string']);
      if (after) {
        if (!/^\d{1,18}$/.test(String(after[0]))) invalidCursor();
        where.push(`(d.created_at, d.id) < (timestamptz 'epoch' + $${params.push(after[0])}::bigint * interval '1 microsecond', $${params.push(after[1])})`);
      }
      const found = await rows<Record<string, unknown> & { sortKey: string; id: string }>(
        ds,
        `SELECT d.id, d.subscription_id AS subscription, s.channel AS kind, e.event, e.event_key AS "eventKey", l.code AS ledger, e.period,
                e.close_id AS "closeId", d.state, d.attempts, d.last_error AS "lastError", d.created_at AS "createdAt", d.updated_at AS "updatedAt",
                d.sent_at AS "sentAt", (extract(epoch FROM d.created_at) * 1000000)::bigint::text AS "sortKey"
         FROM notification_delivery d JOIN notification_event e ON e.id = d.event_id JOIN notification_subscription s ON s.id = d.subscription_id
         LEFT JOIN ledger l ON l.id = e.ledger_id
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.created_at DESC, d.id DESC LIMIT $${params.push(q.limit + 1)}`,
        params,
      );
      const page = found.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: page.map(({ sortKey: _sortKey, ...d }) => d),
        next: found.length > q.limit && last ? encodeCursor([last.sortKey, last.id]) : null,
      };
    },
  };
}

export type SubscriptionService = ReturnType<typeof createSubscriptionService>;
