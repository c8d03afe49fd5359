/** 结账报告 of a closed period, as Excel or CSV: real links (their address can be copied), downloaded with the tab's credentials. */
import { Space } from 'antd';
import type { MouseEvent } from 'react';
import { useAct } from '../../flash';
import { useI18n } from '../../i18n';
import { downloadReport, reportFileName, reportUrl, type ReportFormat } from '../../report';

const FORMATS: Array<{ format: ReportFormat; key: string; testid: string }> = [
  { format: 'xlsx', key: 'ledger.report', testid: 'report-link' },
  { format: 'csv', key: 'ledger.reportCsv', testid: 'report-csv-link' },
];

export function ReportLinks({ code, period }: { code: string; period: string }) {
  const { t } = useI18n();
  const [, run] = useAct();
  return (
    <Space size={12} wrap>
      {FORMATS.map(({ format, key, testid }) => {
        const url = reportUrl(code, period, format);
        const file = reportFileName(code, period, format);
        const download = (event: MouseEvent) => {
          event.preventDefault();
          void run(() => downloadReport(code, period, format));
        };
        return (
          <a key={format} href={url} download={file} data-testid={testid} onClick={download} className="nowrap">
            {t(key)}
          </a>
        );
      })}
    </Space>
  );
}
