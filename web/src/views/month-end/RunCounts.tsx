import { Card, Col, Progress, Row, Statistic } from 'antd';
import { useI18n } from '../../i18n';
import type { MonthEndCounts } from './types';

// Each count with its label; "blocked" reads as "waiting on blockers", as everywhere in month-end.
const COUNTS: Array<[keyof MonthEndCounts, string, string | undefined]> = [
  ['total', 'total', undefined],
  ['closed', 'closed', '#389e0d'],
  ['blocked', 'waiting', '#d48806'],
  ['running', 'running', '#1d4ed8'],
  ['failed', 'failed', '#cf1322'],
  ['cancelled', 'cancelled', undefined],
  ['notStarted', 'notStarted', undefined],
];

/** How far a run got: closed of all, and a tile per count (data-testid count-<key>). */
export function RunCounts({ counts }: { counts: MonthEndCounts }) {
  const { t } = useI18n();
  return (
    <>
      <Progress
        percent={counts.total ? Math.floor((counts.closed / counts.total) * 100) : 0}
        format={() => `${counts.closed}/${counts.total}`}
        status={counts.failed > 0 ? 'exception' : undefined}
      />
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        {COUNTS.map(([key, text, colour]) => (
          <Col key={key} flex="1 0 120px">
            <Card size="small">
              <Statistic
                data-testid={`count-${key}`}
                className={`tile tile-${key}`}
                classNames={{ value: 'tile-value' }}
                styles={colour && counts[key] > 0 ? { content: { color: colour } } : undefined}
                title={t(`monthEnd.${text}`)}
                value={counts[key] ?? 0}
              />
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}
