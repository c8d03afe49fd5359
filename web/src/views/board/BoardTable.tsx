/** The ledgers of a federation, one row each: code (to its page), name, where its close stands, what blocks it. */
import { Empty, Space, Table, Tag, type TableColumnsType } from 'antd';
import type { HTMLAttributes } from 'react';
import { useI18n } from '../../i18n';
import { ledgerHref } from '../../router';
import { StateBadge } from '../parts';
import type { LedgerReadiness } from './types';

// The data-* attributes tests and styles read on each row (AntD spreads them onto the <tr>).
type RowAttributes = HTMLAttributes<HTMLElement> & Record<`data-${string}`, string>;

export function BoardTable({ items }: { items: LedgerReadiness[] }) {
  const { t, label, locale } = useI18n();
  const columns: TableColumnsType<LedgerReadiness> = [
    {
      title: t('closes.ledger'),
      dataIndex: 'ledger',
      width: 160,
      render: (code: string, l) => (
        <a href={ledgerHref(code)} title={t('ledger.link', { ledger: l.ledger })} data-testid="ledger-link">
          <code>{code}</code>
        </a>
      ),
    },
    { title: t('board.name'), dataIndex: 'name' },
    { title: t('board.state'), dataIndex: 'state', width: 110, render: (state: string) => <StateBadge state={state} /> },
    {
      title: t('board.blockers'),
      key: 'blockers',
      render: (_: unknown, l) => {
        if (l.ready) return <Tag color="success">{t('board.ready')}</Tag>;
        const counts = Object.entries(l.counts);
        // Closed, or reopened with nothing to clear.
        if (counts.length === 0) return '—';
        return (
          <Space size={[4, 4]} wrap>
            {counts.map(([code, n]) => (
              <Tag key={code} color="orange" className="chip blocker-chip" data-code={code}>
                {`${label('blocker', code)} ${n.toLocaleString(locale)}`}
              </Tag>
            ))}
          </Space>
        );
      },
    },
  ];
  return (
    <Table<LedgerReadiness>
      className="board"
      size="small"
      rowKey="ledger"
      columns={columns}
      dataSource={items}
      pagination={false}
      // A page is 50 ledgers: the column heads stay in sight while one scrolls down them.
      sticky
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('board.none')} /> }}
      onRow={(l) => ({ 'data-testid': 'board-row', 'data-ledger': l.ledger, 'data-state': l.state, 'data-ready': String(l.ready) }) as RowAttributes}
    />
  );
}
