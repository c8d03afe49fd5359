import { createHmac } from 'node:crypto';
import { dingtalkBody, webhookBody, wecomBody } from './channels';
import { renderNotice, type NoticeEvent } from './notice';
import { dingtalkSignedUrl, signatureHeader, verifySignature } from './signature';

const blocked: NoticeEvent = {
  id: '42',
  event: 'close.blocked',
  occurredAt: '2026-11-01T01:02:03.000Z',
  ledger: 'U00001',
  period: '2026-10',
  closeId: 'c-1',
  payload: {
    dueAt: '2026-11-04T16:00:00+00:00',
    blockers: [
      {
        step: 'pending_approvals',
        code: 'VOUCHER_SUBMITTED',
        message: 'x',
        params: { count: 2 },
        owner: 'finance_manager',
        owners: [{ user: 'zhou.qiang', count: 2 }],
        total: 2,
      },
    ],
  },
};

describe('the webhook signature', () => {
  it('when a body is signed, then the header is t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">', () => {
    const header = signatureHeader('s3cret', '{"a":1}', 1_800_000_000);
    expect(header).toBe(`t=1800000000,v1=${createHmac('sha256', 's3cret').update('1800000000.{"a":1}').digest('hex')}`);
    expect(verifySignature('s3cret', '{"a":1}', header, 1_800_000_010)).toBe(true);
  });

  it('when the body, the secret or the time differ, then verification fails', () => {
    const header = signatureHeader('s3cret', '{"a":1}', 1_800_000_000);
    expect(verifySignature('s3cret', '{"a":2}', header, 1_800_000_000)).toBe(false);
    expect(verifySignature('other', '{"a":1}', header, 1_800_000_000)).toBe(false);
    expect(verifySignature('s3cret', '{"a":1}', header, 1_800_000_000 + 301)).toBe(false);
    expect(verifySignature('s3cret', '{"a":1}', 'garbage', 1_800_000_000)).toBe(false);
  });

  it('when a DingTalk robot signs, then timestamp and sign are added to its URL', () => {
    const url = new URL(dingtalkSignedUrl('https://oapi.dingtalk.com/robot/send?access_token=t', 'SECx', 1_700_000_000_000));
    expect(url.searchParams.get('access_token')).toBe('t');
    expect(url.searchParams.get('sign')).toBe(createHmac('sha256', 'SECx').update('1700000000000\nSECx').digest('base64'));
  });
});

describe('notices in words and per channel', () => {
  it('when a close blocks, then the notice names the step, the blocker and its owners, in Chinese or English', () => {
    const zh = renderNotice(blocked, 'zh');
    expect(zh.title).toBe('结账受阻 · U00001 2026-10');
    expect(zh.lines[0]).toContain('zhou.qiang: 2');
    const en = renderNotice(blocked, 'en');
    expect(en.title).toBe('Close blocked · U00001 2026-10');
    expect(en.lines.join('\n')).toMatch(/Due: 2026-11-04/);
  });

  it('when bodies are made, then the webhook gets the event as data and the robots markdown', () => {
    expect(JSON.parse(webhookBody(blocked))).toMatchObject({ id: '42', event: 'close.blocked', ledger: 'U00001', period: '2026-10', closeId: 'c-1' });
    const notice = renderNotice(blocked, 'zh');
    expect(JSON.parse(wecomBody(notice))).toEqual({ msgtype: 'markdown', markdown: { content: expect.stringMatching(/^### 结账受阻/) } });
    expect(JSON.parse(dingtalkBody(notice))).toEqual({ msgtype: 'markdown', markdown: { title: notice.title, text: expect.stringMatching(/^### 结账受阻/) } });
  });

  it('when a notice is longer than a robot takes, then it is cut to fit', () => {
    const long = renderNotice({ ...blocked, payload: { blockers: Array(400).fill((blocked.payload.blockers as unknown[])[0]) } }, 'zh');
    expect(Buffer.byteLength(JSON.parse(wecomBody(long)).markdown.content)).toBeLessThanOrEqual(4096);
  });

  it('when a month-end finishes or an external system is down, then the counts and the outage are told', () => {
    const me = renderNotice({ ...blocked, event: 'month_end.finished', closeId: null, payload: { ledgers: 3, counts: { closed: 2, blocked: 1 } } }, 'en');
    expect(me.lines[0]).toMatch(/Ledgers: 3 — .*2.*1/);
    const down = renderNotice(
      {
        ...blocked,
        event: 'external.down',
        ledger: null,
        period: null,
        closeId: null,
        payload: { system: 'bank', since: 'T', code: 'BANK_UNAVAILABLE', closes: 4 },
      },
      'en',
    );
    expect(down.title).toBe('External system failing');
    expect(down.lines[0]).toContain('bank has been failing since T (BANK_UNAVAILABLE); 4 close(s)');
  });
});
