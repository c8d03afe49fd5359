import { ApplicationFailure } from '@temporalio/common';
import { AppError, ErrorCodes, nonRetryableCodes, type ErrorCode } from '../lib/errors';
import { useTestDatabase } from '../test/helpers/database';
import { asActivityFailure, failureCode } from './activity-failure';

const t = useTestDatabase(2);

async function realError(sql: string, params: unknown[] = []): Promise<unknown> {
  return t.ds.query(sql, params).then(
    () => {
      throw new Error(`expected ${sql} to fail`);
    },
    (e: unknown) => e,
  );
}

describe('what an activity throws, as Temporal records it', () => {
  it.each([
    ['a NUL byte in text (22021)', `SELECT $1::text`, ['a\u0000b'], 'VALUE_REJECTED'],
    ['a number out of range (22003)', `SELECT 99999999999999999999::bigint`, [], 'VALUE_REJECTED'],
    ['a unique violation (23505)', `INSERT INTO permission (name, description) VALUES ('close:read', 'again')`, [], 'CONSTRAINT_VIOLATED'],
    ['a check constraint (23514)', `INSERT INTO ledger (code, name, taxpayer_id, first_period) VALUES ('x y', 'n', 't', '2026-01')`, [], 'CONSTRAINT_VIOLATED'],
  ])('when PostgreSQL refuses %s, then the failure is non-retryable with code %s', async (_what, sql, params, code) => {
    const failure = asActivityFailure(await realError(sql, params));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: code, nonRetryable: true });
  });

  it('when a writer holds the lock past lock_timeout (55P03), then the failure is PERIOD_BUSY and retryable', async () => {
    const runner = t.ds.createQueryRunner();
    await runner.startTransaction();
    await runner.query(`LOCK TABLE permission IN ACCESS EXCLUSIVE MODE`);
    try {
      const err = await t.ds.transaction(async (em) => {
        await em.query(`SET LOCAL lock_timeout = '50ms'`);
        return em.query(`SELECT * FROM permission`).then(
          () => null,
          (e: unknown) => e,
        );
      });
      expect(asActivityFailure(err)).toMatchObject({ type: 'PERIOD_BUSY', nonRetryable: false });
      expect(failureCode(err)).toBe('PERIOD_BUSY');
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it("when an AppError is thrown, then its retryability is the error table's, for every code", () => {
    for (const code of Object.keys(ErrorCodes) as ErrorCode[]) {
      expect(asActivityFailure(new AppError(code))).toMatchObject({ type: code, nonRetryable: !ErrorCodes[code].retryable });
    }
    expect(nonRetryableCodes).toContain('SNAPSHOT_MISMATCH');
    expect(nonRetryableCodes).not.toContain('TAX_PLATFORM_UNAVAILABLE');
  });

  it('when an ApplicationFailure carries a code the table calls unretryable, then it is made non-retryable; unknown errors pass through', () => {
    expect(asActivityFailure(ApplicationFailure.create({ type: 'CLOSE_NOT_ACTIVE', message: 'x' }))).toMatchObject({ nonRetryable: true });
    expect(asActivityFailure(ApplicationFailure.create({ type: 'BANK_UNAVAILABLE', message: 'x' }))).toMatchObject({ nonRetryable: false });
    const unknown = new TypeError('a bug');
    expect(asActivityFailure(unknown)).toBe(unknown);
    expect(failureCode(unknown)).toBe('INTERNAL');
  });
});
