import { isEnglish } from './english-text';

describe('what the Chinese-pages test counts as English', () => {
  it.each(['2 voucher(s) are drafts: submit or void them', 'The name or the password is wrong.', 'To act: accountant', '1m 30s running for'])(
    'when a page shows "%s", then it is English',
    (text) => {
      expect(isEnglish(text)).toBe(true);
    },
  );

  it.each([
    '凭证未审核 VOUCHER_SUBMITTED',
    'UI-ZH-01 · 2026-10 结账',
    'PERMISSION_DENIED: 您的角色没有执行此操作的权限；如确需办理，请联系管理员。',
    'clerk',
    '流程服务（Temporal）暂时无法连接',
    '1,234.50',
    '3分05秒',
    'fm 于 2026/11/28 15:43:35 发起',
  ])('when a page shows "%s", then it is not English', (text) => {
    expect(isEnglish(text)).toBe(false);
  });
});
