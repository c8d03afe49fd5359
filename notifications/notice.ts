import type { NotificationEvent } from '../close/notification-events';
import type { BlockerCode } from '../close';
import { label } from '../i18n/labels';
import { blockerMessage } from '../i18n/messages';

/** One event as the outbox holds it: what every channel renders. */
export interface NoticeEvent {
  id: string;
  event: NotificationEvent;
  occurredAt: string;
  ledger: string | null;
  period: string | null;
  closeId: string | null;
  payload: Record<string, unknown>;
}

export type NoticeLanguage = 'zh' | 'en';

/** A notice in words: a title and lines, in the recipient's language (rendered per channel after). */
export interface Notice {
  title: string;
  lines: string[];
}

interface BlockerSummary {
  step: string;
  code: BlockerCode;
  message: string;
  params?: Record<string, string | number>;
  owner: string;
  owners?: Array<{ user: string; count: number }> | null;
  total: number;
}

const TITLES: Record<NotificationEvent, [string, string]> = {
  'close.blocked': ['结账受阻', 'Close blocked'],
  'close.failed': ['结账失败', 'Close failed'],
  'close.closed': ['结账完成', 'Close finished'],
  'close.late': ['结账已逾期', 'Close is late'],
  'close.due_soon': ['结账即将到期', 'Close due soon'],
  'month_end.finished': ['月末结账结束', 'Month-end finished'],
  'external.down': ['外部系统持续故障', 'External system failing'],
};

export function renderNotice(e: NoticeEvent, language: NoticeLanguage): Notice {
  const zh = language === 'zh';
  const lang = zh ? 'zh-CN' : 'en';
  const p = e.payload;
  const where = [e.ledger, e.period].filter(Boolean).join(' ');
  const title = `${TITLES[e.event][zh ? 0 : 1]}${where ? ` · ${where}` : ''}`;
  const lines: string[] = [];
  const due = typeof p.dueAt === 'string' ? p.dueAt : null;
  switch (e.event) {
    case 'close.blocked':
      for (const b of (p.blockers as BlockerSummary[] | undefined) ?? []) {
        const owners = (b.owners ?? []).map((o) => `${o.user}: ${o.count}`).join(', ');
        lines.push(`${label(`step.${b.step}`, lang)} · ${blockerMessage(b, lang)} (${zh ? '负责' : 'owner'}: ${owners || b.owner})`);
      }
      break;
    case 'close.failed': {
      const err = p.error as { code?: string; message?: string } | null | undefined;
      if (err?.code) lines.push(`${label(`error.${err.code}`, lang)} (${err.code})${err.message && !zh ? `: ${err.message}` : ''}`);
      break;
    }
    case 'month_end.finished': {
      const counts = (p.counts as Record<string, number> | undefined) ?? {};
      const parts = Object.entries(counts).map(([state, n]) => `${label(`state.${state}`, lang)} ${n}`);
      lines.push(`${zh ? '账套' : 'Ledgers'}: ${p.ledgers ?? '?'}${parts.length ? ` — ${parts.join(', ')}` : ''}`);
      break;
    }
    case 'external.down':
      lines.push(
        zh
          ? `${p.system === 'bank' ? '银行系统' : '税务平台'}自 ${p.since} 起持续失败（${p.code}），影响 ${p.closes} 个结账。`
          : `The ${p.system === 'bank' ? 'bank' : 'tax platform'} has been failing since ${p.since} (${p.code}); ${p.closes} close(s) wait on it.`,
      );
      break;
    default:
      break;
  }
  if (due) lines.push(`${zh ? '截止' : 'Due'}: ${due}`);
  if (e.closeId) lines.push(`${zh ? '结账编号' : 'Close'}: ${e.closeId}`);
  return { title, lines };
}
