/**
 * The close report (结账报告) of a closed period: JSON for the printable page, or the file a finance
 * team opens in Excel. A file is fetched with this tab's credentials (a bearer token is no cookie a
 * plain link would carry), then handed to the browser as a download.
 */
import { ApiError, path, session } from './api';
import { getLanguage } from './i18n';

export type ReportFormat = 'xlsx' | 'csv';

export const reportUrl = (ledger: string, period: string, format: ReportFormat | 'json') =>
  `${path`/api/v1/ledgers/${ledger}/periods/${period}/report`}?format=${format}`;

export const reportFileName = (ledger: string, period: string, format: ReportFormat) => `close-report-${ledger}-${period}.${format}`;

export async function downloadReport(ledger: string, period: string, format: ReportFormat): Promise<void> {
  const headers: Record<string, string> = { 'accept-language': getLanguage() === 'zh' ? 'zh-CN' : 'en' };
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(reportUrl(ledger, period, format), { headers });
  if (!response.ok) {
    const error = (await response.json().catch(() => null))?.error;
    throw new ApiError(error?.code ?? `HTTP_${response.status}`, error?.message ?? response.statusText, response.status);
  }
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = reportFileName(ledger, period, format);
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

/** GET …/report as JSON (api/services/close-report.ts). */
export interface CloseReport {
  ledger: { code: string; name: string };
  period: string;
  closed: { by: string | null; at: string | null; closeId: string | null };
  reopenings: Array<{ by: string; at: string; reason: string | null }>;
  started: { by: string; at: string } | null;
  trialBalance: { accounts: number; opening: string; debit: string; credit: string; closing: string };
  carryForward: {
    number: number;
    date: string;
    lines: Array<{ lineNo: number; account: string; name: string; debit: string; credit: string }>;
    toNetAssets: { account: string; name: string; amount: string };
  } | null;
  backup: { checksum: string; lines: number; debit: string; credit: string; takenAt: string } | null;
  acceptedDifferences: Array<{ number: string; field: string | null; reason: string; acceptedBy: string; acceptedAt: string }>;
  blockerActs: Array<{ at: string; actor: string; action: string; target: string | null; reason: string | null }>;
  runs: Array<{ closeId: string; state: string; initiatedBy: string; startedAt: string; endedAt: string | null; counts: boolean }>;
}
