/**
 * 账套页: a ledger's periods — who closed and reopened each, when and why, its close runs with the
 * one that counts — and the trial balance of the period chosen (in the URL, so it can be shared).
 */
import { Card, Empty, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, path } from '../api';
import { useFlash } from '../flash';
import { useI18n } from '../i18n';
import { PeriodsTable } from './ledger/PeriodsTable';
import { TrialBalanceCard } from './ledger/TrialBalanceCard';
import type { LedgerPeriods } from './ledger/types';
import './ledger/ledger.css';

export function LedgerView({ code, period }: { code: string; period?: string }) {
  const { t } = useI18n();
  const flash = useFlash();
  const [found, setFound] = useState<LedgerPeriods | null>(null);
  // A ledger that does not exist (or lies outside one's scope): the refusal is shown above, nothing spins.
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let current = true;
    api.get<LedgerPeriods>(path`/api/v1/ledgers/${code}/periods`).then(
      (answer) => current && setFound(answer),
      (err: unknown) => {
        if (!current) return;
        setFailed(true);
        flash.error(err);
      },
    );
    return () => {
      current = false;
    };
  }, [code, flash]);

  // Without a choice, the latest closed period: the one a finance manager looks at after a close.
  const selected = found ? (period ?? (found.items.find((p) => p.state === 'closed') ?? found.items[0])?.period) : undefined;
  return (
    <div className="ledger-view">
      <a href="#/closes" className="back">
        {t('common.back')}
      </a>
      <Card>
        <Typography.Title level={2} id="ledger-title" className="page-title">
          {found ? t('ledger.heading', { code: found.ledger, name: found.name }) : code}
        </Typography.Title>
        <Typography.Text type="secondary">{t('ledger.subtitle')}</Typography.Text>
      </Card>
      <Card title={<h3 className="card-heading">{t('ledger.periods')}</h3>}>
        <div id="periods">
          {found ? (
            <PeriodsTable code={found.ledger} items={found.items} selected={selected} />
          ) : failed ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={false} />
          ) : (
            <Spin />
          )}
        </div>
      </Card>
      {found && selected && <TrialBalanceCard key={selected} code={found.ledger} period={selected} />}
    </div>
  );
}
