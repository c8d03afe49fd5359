/**
 * 联合会总览: every ledger under a federation for one period — where its close stands and what
 * blocks it, by code — with the totals of the whole subtree, filters and pages (GET /api/v1/readiness,
 * counted set-based by the server; never one request per ledger).
 */
import { Button, Card, Form } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, type Query } from '../api';
import { useAct, useFlash } from '../flash';
import { useI18n } from '../i18n';
import { BoardFilters, initialFilters, PARENT_KEY, queryOf, type Filters } from './board/BoardFilters';
import { BoardSummary } from './board/BoardSummary';
import { BoardTable } from './board/BoardTable';
import type { BoardPage, LedgerReadiness } from './board/types';
import './board/board.css';

const readiness = (q: Query, cursor: string | null) => api.get<BoardPage>('/api/v1/readiness', { ...q, cursor });

export function BoardView() {
  const { t } = useI18n();
  const flash = useFlash();
  const [busy, run] = useAct();
  const [form] = Form.useForm<Filters>();
  const [page, setPage] = useState<BoardPage | null>(null);
  const [items, setItems] = useState<LedgerReadiness[]>([]);
  // The query the rows shown answer: the next page continues it, whatever the form says since.
  const [query, setQuery] = useState<Query | null>(null);

  const show = useCallback((q: Query, cursor: string | null, found: BoardPage) => {
    sessionStorage.setItem(PARENT_KEY, String(q.parent));
    setQuery(q);
    setPage(found);
    setItems((shown) => (cursor ? [...shown, ...found.items] : found.items));
  }, []);

  const load = async (q: Query, cursor: string | null) => {
    const found = await run(() => readiness(q, cursor));
    if (found) show(q, cursor, found);
  };

  // The federation last looked at in this tab is shown again at once.
  useEffect(() => {
    const q = queryOf(initialFilters());
    if (!q.parent) return;
    let current = true;
    readiness(q, null).then(
      (found) => current && show(q, null, found),
      (err: unknown) => current && flash.error(err),
    );
    return () => {
      current = false;
    };
  }, [show, flash]);

  return (
    <Card title={<h3 className="card-heading">{t('board.title')}</h3>} className="board-view">
      <BoardFilters form={form} busy={busy} onSubmit={(filters) => void load(queryOf(filters), null)} />
      {page && (
        <BoardSummary
          page={page}
          onFilter={(only) => {
            // A total clicked narrows the board to it, as if chosen in the form.
            form.setFieldsValue(only);
            form.submit();
          }}
        />
      )}
      <div id="board-table">{page && <BoardTable items={items} />}</div>
      {page?.next && query && (
        <Button id="board-next" loading={busy} onClick={() => void load(query, page.next)}>
          {t('closes.nextPage')}
        </Button>
      )}
    </Card>
  );
}
