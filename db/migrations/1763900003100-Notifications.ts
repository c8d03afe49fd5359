import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications (#18): subscriptions, an outbox of events and a delivery log.
 *
 * The outbox is filled by triggers on close_run and month_end_run, in the same transaction as the
 * state change, under a unique event key: however often a step is retried or a close replayed, the
 * same change of state is one event. A blocked close's key holds a digest of its blockers (step,
 * code, count, owners), so a re-check that finds the same blockers adds nothing. A dispatcher
 * (workflows/notifications/) fans events out to deliveries, one per subscription, each delivered
 * by a Temporal activity with retries.
 */
export class Notifications1763900003100 implements MigrationInterface {
  name = 'Notifications1763900003100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO permission (name, description) VALUES
        ('notification:manage', 'add and remove notification subscriptions, set close calendars'),
        ('notification:read', 'read notification subscriptions, the delivery log and close calendars');
      INSERT INTO role_permission (role, permission) VALUES
        ('administrator', 'notification:manage'), ('finance_manager', 'notification:manage'),
        ('administrator', 'notification:read'), ('finance_manager', 'notification:read'),
        ('operations', 'notification:read'), ('auditor', 'notification:read');

      -- The secret is kept as given: signing a webhook needs it (the API never shows it again).
      CREATE TABLE notification_subscription (
        id          text PRIMARY KEY DEFAULT gen_random_uuid()::text,
        channel     text NOT NULL CHECK (channel IN ('webhook', 'wecom', 'dingtalk', 'email')),
        target      text NOT NULL,
        secret      text,
        language    text NOT NULL DEFAULT 'zh' CHECK (language IN ('zh', 'en')),
        events      text[] NOT NULL,
        ledger_id   int REFERENCES ledger(id),
        created_by  text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        deleted_at  timestamptz
      );

      CREATE TABLE notification_event (
        id             bigserial PRIMARY KEY,
        event_key      text NOT NULL UNIQUE,
        event          text NOT NULL CHECK (event IN ('close.blocked', 'close.failed', 'close.closed', 'close.late', 'close.due_soon',
                                                'month_end.finished', 'external.down')),
        ledger_id      int REFERENCES ledger(id),
        period         period_code,
        close_id       text,
        payload        jsonb NOT NULL DEFAULT '{}',
        occurred_at    timestamptz NOT NULL DEFAULT now(),
        -- A newer set of blockers of the same close came before this one was sent (the checks of one pass end one by one).
        superseded     boolean NOT NULL DEFAULT false,
        fanned_out_at  timestamptz
      );
      CREATE INDEX notification_event_waiting ON notification_event (id) WHERE fanned_out_at IS NULL;
      CREATE INDEX notification_event_close ON notification_event (close_id, event) WHERE close_id IS NOT NULL;

