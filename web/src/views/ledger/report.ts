/**
 * The close report as a file: fetched with this tab's credentials (a bearer token is no cookie a
 * plain link would carry), then handed to the browser as a download.
 */
import { ApiError, path, session } from '../../api';
import { getLanguage } from '../../i18n';

export type ReportFormat = 'xlsx' | 'csv';

export const reportUrl = (code: string, period: string, format: ReportFormat) => `${path`/api/v1/ledgers/${code}/periods/${period}/report`}?format=${format}`;
export const reportFile = (code: string, period: string, format: ReportFormat) => `close-report-${code}-${period}.${format}`;

export async function downloadReport(url: string, file: string): Promise<void> {
  const headers: Record<string, string> = { 'accept-language': getLanguage() === 'zh' ? 'zh-CN' : 'en' };
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { headers });
  if (!response.ok) {
    const error = ((await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(error?.code ?? `HTTP_${response.status}`, error?.message ?? response.statusText, response.status);
  }
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = file;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}
