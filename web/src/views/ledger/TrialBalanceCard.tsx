/** The trial balance of one period of a ledger: where its figures come from (stored at the close, or computed now) and the table. */
import { Button, Card, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { api, path } from '../../api';
import { useFlash } from '../../flash';
import { useI18n } from '../../i18n';
import { StateBadge } from '../parts';
import { TrialBalanceTable } from './TrialBalanceTable';
import type { TrialBalance } from './types';

export function TrialBalanceCard({ code, period }: { code: string; period: string }) {
  const { t } = useI18n();
  const flash = useFlash();
  const [tb, setTb] = useState<TrialBalance | null>(null);

  useEffect(() => {
    let current = true;
    api.get<TrialBalance>(path`/api/v1/ledgers/${code}/periods/${period}/trial-balance`).then(
      (found) => current && setTb(found),
      (err: unknown) => current && flash.error(err),
    );
    return () => {
      current = false;
    };
  }, [code, period, flash]);

  const title = (
    <Space>
      <h3 className="card-heading">{t('ledger.tb.heading', { period })}</h3>
      {tb && <StateBadge state={tb.periodState === 'closed' ? 'closed' : 'open'} />}
    </Space>
  );
  return (
    // Printed, the page is the ledger's periods and this trial balance, without the dashboard around it (ledger.css).
    <Card
      id="trial-balance"
      title={title}
      extra={
        tb && (
          <Button id="tb-print" className="no-print" onClick={() => window.print()}>
            {t('ledger.print')}
          </Button>
        )
      }
    >
      {tb ? (
        <>
          <p className="hint">
            {t(`ledger.tb.source.${tb.source}`)} {t('ledger.tb.unit')}
          </p>
          <TrialBalanceTable accounts={tb.accounts} />
        </>
      ) : (
        <Spin />
      )}
    </Card>
  );
}
