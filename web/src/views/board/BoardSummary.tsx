/**
 * The federation at a glance: how many ledgers, how many may close, where the closes stand, what
 * blocks them and who must act — the totals of the whole subtree under the filters, not of a page.
 * A state's or a blocker's total, clicked, narrows the board to it.
 */
import { Card, Col, Row, Space, Statistic, Tag, Typography } from 'antd';
import type { KeyboardEvent } from 'react';
import { useI18n } from '../../i18n';
import type { Filters } from './BoardFilters';
import type { BoardPage } from './types';

// The colours StateBadge gives each state, so the totals read like the rows below them.
const STATE_COLOURS: Record<string, string> = {
  running: '#1677ff',
  blocked: '#d48806',
  failed: '#cf1322',
  closed: '#389e0d',
  reopened: '#722ed1',
};
const READY = '#389e0d';
const NOT_READY = '#d46b08';

/** Click or Enter: a total that filters is a control, for the keyboard too. */
const pressable = (title: string, act: () => void) => ({
  role: 'button',
  tabIndex: 0,
  title,
  className: 'pressable',
  onClick: act,
  onKeyDown: (e: KeyboardEvent) => {
    if (e.key === 'Enter') act();
  },
});

export function BoardSummary({ page, onFilter }: { page: BoardPage; onFilter: (only: Partial<Filters>) => void }) {
  const { t, label, locale } = useI18n();
  const { totals } = page;
  const n = (x: number) => x.toLocaleString(locale);
  const owners = Object.entries(totals.byOwner ?? {});
  const codes = Object.entries(totals.byCode);
  const only = t('board.filterBy');
  return (
    <Card id="board-summary" data-testid="board-summary" size="small" className="board-summary">
      <Typography.Paragraph type="secondary">
        {t('board.totals', { parent: page.parent, period: page.period, ledgers: n(totals.ledgers), ready: n(totals.ready) })}
      </Typography.Paragraph>
      <Row gutter={[32, 8]} wrap>
        <Col>
          <Statistic title={t('board.stat.ledgers')} value={totals.ledgers} />
        </Col>
        <Col>
          <Statistic title={t('board.ready')} value={totals.ready} styles={{ content: { color: READY } }} />
        </Col>
        <Col {...pressable(only, () => onFilter({ notReady: true }))}>
          <Statistic title={t('board.stat.notReady')} value={totals.ledgers - totals.ready} styles={{ content: { color: NOT_READY } }} />
        </Col>
        <Col className="board-divider" />
        {Object.entries(totals.byState).map(([state, count]) => (
          <Col key={state} data-state={state} {...pressable(only, () => onFilter({ state }))}>
            <Statistic title={label('state', state)} value={count} styles={{ content: { color: STATE_COLOURS[state] } }} />
          </Col>
        ))}
      </Row>
      {codes.length > 0 && (
        <div className="board-chips">
          <Typography.Text type="secondary">{t('board.byCode')}</Typography.Text>
          <Space size={[4, 4]} wrap>
            {codes.map(([code, count]) => (
              <Tag key={code} color="orange" data-code={code} {...pressable(only, () => onFilter({ code }))} className="chip blocker-chip pressable">
                {`${label('blocker', code)} ${n(count)}`}
              </Tag>
            ))}
          </Space>
        </div>
      )}
      {owners.length > 0 && (
        <div className="board-chips" data-testid="board-owners">
          <Typography.Text type="secondary">{t('board.byOwner')}</Typography.Text>{' '}
          <Space size={[4, 4]} wrap>
            {owners.map(([role, count]) => (
              <Tag key={role} color="blue" className="chip owner-chip" data-owner={role}>
                {`${label('role', role)} ${n(count)}`}
              </Tag>
            ))}
          </Space>
        </div>
      )}
    </Card>
  );
}
