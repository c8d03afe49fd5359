/**
 * 试算平衡表: each account's opening, movement and closing as the debit and credit columns a finance
 * team reads, in yuan, summed in integer fen (never a float), with the totals and whether they balance.
 */
import { Alert, Checkbox, Empty, Table, type TableColumnsType } from 'antd';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { formatFen, yuanToFen } from '../../format';
import { useI18n } from '../../i18n';
import type { TrialBalanceLine } from './types';

type Attributes = HTMLAttributes<HTMLElement> & Record<`data-${string}`, string>;

interface Row {
  account: string;
  name: string;
  /** Opening debit, opening credit, debit, credit, closing debit, closing credit, in fen. */
  amounts: bigint[];
  zero: boolean;
}

/** A signed debit-positive balance in fen as the two columns a 试算平衡表 has: debit, credit. */
const sides = (fen: bigint): bigint[] => (fen >= 0n ? [fen, 0n] : [0n, -fen]);
const amount = (fen: bigint) => (fen === 0n ? '' : formatFen(fen));

function rowsOf(accounts: TrialBalanceLine[]): { rows: Row[]; total: bigint[] } {
  const total = [0n, 0n, 0n, 0n, 0n, 0n];
  const rows = accounts.map((a) => {
    const amounts = [...sides(yuanToFen(a.opening)), yuanToFen(a.debit), yuanToFen(a.credit), ...sides(yuanToFen(a.closing))];
    amounts.forEach((fen, i) => (total[i] += fen));
    return { account: a.account, name: a.name, amounts, zero: amounts.every((fen) => fen === 0n) };
  });
  return { rows, total };
}

export function TrialBalanceTable({ accounts }: { accounts: TrialBalanceLine[] }) {
  const { t } = useI18n();
  const [showZero, setShowZero] = useState(false);
  const { rows, total } = useMemo(() => rowsOf(accounts), [accounts]);
  if (accounts.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ledger.tb.empty')} />;

  // The whole chart has a balance row once closed; accounts with nothing in them are left out unless asked for.
  const zeros = rows.filter((r) => r.zero).length;
  const shown = showZero ? rows : rows.filter((r) => !r.zero);
  const balanced = total[0] === total[1] && total[2] === total[3] && total[4] === total[5];
  const money = (index: number, key: string) => ({
    title: t(key),
    key: String(index),
    align: 'right' as const,
    className: 'num',
    width: 130,
    render: (_: unknown, r: Row) => amount(r.amounts[index]),
  });
  const group = (key: string, first: number) => ({ title: t(key), key, children: [money(first, 'ledger.tb.debit'), money(first + 1, 'ledger.tb.credit')] });
  const columns: TableColumnsType<Row> = [
    { title: t('ledger.tb.account'), dataIndex: 'account', width: 90 },
    { title: t('ledger.tb.name'), dataIndex: 'name' },
    group('ledger.tb.opening', 0),
    group('ledger.tb.movement', 2),
    group('ledger.tb.closing', 4),
  ];
  return (
    <>
      {zeros > 0 && (
        <Checkbox id="tb-show-zero" className="hint" checked={showZero} onChange={(e) => setShowZero(e.target.checked)}>
          {t('ledger.tb.showZero', { n: zeros })}
        </Checkbox>
      )}
      <Table<Row>
        id="trial-balance-table"
        className="trial-balance"
        size="small"
        bordered
        rowKey="account"
        columns={columns}
        dataSource={shown}
        pagination={false}
        rowClassName={(r) => (r.zero ? 'zero' : '')}
        onRow={(r) => ({ 'data-testid': 'tb-row', 'data-account': r.account }) as Attributes}
        summary={() => (
          <tr data-testid="tb-total" className="tb-total">
            <th colSpan={2} className="ant-table-cell">
              {t('ledger.tb.total')}
            </th>
            {total.map((fen, i) => (
              <td key={i} className="ant-table-cell num">
                {amount(fen)}
              </td>
            ))}
          </tr>
        )}
      />
      <div data-testid="tb-verdict" data-balanced={String(balanced)} className="tb-verdict">
        <Alert type={balanced ? 'success' : 'error'} showIcon title={t(balanced ? 'ledger.tb.balanced' : 'ledger.tb.unbalanced')} />
      </div>
    </>
  );
}
