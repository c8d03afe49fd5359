import { loadConfig } from './config';

describe('the configuration', () => {
  it('when nothing is set, then every setting has its default', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'period-close',
      CLOSE_RECHECK_MS: 300000,
      DEMO_DATA: true,
      DB_PREPARED_STATEMENTS: true,
    });
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('when settings are bad, then start-up stops naming each bad one, with the stable code', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url', LOG_LEVEL: 'loud', DB_PREPARED_STATEMENTS: 'yes' });
    expect(attempt).toThrow(/^Invalid configuration \(CONFIG_INVALID\)/);
    for (const name of ['PORT:', 'DATABASE_URL:', 'LOG_LEVEL:', 'DB_PREPARED_STATEMENTS:']) expect(attempt).toThrow(name);
  });

  it('when a value is given as text, then it is read as its type', () => {
    expect(loadConfig({ PORT: '8080', DEMO_DATA: 'false', CLOSE_RECHECK_MS: '1000', DB_PREPARED_STATEMENTS: 'false' })).toMatchObject({
      PORT: 8080,
      DEMO_DATA: false,
      CLOSE_RECHECK_MS: 1000,
      DB_PREPARED_STATEMENTS: false,
    });
  });
});
