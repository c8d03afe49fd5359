import { useTestDatabase } from '../test/helpers/database';

const t = useTestDatabase();

describe('month-end runs, newest first', () => {
  it('when a page of the month-end list is asked among thousands of runs, then PostgreSQL reads it from the index in order, sorting nothing', async () => {
    await t.ds.query(
      `INSERT INTO month_end_run (id, workflow_id, period, scope, initiated_by, state, started_at)
       SELECT 'me-' || g, 'month-end:' || g, '2026-09', '{"all": true}'::jsonb, 'bench', 'completed', timestamptz '2026-01-01' + g * interval '1 minute'
       FROM generate_series(1, 5000) g`,
    );
    await t.ds.query('ANALYZE month_end_run');
    const [{ 'QUERY PLAN': plan }] = (await t.ds.query(
      `EXPLAIN (FORMAT JSON) SELECT id FROM month_end_run r
       WHERE (r.started_at, r.id) < (timestamptz '2026-01-03', 'me-9') ORDER BY r.started_at DESC, r.id DESC LIMIT 51`,
    )) as Array<{ 'QUERY PLAN': unknown }>;
    const text = JSON.stringify(plan);
    expect(text).toContain('month_end_run_newest');
    expect(text).not.toContain('"Node Type":"Sort"');
  });
});
