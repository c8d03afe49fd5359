/**
 * The close report of the period this close closed: the Excel and CSV files, and a page to print
 * (the same parts as the files, in the reader's language, amounts in yuan, times in Beijing time).
 */
import { Button, Modal, Space, Spin } from 'antd';
import { useState, type ReactNode } from 'react';
import { api } from '../../api';
import { useAct } from '../../flash';
import { formatAmount, formatTime } from '../../format';
import { useI18n } from '../../i18n';
import { downloadReport, reportFileName, reportUrl, type CloseReport, type ReportFormat } from '../../report';

function Section({ title, headers, rows }: { title: ReactNode; headers: string[]; rows: ReactNode[][] }) {
  const { t } = useI18n();
  return (
    <>
      <h4>{title}</h4>
      <table>
        <thead>
          <tr>
            {headers.map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={headers.length}>{t('report.none')}</td>
            </tr>
          ) : (
            rows.map((cells, i) => (
              <tr key={i}>
                {cells.map((cell, j) => (
                  <td key={j}>{cell}</td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </>
  );
}

const yuan = (amount: string) => <span className="num">{formatAmount(amount)}</span>;

function PrintableReport({ report: r }: { report: CloseReport }) {
  const { t, label } = useI18n();
  const at = (iso: string | null | undefined) => formatTime(iso);
  const cf = r.carryForward;
  return (
    <div className="close-report-print" data-testid="close-report">
      <h3>{t('report.title', { ledger: r.ledger.code, name: r.ledger.name, period: r.period })}</h3>
      <p>
        {t('report.closedBy', { by: r.closed.by ?? '—', at: at(r.closed.at) })}
        {r.started && ` · ${t('report.startedBy', { by: r.started.by, at: at(r.started.at) })}`}
      </p>
      <p className="hint">{t('report.note')}</p>
      <Section
        title={t('report.reopenings')}
        headers={[t('report.at'), t('report.by'), t('report.reason')]}
        rows={r.reopenings.map((o) => [at(o.at), o.by, o.reason ?? '—'])}
      />
      <Section
        title={t('report.trialBalance')}
        headers={[t('report.accounts'), t('report.opening'), label('field', 'debit'), label('field', 'credit'), t('report.closing')]}
        rows={[[r.trialBalance.accounts, yuan(r.trialBalance.opening), yuan(r.trialBalance.debit), yuan(r.trialBalance.credit), yuan(r.trialBalance.closing)]]}
      />
      <Section
        title={cf ? t('report.carryForward', { number: cf.number, date: cf.date }) : t('report.noCarryForward')}
        headers={[t('report.line'), label('field', 'account'), label('field', 'accountName'), label('field', 'debit'), label('field', 'credit')]}
        rows={[
          ...(cf?.lines ?? []).map((l) => [l.lineNo, l.account, l.name, yuan(l.debit), yuan(l.credit)]),
          ...(cf ? [[t('report.toNetAssets'), cf.toNetAssets.account, cf.toNetAssets.name, '', yuan(cf.toNetAssets.amount)]] : []),
        ]}
      />
      <Section
        title={t('report.backup')}
        headers={[t('report.checksum'), t('report.lines'), label('field', 'debit'), label('field', 'credit'), t('report.takenAt')]}
        rows={
          r.backup
            ? [[<code key="c">{r.backup.checksum.slice(0, 16)}…</code>, r.backup.lines, yuan(r.backup.debit), yuan(r.backup.credit), at(r.backup.takenAt)]]
            : []
        }
      />
      <Section
        title={t('report.accepted')}
        headers={[label('field', 'number'), label('field', 'field'), t('report.reason'), t('report.by'), t('report.at')]}
        rows={r.acceptedDifferences.map((d) => [d.number, d.field ? label('field', d.field) : '—', d.reason, d.acceptedBy, at(d.acceptedAt)])}
      />
      <Section
        title={t('report.acts')}
        headers={[t('report.at'), t('report.by'), t('report.action'), t('report.target'), t('report.reason')]}
        rows={r.blockerActs.map((a) => [at(a.at), a.actor, label('audit', a.action), a.target ?? '—', a.reason ?? '—'])}
      />
      <Section
        title={t('report.runs')}
        headers={[t('report.startedAt'), t('report.by'), label('field', 'state'), t('report.endedAt'), t('report.counts')]}
        rows={r.runs.map((run) => [at(run.startedAt), run.initiatedBy, label('state', run.state), at(run.endedAt), run.counts ? t('ledger.run.counts') : ''])}
      />
    </div>
  );
}

export function CloseReportLinks({ ledger, period }: { ledger: string; period: string }) {
  const { t } = useI18n();
  const [busy, run] = useAct();
  const [report, setReport] = useState<CloseReport | null>(null);
  const [printing, setPrinting] = useState(false);

  function download(format: ReportFormat) {
    return (event: React.MouseEvent) => {
      event.preventDefault();
      void run(() => downloadReport(ledger, period, format));
    };
  }

  async function openPrint() {
    setPrinting(true);
    const found = await run(() => api.get<CloseReport>(reportUrl(ledger, period, 'json')));
    if (found) setReport(found);
    else setPrinting(false);
  }

  return (
    <div id="close-report" className="close-report">
      <Space wrap>
        <span>{t('close.report')}</span>
        {(['xlsx', 'csv'] as const).map((format) => (
          <a
            key={format}
            href={reportUrl(ledger, period, format)}
            download={reportFileName(ledger, period, format)}
            data-testid={`report-${format}`}
            onClick={download(format)}
          >
            {t(`close.report.${format}`)}
          </a>
        ))}
        <Button size="small" data-testid="report-print" loading={busy && printing} autoInsertSpace={false} onClick={() => void openPrint()}>
          {t('close.report.print')}
        </Button>
      </Space>
      <Modal
        open={printing}
        width={900}
        title={t('close.report')}
        onCancel={() => {
          setPrinting(false);
          setReport(null);
        }}
        footer={[
          <Button key="print" type="primary" className="no-print" disabled={!report} autoInsertSpace={false} onClick={() => window.print()}>
            {t('close.report.printNow')}
          </Button>,
        ]}
      >
        {report ? <PrintableReport report={report} /> : <Spin />}
      </Modal>
    </div>
  );
}
