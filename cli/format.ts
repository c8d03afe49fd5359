import { DEFAULT_TIME_ZONE, formatLocalTime } from '../lib/local-time';
import { groupThousands } from '../lib/money';
import { isMoneyField, itemColumns, MONEY_FIELDS } from '../close/blocker-items';
import type { Blocker, CloseView, MonthEndSummary, ScheduleView, StepStatus } from './types';

export type Cell = string | number | boolean | null | undefined;

/** Terminal columns a text takes: CJK characters (账套, 发票 …) take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return width;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Cells come from ledger data: control characters are blanked so no value can move the cursor. */
export function cellText(value: Cell): string {
  if (value === null || value === undefined || value === '') return '-';
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}

/**
 * A plain-text table: a header row, then one row per entry, columns as wide as their widest cell.
 * Columns named in `rightAligned` (amounts) are aligned right, so the decimal points line up.
 */
export function renderTable(headers: string[], rows: Cell[][], rightAligned: ReadonlySet<string> = new Set()): string {
  const cells = rows.map((row) => headers.map((_, i) => cellText(row[i])));
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...cells.map((row) => displayWidth(row[i]))));
  const line = (row: string[]) =>
    row
      .map((c, i) => (rightAligned.has(headers[i]) ? padStart(c, widths[i]) : i === row.length - 1 ? c : pad(c, widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n');
}

/** "14614.00" → "14,614.00": the API's decimal strings in yuan as a finance team reads them. */
export function yuan(amount: string | null | undefined): string {
  return amount === null || amount === undefined ? '' : groupThousands(amount);
}

/** An instant in the reader's time zone (closectl --tz, default Asia/Shanghai). */
export function localTime(instant: string | null | undefined, timeZone: string = DEFAULT_TIME_ZONE): string {
  return formatLocalTime(instant, timeZone);
}

export function progressBar(done: number, total: number, width = total): string {
  const safeTotal = Math.max(total, 1);
  const filled = Math.min(width, Math.round((Math.min(done, safeTotal) / safeTotal) * width));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** 45s, 3m 05s, 2h 04m, 3d 02h: two units are enough to tell a stalled close from a busy one. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${two(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d ${two(Math.floor((s % 86400) / 3600))}h`;
}

export function elapsed(close: Pick<CloseView, 'startedAt' | 'endedAt'>, now: Date): string {
  const start = Date.parse(close.startedAt);
  if (Number.isNaN(start)) return '-';
  const end = close.endedAt ? Date.parse(close.endedAt) : now.getTime();
  return formatDuration(end - start);
}

export function stepsDone(steps: StepStatus[] = []): number {
  return steps.filter((s) => s.state === 'done').length;
}

/** The step the close is at: the first one not done (none once every step is done). */
export function currentStep(steps: StepStatus[] = []): StepStatus | undefined {
  return steps.find((s) => s.state !== 'done');
}

/** `[#####------] 5/11 invoice_sync running` — one close on one line. */
export function closeProgressLine(close: CloseView): string {
  const steps = close.steps ?? [];
  const at = currentStep(steps);
  const where = close.state === 'closed' || !at ? close.state : `${at.name} ${close.state === 'running' ? at.state : close.state}`;
  return `${progressBar(stepsDone(steps), steps.length)} ${where}`;
}

export function closesTable(closes: CloseView[], now: Date): string {
  return renderTable(
    ['ID', 'LEDGER', 'PERIOD', 'STATE', 'PROGRESS', 'STEP', 'RUNNING FOR', 'DUE'],
    closes.map((c) => [
      c.id,
      c.ledger,
      c.period,
      c.state,
      c.steps ? `${stepsDone(c.steps)}/${c.steps.length}` : '-',
      c.state === 'closed' ? '' : currentStep(c.steps)?.name,
      elapsed(c, now),
      c.dueAt ? `${c.dueAt.slice(0, 16).replace('T', ' ')}Z${c.late ? ' LATE' : ''}` : '',
    ]),
  );
}

export function stepsTable(steps: StepStatus[], now: Date): string {
  return renderTable(
    ['#', 'STEP', 'STATE', 'ATTEMPTS', 'TOOK', 'LAST ERROR'],
    steps.map((s, i) => [
      i + 1,
      s.name,
      s.state,
      s.attempts,
      s.startedAt ? elapsed({ startedAt: s.startedAt, endedAt: s.endedAt }, now) : '',
      s.lastError ? `${s.lastError.code}: ${s.lastError.message}` : '',
    ]),
  );
}

/** An item's value as the table shows it: amounts grouped by thousands, the rest as given. */
function itemCell(item: Record<string, unknown>, key: string): Cell {
  const value = item[key] as Cell;
  return typeof value === 'string' && isMoneyField(item, key) ? yuan(value) : value;
}

/** Each blocker: what, where, who must act, then its items with every field the API gave. */
export function blockersTable(blockers: Blocker[]): string {
  return blockers
    .map((b) => {
      const columns = itemColumns(b.items, { ids: true });
      const head = `${b.code} (${b.step}) — ${b.total} item(s), to act: ${b.owner}\n  ${b.message}`;
      const table =
        columns.length > 0
          ? `\n${indent(
              renderTable(
                columns,
                b.items.map((item) => columns.map((c) => itemCell(item, c))),
                new Set(columns.filter((c) => MONEY_FIELDS.has(c))),
              ),
            )}`
          : '';
      const more = b.total > b.items.length ? `\n  … and ${b.total - b.items.length} more` : '';
      return head + table + more;
    })
    .join('\n\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

export function errorsTable(errors: NonNullable<CloseView['errors']>, timeZone: string = DEFAULT_TIME_ZONE): string {
  return renderTable(
    ['AT', 'STEP', 'ATTEMPT', 'CODE', 'MESSAGE'],
    errors.map((e) => [localTime(e.at, timeZone), e.step, e.attempt, e.code, e.message]),
  );
}

export function closeDetails(close: CloseView, now: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  const at = (instant: string) => localTime(instant, timeZone);
  const parts = [
    `close ${close.id}: ledger ${close.ledger}, period ${close.period}, ${close.state}`,
    `started ${at(close.startedAt)} by ${close.initiatedBy}, ${close.endedAt ? `ended ${at(close.endedAt)}` : 'still going'} (${elapsed(close, now)})`,
    closeProgressLine(close),
  ];
  if (close.steps?.length) parts.push('', stepsTable(close.steps, now));
  if (close.blockers?.length) parts.push('', 'Blockers:', blockersTable(close.blockers));
  if (close.errors?.length) parts.push('', 'Errors:', errorsTable(close.errors, timeZone));
  return parts.join('\n');
}

/** `[####------] 4/10 closed · 2 blocked · 3 running · 1 failed · 0 cancelled · 0 not started` */
export function monthEndLine(summary: MonthEndSummary): string {
  const counts = [
    `${summary.closed} closed`,
    `${summary.blocked} blocked`,
    `${summary.running} running`,
    `${summary.failed} failed`,
    `${summary.cancelled} cancelled`,
    `${summary.notStarted} not started`,
  ];
  return `${progressBar(summary.closed, summary.total, Math.min(summary.total, 40))} ${counts.join(' · ')}`;
}

export function monthEndLedgersTable(summary: MonthEndSummary): string {
  const rows: Cell[][] = [
    ...summary.blockedLedgers.map((l) => [l.ledger, 'blocked', l.codes.join(', '), l.closeId]),
    ...summary.failedLedgers.map((l) => [l.ledger, 'failed', l.code, l.closeId]),
  ];
  return rows.length > 0 ? renderTable(['LEDGER', 'STATE', 'CODES', 'CLOSE'], rows) : '';
}

export function schedulesTable(schedules: ScheduleView[], timeZone: string = DEFAULT_TIME_ZONE): string {
  return renderTable(
    ['ID', 'SCOPE', 'WHEN', 'STATE', 'NEXT RUN', 'NOTE'],
    schedules.map((s) => [
      s.id,
      s.scope.parent ? `children of ${s.scope.parent}` : (s.scope.ledgers ?? []).join(','),
      `day ${s.dayOfMonth} ${two(s.hour)}:${two(s.minute)} ${s.timeZone}`,
      s.paused ? 'paused' : 'active',
      localTime(s.nextActionTimes[0], timeZone),
      s.note,
    ]),
  );
}
