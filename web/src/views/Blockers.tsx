/**
 * What blocks a close, grouped under the step that met it (vouchers, reimbursements, transfers,
 * invoices …) and by code within it, in the order a clerk works through them: each code's message,
 * the role that must act, and its items with the acts that clear them. Shared by a close's page, the
 * readiness check (结账检查) and the invoice sync ahead of the close.
 */
import { Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { codesOf, useI18n } from '../i18n';
import { cellText, columnsOf, idAttributes, isAmount } from './close/blockerFields';
import { ItemActions } from './close/ItemActions';
import type { Blocker, BlockerItem } from './close/types';
import './close/close.css';

// The blocker codes in the table's order (i18n/labels.ts): drafts before approvals before posting.
const BLOCKER_ORDER = codesOf('blocker');
const orderOf = (code: string) => (BLOCKER_ORDER.includes(code) ? BLOCKER_ORDER.indexOf(code) : BLOCKER_ORDER.length);

/** An item is marked done until the close re-checks and lists it otherwise (or no more). */
const itemKey = (code: string, item: BlockerItem) => `${code}|${JSON.stringify(item)}`;

interface Row {
  key: string;
  item: BlockerItem;
}

/** A row keeps its key (and a reason being typed in it) while the close re-checks around it. */
function rowKey(item: BlockerItem, index: number): string {
  const ids = idAttributes(item);
  return Object.keys(ids).length > 0 ? JSON.stringify(ids) : `#${index}`;
}

function BlockerSection({ blocker, isDone, markDone }: { blocker: Blocker; isDone: (key: string) => boolean; markDone: (key: string) => void }) {
  const { t, label } = useI18n();
  const columns = columnsOf(blocker.items);
  const actionable = blocker.items.some((item) => (item.actions ?? []).length > 0);
  const inYuan = columns.some((c) => blocker.items.some((item) => isAmount(blocker.code, c, item)));
  const comparison = blocker.code === 'INVOICE_FIELD_MISMATCH';

  const tableColumns = [
    ...columns.map((c) => ({
      key: c,
      title: label('field', c),
      align: (blocker.items.some((item) => isAmount(blocker.code, c, item)) ? 'right' : undefined) as 'right' | undefined,
      className: comparison && (c === 'ledger' || c === 'platform') ? `compare compare-${c}` : undefined,
      render: (_: unknown, row: Row) => cellText(blocker.code, row.item, c, label),
    })),
    ...(actionable
      ? [
          {
            key: 'actions',
            title: t('item.actions'),
            render: (_: unknown, row: Row) => {
              const key = itemKey(blocker.code, row.item);
              return <ItemActions item={row.item} done={isDone(key)} onDone={() => markDone(key)} />;
            },
          },
        ]
      : []),
  ];

  return (
    <section className="blocker" data-testid="blocker" data-code={blocker.code} data-step={blocker.step}>
      <h4>
        {label('blocker', blocker.code)} <code>{blocker.code}</code>{' '}
        <Tag color="orange" className="count">
          {blocker.total}
        </Tag>
      </h4>
      <p className="message">{blocker.message}</p>
      <p className="owner" data-testid="blocker-owner">
        {t('close.owner', { owner: label('role', blocker.owner) })}
      </p>
      {blocker.items.length > 0 && (
        <Table<Row>
          className="items"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={tableColumns}
          dataSource={blocker.items.map((item, index) => ({ key: rowKey(item, index), item }))}
          onRow={(row) => ({ 'data-testid': 'blocker-item', ...idAttributes(row.item) }) as React.HTMLAttributes<HTMLElement>}
        />
      )}
      {(inYuan || blocker.total > blocker.items.length) && (
        <Typography.Text type="secondary" className="hint">
          {inYuan ? t('ledger.tb.unit') : ''}
          {blocker.total > blocker.items.length ? ` ${t('common.more', { n: blocker.total - blocker.items.length })}` : ''}
        </Typography.Text>
      )}
    </section>
  );
}

export function Blockers({ blockers }: { blockers: Blocker[] }) {
  const { t, label } = useI18n();
  const [done, setDone] = useState<ReadonlySet<string>>(() => new Set());
  const isDone = useCallback((key: string) => done.has(key), [done]);
  const markDone = useCallback((key: string) => setDone((prev) => new Set(prev).add(key)), []);

  if (blockers.length === 0)
    return (
      <p className="empty" data-testid="no-blockers">
        {t('close.noBlockers')}
      </p>
    );
  const byStep = new Map<string, Blocker[]>();
  for (const b of [...blockers].sort((a, b) => orderOf(a.code) - orderOf(b.code))) byStep.set(b.step, [...(byStep.get(b.step) ?? []), b]);
  return (
    <>
      {[...byStep.entries()].map(([step, list]) => (
        <div key={step} className="blocker-group" data-step={step}>
          <h3>{label('step', step)}</h3>
          {list.map((blocker) => (
            <BlockerSection key={blocker.code} blocker={blocker} isDone={isDone} markDone={markDone} />
          ))}
        </div>
      ))}
    </>
  );
}
