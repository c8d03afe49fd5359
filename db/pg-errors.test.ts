import { isConnectionError } from './pg-errors';

describe('what counts as the database being unreachable (answered 503 DATABASE_UNAVAILABLE, retried by the close)', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a backend terminated by an administrator', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['too many clients after a restart', Object.assign(new Error('sorry, too many clients already'), { code: '53300' })],
    ['a cut connection', new Error('Connection terminated unexpectedly')],
    ['a client used after its connection died', new Error('Client was closed and is not queryable')],
    ['a query runner used after its connection died', new Error('Query runner already released. Cannot run queries anymore.')],
    [
      // TypeORM's QueryRunnerAlreadyReleasedError: an act's transaction whose connection was cut (the chaos soak's one 500 INTERNAL).
      "a transaction's query runner released under it",
      new Error('Database connection provided by a query runner was already released, cannot continue to use its querying methods anymore.'),
    ],
    ['a server still starting', new Error('the database system is starting up')],
    ['a server shutting down', new Error('the database system is shutting down')],
    ['the driver error behind a TypeORM error', Object.assign(new Error('query failed'), { driverError: { code: '08006' } })],
  ])('when the error is %s, then it is a connection failure', (_what, err) => {
    expect(isConnectionError(err)).toBe(true);
  });

  it.each([
    ['a unique violation', Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' })],
    ['a book rule', Object.assign(new Error('PERIOD_CLOSED'), { code: 'P0001' })],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ])('when the error is %s, then it is not', (_what, err) => {
    expect(isConnectionError(err)).toBe(false);
  });
});
