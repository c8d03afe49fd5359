import { AppError } from '../../lib/errors';
import { useTestDatabase } from '../../test/helpers/database';
import { ACT_TRIES, runAct } from './act';

/** runAct's retry of an act that lost a race, on a real database: how often, and which failures. */
describe('an act that meets another writer at the same moment', () => {
  const t = useTestDatabase();

  const failing = (error: () => Error) => {
    let calls = 0;
    const work = async () => {
      calls++;
      throw error();
    };
    return { work, calls: () => calls };
  };

  it('when it loses every time (a deadlock), then it is tried ACT_TRIES times and the caller gets DATABASE_CONFLICT to try again', async () => {
    const act = failing(() => Object.assign(new Error('deadlock detected'), { code: '40P01' }));
    const err = await runAct(t.ds, { name: 'fm' }, undefined, act.work).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('DATABASE_CONFLICT');
    expect(act.calls()).toBe(ACT_TRIES);
  });

  it('when it loses once and then goes through, then the caller sees only its result', async () => {
    let calls = 0;
    const result = await runAct(t.ds, { name: 'fm' }, undefined, async (em) => {
      if (++calls === 1) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
      return (await em.query(`SELECT current_setting('books.actor') AS actor`))[0].actor as string;
    });
    expect({ result, calls }).toEqual({ result: 'fm', calls: 2 });
  });

  it('when a rule of the books refuses it, then it is not tried again', async () => {
    const act = failing(() =>
      Object.assign(new Error('duplicate key value violates unique constraint "ledger_code_key"'), { code: '23505', constraint: 'ledger_code_key' }),
    );
    const err = await runAct(t.ds, { name: 'fm' }, undefined, act.work).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('CONSTRAINT_VIOLATED');
    expect(act.calls()).toBe(1);
  });
});