      CREATE TABLE notification_delivery (
        id               text PRIMARY KEY DEFAULT gen_random_uuid()::text,
        event_id         bigint NOT NULL REFERENCES notification_event(id),
        subscription_id  text NOT NULL REFERENCES notification_subscription(id),
        state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'queued', 'retrying', 'sent', 'failed')),
        attempts         int NOT NULL DEFAULT 0,
        last_error       text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        sent_at          timestamptz,
        UNIQUE (event_id, subscription_id)
      );
      CREATE INDEX notification_delivery_pending ON notification_delivery (created_at) WHERE state = 'pending';
      CREATE INDEX notification_delivery_log ON notification_delivery (created_at DESC, id DESC);

      -- Is the ledger the root or inside its subtree (a subscription to a federation hears its ledgers)?
      CREATE FUNCTION ledger_within(p_ledger int, p_root int) RETURNS boolean LANGUAGE sql STABLE AS $$
        WITH RECURSIVE up AS (
          SELECT id, parent_id, 0 AS depth FROM ledger WHERE id = p_ledger
          UNION ALL
          SELECT l.id, l.parent_id, up.depth + 1 FROM ledger l JOIN up ON l.id = up.parent_id WHERE up.depth < 64
        )
        SELECT EXISTS (SELECT 1 FROM up WHERE id = p_root)
      $$;

      CREATE FUNCTION close_run_notice() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_base jsonb;
        v_key text;
      BEGIN
        -- Most writes (a step starts or ends while running) are none of these: they pay for the IFs only.
        IF NEW.state IN ('blocked', 'failed', 'closed') THEN
          v_base := jsonb_build_object('ledger', (SELECT code FROM ledger WHERE id = NEW.ledger_id), 'period', NEW.period, 'closeId', NEW.id,
                                       'state', NEW.state, 'dueAt', close_due_at(NEW.ledger_id, NEW.period));
        END IF;
        IF NEW.state = 'blocked' AND (TG_OP = 'INSERT' OR OLD.state <> 'blocked' OR OLD.blockers IS DISTINCT FROM NEW.blockers) THEN
          v_key := 'close.blocked:' || NEW.id || ':' || (
            SELECT md5(coalesce(string_agg(concat_ws('/', b ->> 'step', b ->> 'code', b ->> 'total', b -> 'owners'), '|'
                                           ORDER BY b ->> 'step', b ->> 'code', b ->> 'total', (b -> 'owners')::text), ''))
            FROM jsonb_array_elements(NEW.blockers) b);
          UPDATE notification_event SET superseded = true
          WHERE close_id = NEW.id AND event = 'close.blocked' AND fanned_out_at IS NULL AND event_key <> v_key AND NOT superseded;
          INSERT INTO notification_event (event_key, event, ledger_id, period, close_id, payload)
          VALUES (v_key, 'close.blocked', NEW.ledger_id, NEW.period, NEW.id, v_base || jsonb_build_object('blockers',
                  (SELECT coalesce(jsonb_agg(jsonb_build_object('step', b -> 'step', 'code', b -> 'code', 'message', b -> 'message',
                                                                'params', b -> 'params', 'owner', b -> 'owner', 'owners', b -> 'owners', 'total', b -> 'total')), '[]')
                   FROM jsonb_array_elements(NEW.blockers) b)))
          -- The same blockers again: nothing new, unless this set had been replaced and is back (then it settles anew).
          ON CONFLICT (event_key) DO UPDATE SET superseded = false, occurred_at = now()
            WHERE notification_event.fanned_out_at IS NULL AND notification_event.superseded;
        ELSIF NEW.state IN ('failed', 'closed') AND (TG_OP = 'INSERT' OR OLD.state <> NEW.state)
              -- A close replaced by a newer one of the same period did not fail the books; the newer one speaks for them.
              AND coalesce(NEW.errors -> -1 ->> 'code', '') <> 'CLOSE_SUPERSEDED' THEN
          INSERT INTO notification_event (event_key, event, ledger_id, period, close_id, payload)
          VALUES ('close.' || NEW.state || ':' || NEW.id, 'close.' || NEW.state, NEW.ledger_id, NEW.period, NEW.id,
                  v_base || CASE WHEN NEW.state = 'failed' THEN jsonb_build_object('error', NEW.errors -> -1) ELSE '{}' END)
          ON CONFLICT (event_key) DO NOTHING;
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER close_run_notice AFTER INSERT OR UPDATE OF state, blockers ON close_run
        FOR EACH ROW EXECUTE FUNCTION close_run_notice();

      CREATE FUNCTION month_end_notice() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.state = 'running' AND NEW.state <> 'running' THEN
          INSERT INTO notification_event (event_key, event, ledger_id, period, payload)
          VALUES ('month_end.finished:' || NEW.id, 'month_end.finished',
                  (SELECT id FROM ledger WHERE code = NEW.scope ->> 'parent'), NEW.period,
                  jsonb_build_object('monthEndId', NEW.id, 'period', NEW.period, 'state', NEW.state, 'ledgers', NEW.ledger_count,
                    'ledger', NEW.scope ->> 'parent',
                    'counts', (SELECT coalesce(jsonb_object_agg(state, n), '{}') FROM
                                 (SELECT state, count(*) AS n FROM close_run WHERE month_end_id = NEW.id GROUP BY state) s)))
          ON CONFLICT (event_key) DO NOTHING;
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER month_end_notice AFTER UPDATE OF state ON month_end_run
        FOR EACH ROW EXECUTE FUNCTION month_end_notice();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER month_end_notice ON month_end_run;
      DROP FUNCTION month_end_notice();
      DROP TRIGGER close_run_notice ON close_run;
      DROP FUNCTION close_run_notice();
      DROP FUNCTION ledger_within(int, int);
      DROP TABLE notification_delivery;
      DROP TABLE notification_event;
      DROP TABLE notification_subscription;
      DELETE FROM role_permission WHERE permission IN ('notification:manage', 'notification:read');
      DELETE FROM permission WHERE name IN ('notification:manage', 'notification:read');
    `);
  }
}
