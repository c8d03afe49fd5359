import type { NotificationChannel } from '../../close/notification-events';
import { dingtalkBody, emailMessage, webhookBody, wecomBody } from '../../notifications/channels';
import type { Notice, NoticeEvent } from '../../notifications/notice';
import { dingtalkSignedUrl, signatureHeader } from '../../notifications/signature';
import type { Mailer } from '../close/deps';

interface Target {
  channel: NotificationChannel;
  target: string;
  secret: string | null;
}

/** Sends one notice on its channel; throws saying why when the receiver did not take it. */
export async function sendNotice(
  to: Target,
  event: NoticeEvent,
  notice: Notice,
  deliveryId: string,
  how: { timeoutMs: number; mailer?: Mailer; from: string },
): Promise<void> {
  switch (to.channel) {
    case 'webhook': {
      const body = webhookBody(event);
      const headers: Record<string, string> = { 'X-Close-Delivery': deliveryId, 'X-Close-Event': event.event };
      if (to.secret) headers['X-Close-Signature'] = signatureHeader(to.secret, body, Math.floor(Date.now() / 1000));
      await post(to.target, body, headers, how.timeoutMs, false);
      return;
    }
    case 'wecom':
      await post(to.target, wecomBody(notice), { 'X-Close-Delivery': deliveryId }, how.timeoutMs, true);
      return;
    case 'dingtalk': {
      const url = to.secret ? dingtalkSignedUrl(to.target, to.secret, Date.now()) : to.target;
      await post(url, dingtalkBody(notice), { 'X-Close-Delivery': deliveryId }, how.timeoutMs, true);
      return;
    }
    case 'email': {
      if (!how.mailer) throw new Error('No SMTP server is configured (SMTP_URL); e-mail notices cannot be sent.');
      const { subject, text } = emailMessage(notice);
      await withTimeout(
        how.mailer.sendMail({
          from: how.from,
          to: to.target,
          subject,
          text,
          messageId: `<${deliveryId}@close-orchestrator>`,
          headers: { 'X-Close-Delivery': deliveryId },
        }),
        how.timeoutMs,
      );
      return;
    }
  }
}

/**
 * POSTs JSON; a 2xx is taken. The group robots answer 200 with `errcode` in the body when they refuse
 * (a wrong key, a bad signature, too many messages a minute): that is a failure too.
 */
async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number, robot: boolean): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'close-orchestrator', ...headers },
    body,
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text().catch(() => '');
  if (!res.ok) throw new Error(`${new URL(url).host} answered ${res.status}: ${text.slice(0, 200)}`);
  if (robot) {
    let errcode: unknown = 0;
    try {
      errcode = (JSON.parse(text) as { errcode?: unknown }).errcode ?? 0;
    } catch {
      // a robot that answers 200 without JSON took the message
    }
    if (errcode !== 0) throw new Error(`${new URL(url).host} refused the message: ${text.slice(0, 200)}`);
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`SMTP did not answer in ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
