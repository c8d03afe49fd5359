import { Table, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n';
import { closeHref } from '../../router';
import { dataAttrs } from './parts';
import type { MonthEndSummary } from './types';

type Blocked = MonthEndSummary['blockedLedgers'][number];
type Failed = MonthEndSummary['failedLedgers'][number];

const ledgerLink = (entry: { ledger: string; closeId: string }) => <a href={closeHref(entry.closeId)}>{entry.ledger}</a>;

/** The ledgers that need someone: blocked ones with what blocks them, failed ones with their error code. */
export function RunLedgers({ summary }: { summary: MonthEndSummary }) {
  const { t, label } = useI18n();
  return (
    <>
      {summary.blockedLedgers.length > 0 && (
        <>
          <Typography.Title level={5}>{t('monthEnd.blockedLedgers')}</Typography.Title>
          <Table<Blocked>
            size="small"
            pagination={false}
            rowKey="ledger"
            dataSource={summary.blockedLedgers}
            onRow={(l) => dataAttrs({ 'data-testid': 'blocked-ledger', 'data-ledger': l.ledger })}
            columns={[
              { key: 'ledger', title: t('monthEnd.col.ledger'), render: (_, l) => ledgerLink(l), width: 200 },
              {
                key: 'codes',
                title: t('monthEnd.col.codes'),
                render: (_, l) =>
                  l.codes.map((code) => (
                    <Tag key={code} className="code-chip" title={code}>
                      {label('blocker', code)}
                    </Tag>
                  )),
              },
            ]}
          />
        </>
      )}
      {summary.failedLedgers.length > 0 && (
        <>
          <Typography.Title level={5}>{t('monthEnd.failedLedgers')}</Typography.Title>
          <Table<Failed>
            size="small"
            pagination={false}
            rowKey="ledger"
            dataSource={summary.failedLedgers}
            onRow={(l) => dataAttrs({ 'data-testid': 'failed-ledger', 'data-ledger': l.ledger })}
            columns={[
              { key: 'ledger', title: t('monthEnd.col.ledger'), render: (_, l) => ledgerLink(l), width: 200 },
              { key: 'code', title: t('monthEnd.col.codes'), render: (_, l) => <Typography.Text code>{l.code ?? ''}</Typography.Text> },
            ]}
          />
        </>
      )}
    </>
  );
}
