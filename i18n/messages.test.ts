import { ErrorCodes, type ErrorCode } from '../lib/errors';
import { retryMessage } from './messages';

describe('the line a step retrying by itself shows, in both languages', () => {
  const retryable = (Object.keys(ErrorCodes) as ErrorCode[]).filter((c) => ErrorCodes[c].retryable);

  it.each(retryable)('Given %s, when a step retries it, then the line says so in Chinese and in English', (code) => {
    expect(retryMessage(code, 'zh-CN')).toMatch(/系统(将自动|将继续|等待其完成后自动)重试/);
    expect(retryMessage(code, 'en')).toMatch(/^[\x20-\x7e]+$/);
    expect(retryMessage(code, 'en')).toMatch(/the system (retries|keeps retrying|waits and retries)/);
  });

  it('Given the tax platform down, then the line tells the reader there is nothing to do', () => {
    expect(retryMessage('TAX_PLATFORM_UNAVAILABLE', 'zh-CN')).toBe('税务平台暂时不可用，系统将自动重试，无需处理。');
    expect(retryMessage('TAX_PLATFORM_UNAVAILABLE', 'en')).toBe('The tax platform is unavailable for now; the system retries by itself, nothing to do.');
  });
});
