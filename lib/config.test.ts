import { loadConfig } from './config';

describe('the configuration', () => {
  it('when nothing is set, then every setting has its default', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: 'period-close', CLOSE_RECHECK_MS: 300000, DEMO_DATA: true });
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('when settings are bad, then start-up stops naming each bad one, with the stable code', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(/^Invalid configuration \(CONFIG_INVALID\)/);
    for (const name of ['PORT:', 'DATABASE_URL:', 'LOG_LEVEL:']) expect(attempt).toThrow(name);
  });

  it('when a value is given as text, then it is read as its type', () => {
    expect(loadConfig({ PORT: '8080', DEMO_DATA: 'false', CLOSE_RECHECK_MS: '1000' })).toMatchObject({ PORT: 8080, DEMO_DATA: false, CLOSE_RECHECK_MS: 1000 });
  });
});
