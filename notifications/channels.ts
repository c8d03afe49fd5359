import type { Notice, NoticeEvent } from './notice';

/**
 * The body each channel posts (#18). A webhook gets the event as data; the group robots of WeCom
 * (企业微信) and DingTalk (钉钉) get markdown messages, which their apps render in the group.
 */
export function webhookBody(e: NoticeEvent): string {
  return JSON.stringify({ id: e.id, event: e.event, occurredAt: e.occurredAt, ledger: e.ledger, period: e.period, closeId: e.closeId, ...e.payload });
}

/** WeCom group robot: `{ msgtype: 'markdown', markdown: { content } }` (content at most 4096 bytes). */
export function wecomBody(n: Notice): string {
  const content = truncateBytes([`### ${n.title}`, ...n.lines.map((l) => `> ${l}`)].join('\n'), 4096);
  return JSON.stringify({ msgtype: 'markdown', markdown: { content } });
}

/** DingTalk group robot: `{ msgtype: 'markdown', markdown: { title, text } }`. */
export function dingtalkBody(n: Notice): string {
  const text = truncateBytes([`### ${n.title}`, ...n.lines.map((l) => `- ${l}`)].join('\n\n'), 5000);
  return JSON.stringify({ msgtype: 'markdown', markdown: { title: n.title, text } });
}

export function emailMessage(n: Notice): { subject: string; text: string } {
  return { subject: n.title, text: n.lines.join('\n') };
}

/** Robots refuse long messages outright; a cut one still says what happened. */
function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  let cut = s;
  while (Buffer.byteLength(cut) > max - 3) cut = cut.slice(0, -1);
  return `${cut}…`;
}
