import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the close keeps (runs, idempotent operations, snapshots, month-ends) and who may do what
 * (users, roles, permissions, hashed API tokens), with the audit log.
 */
export class CloseAndAccess1763900000100 implements MigrationInterface {
  name = 'CloseAndAccess1763900000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE month_end_run (
        id            text PRIMARY KEY,
        workflow_id   text NOT NULL,
        period        period_code NOT NULL,
        scope         jsonb NOT NULL,
        initiated_by  text NOT NULL,
        state         text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'completed', 'failed', 'cancelled')),
        ledger_count  int,
        started_at    timestamptz NOT NULL DEFAULT now(),
        ended_at      timestamptz
      );

      -- One row per close attempt, kept equal to the workflow's status so lists never ask Temporal.
      CREATE TABLE close_run (
        id            text PRIMARY KEY,
        workflow_id   text NOT NULL,
        run_id        text,
        ledger_id     int NOT NULL REFERENCES ledger(id),
        period        period_code NOT NULL,
        initiated_by  text NOT NULL,
        month_end_id  text REFERENCES month_end_run(id),
        state         text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'blocked', 'failed', 'cancelled', 'closed')),
        current_step  text,
        steps         jsonb NOT NULL DEFAULT '[]',
        blockers      jsonb NOT NULL DEFAULT '[]',
        errors        jsonb NOT NULL DEFAULT '[]',
        started_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        ended_at      timestamptz,
        FOREIGN KEY (ledger_id, period) REFERENCES period (ledger_id, period)
      );
      -- At most one live close per ledger and period.
      CREATE UNIQUE INDEX close_run_one_live ON close_run (ledger_id, period) WHERE state IN ('running', 'blocked');
      CREATE INDEX close_run_list_idx ON close_run (started_at DESC, id DESC);
      CREATE INDEX close_run_state_idx ON close_run (state, updated_at);
      CREATE INDEX close_run_month_end_idx ON close_run (month_end_id, state) WHERE month_end_id IS NOT NULL;

      -- A write step of the close records itself here in the same transaction as its work, so a
      -- retried step finds its own earlier work: carry forward and lock happen once per period.
      CREATE TABLE close_operation (
        ledger_id     int NOT NULL,
        period        period_code NOT NULL,
        operation     text NOT NULL CHECK (operation IN ('backup', 'carry_forward', 'lock')),
        close_id      text NOT NULL REFERENCES close_run(id),
        result        jsonb NOT NULL DEFAULT '{}',
        done_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (ledger_id, period, operation)
      );

      -- What the close read, per account, with a checksum over the period's lines.
      CREATE TABLE period_snapshot (
        id            bigserial PRIMARY KEY,
        close_id      text NOT NULL REFERENCES close_run(id),
        ledger_id     int NOT NULL,
        period        period_code NOT NULL,
        line_count    bigint NOT NULL,
        debit_total   minor_units NOT NULL,
        credit_total  minor_units NOT NULL,
        checksum      text NOT NULL,
        accounts      jsonb NOT NULL,
        taken_at      timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (ledger_id, period) REFERENCES period (ledger_id, period)
      );
      CREATE INDEX period_snapshot_period_idx ON period_snapshot (ledger_id, period, taken_at DESC);

      -- Invoice reconciliation report per close: both values of every difference.
      CREATE TABLE invoice_sync_report (
        close_id      text NOT NULL REFERENCES close_run(id),
        ledger_id     int NOT NULL,
        period        period_code NOT NULL,
        uploaded      int NOT NULL,
        matched       int NOT NULL,
        missing_on_platform jsonb NOT NULL,
        missing_in_ledger jsonb NOT NULL,
        mismatches    jsonb NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (close_id)
      );

      CREATE TABLE permission (
        name          text PRIMARY KEY,
        description   text NOT NULL
      );
      CREATE TABLE role (
        name          text PRIMARY KEY,
        description   text NOT NULL
      );
      CREATE TABLE role_permission (
        role          text NOT NULL REFERENCES role(name),
        permission    text NOT NULL REFERENCES permission(name),
        PRIMARY KEY (role, permission)
      );
      CREATE TABLE app_user (
        id            serial PRIMARY KEY,
        name          text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9_.@-]{1,64}$'),
        role          text NOT NULL REFERENCES role(name),
        active        boolean NOT NULL DEFAULT true,
        created_at    timestamptz NOT NULL DEFAULT now()
      );
      -- Only a SHA-256 of a token is kept; the token itself is shown once, when created.
      CREATE TABLE api_token (
        id            serial PRIMARY KEY,
        user_id       int NOT NULL REFERENCES app_user(id),
        token_hash    text NOT NULL UNIQUE,
        created_at    timestamptz NOT NULL DEFAULT now(),
        revoked_at    timestamptz
      );

      CREATE TABLE audit_log (
        id            bigserial PRIMARY KEY,
        at            timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor         text NOT NULL,
        action        text NOT NULL,
        ledger_id     int,
        period        period_code,
        target        text,
        reason        text,
        details       jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_log_ledger_period_idx ON audit_log (ledger_id, period, id);

      INSERT INTO permission (name, description) VALUES
        ('close:read', 'see closes, ledgers, periods and trial balances'),
        ('close:start', 'start a close'),
        ('close:resume', 'make a close re-check its blockers now'),
        ('close:cancel', 'cancel a running close'),
        ('period:reopen', 'reopen the latest closed period (反结账)'),
        ('voucher:prepare', 'prepare vouchers'),
        ('voucher:approve', 'approve vouchers prepared by someone else'),
        ('voucher:post', 'post approved vouchers'),
        ('reimbursement:defer', 'defer an unpaid reimbursement to the next period'),
        ('audit:read', 'read the audit log'),
        ('schedule:manage', 'create, pause, trigger and delete month-end schedules'),
        ('month_end:start', 'start a month-end close for many ledgers'),
        ('user:manage', 'create users and tokens');
      INSERT INTO role (name, description) VALUES
        ('finance_manager', '财务主管: starts and watches closes, clears blockers'),
        ('accountant', '会计: prepares vouchers, reads'),
        ('operations', '运维: resumes and cancels stalled closes'),
        ('auditor', '审计: reads everything, including the audit log'),
        ('administrator', '管理员: users, tokens and schedules'),
        ('scheduler', 'the identity of automatic month-end closes');
      INSERT INTO role_permission (role, permission) VALUES
        ('finance_manager', 'close:read'), ('finance_manager', 'close:start'), ('finance_manager', 'close:resume'),
        ('finance_manager', 'close:cancel'), ('finance_manager', 'voucher:approve'), ('finance_manager', 'voucher:post'),
        ('finance_manager', 'reimbursement:defer'), ('finance_manager', 'month_end:start'),
        ('accountant', 'close:read'), ('accountant', 'voucher:prepare'),
        ('operations', 'close:read'), ('operations', 'close:resume'), ('operations', 'close:cancel'),
        ('auditor', 'close:read'), ('auditor', 'audit:read'),
        ('finance_manager', 'period:reopen'),
        ('administrator', 'close:read'), ('administrator', 'user:manage'), ('administrator', 'schedule:manage'),
        ('scheduler', 'close:read'), ('scheduler', 'close:start'), ('scheduler', 'month_end:start');
      INSERT INTO app_user (name, role) VALUES ('system', 'scheduler');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE audit_log, api_token, app_user, role_permission, role, permission, invoice_sync_report,
        period_snapshot, close_operation, close_run, month_end_run;
    `);
  }
}
