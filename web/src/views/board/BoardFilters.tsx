/**
 * The board's filters: the federation (kept for this tab), the period, and optionally a state, a
 * blocker code, part of a code or name, or only the ledgers not ready to close.
 */
import { Button, Checkbox, Form, Input, Select, type FormInstance } from 'antd';
import { useState } from 'react';
import type { Query } from '../../api';
import { lastMonth, PERIOD_PATTERN } from '../../format';
import { codesOf, useI18n } from '../../i18n';

const STATES = ['open', 'blocked', 'running', 'failed', 'closed', 'reopened'];
// Every blocker code, in the labels' order (the order a clerk works through them).
const BLOCKER_CODES = codesOf('blocker');
export const PARENT_KEY = 'board.parent';
export const PAGE = 50;

export interface Filters {
  parent: string;
  period: string;
  state: string;
  code: string;
  search: string;
  notReady: boolean;
}

/** The API's query for the filters; empty ones are left out (api.send drops them). */
export const queryOf = (f: Filters): Query => ({
  parent: f.parent.trim(),
  period: f.period.trim(),
  state: f.state,
  code: f.code,
  q: f.search.trim(),
  ready: f.notReady ? 'false' : undefined,
  limit: PAGE,
});

export const initialFilters = (): Filters => ({
  parent: sessionStorage.getItem(PARENT_KEY) ?? '',
  period: lastMonth(),
  state: '',
  code: '',
  search: '',
  notReady: false,
});

export function BoardFilters({ form, busy, onSubmit }: { form: FormInstance<Filters>; busy: boolean; onSubmit: (filters: Filters) => void }) {
  const { t, label } = useI18n();
  const [initial] = useState(initialFilters);
  const option = (value: string, text: string) => ({ value, label: text, 'data-value': value });
  return (
    <Form<Filters> id="board-form" form={form} layout="inline" className="board-form" initialValues={initial} onFinish={onSubmit} requiredMark={false}>
      <Form.Item
        label={t('board.parent')}
        name="parent"
        htmlFor="board-parent"
        rules={[{ required: true, whitespace: true, message: t('board.parentRequired') }]}
      >
        <Input id="board-parent" autoComplete="off" placeholder="FED" style={{ width: 120 }} />
      </Form.Item>
      <Form.Item
        label={t('closes.period')}
        name="period"
        htmlFor="board-period"
        rules={[{ required: true, pattern: PERIOD_PATTERN, message: t('board.periodInvalid') }]}
      >
        <Input id="board-period" autoComplete="off" style={{ width: 100 }} />
      </Form.Item>
      <Form.Item label={t('board.state')} name="state" htmlFor="board-state">
        <Select id="board-state" style={{ width: 120 }} options={[option('', t('board.allStates')), ...STATES.map((s) => option(s, label('state', s)))]} />
      </Form.Item>
      <Form.Item label={t('board.blockerFilter')} name="code" htmlFor="board-code">
        <Select
          id="board-code"
          style={{ width: 220 }}
          showSearch={{ optionFilterProp: 'label' }}
          popupMatchSelectWidth={false}
          options={[option('', t('board.allBlockers')), ...BLOCKER_CODES.map((c) => option(c, label('blocker', c)))]}
        />
      </Form.Item>
      <Form.Item label={t('board.search')} name="search" htmlFor="board-search">
        <Input id="board-search" autoComplete="off" maxLength={60} placeholder={t('board.searchHint')} allowClear style={{ width: 180 }} />
      </Form.Item>
      <Form.Item name="notReady" valuePropName="checked">
        <Checkbox id="board-not-ready">{t('board.notReadyOnly')}</Checkbox>
      </Form.Item>
      <Form.Item>
        <Button id="board-submit" type="primary" htmlType="submit" loading={busy}>
          {t('board.show')}
        </Button>
      </Form.Item>
    </Form>
  );
}
