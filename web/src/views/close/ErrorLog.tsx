/**
 * The error log, folded while the close has not failed: the attempts of a step retrying by itself
 * are for operations, and a failed close shows at once what stopped it. The reader's choice stays
 * while the page refreshes.
 */
import { Table } from 'antd';
import { useState } from 'react';
import { formatTime } from '../../format';
import { useI18n } from '../../i18n';
import type { StepError } from './types';

function ErrorsTable({ errors }: { errors: StepError[] }) {
  const { t, label } = useI18n();
  return (
    <Table<StepError & { key: number }>
      id="errors-table"
      size="small"
      pagination={false}
      scroll={{ x: 'max-content' }}
      dataSource={errors.map((e, key) => ({ ...e, key }))}
      onRow={(e) => ({ 'data-testid': 'error-row', 'data-code': e.code }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { key: 'at', title: t('errors.col.at'), render: (_, e) => formatTime(e.at), className: 'nowrap' },
        { key: 'step', title: t('errors.col.step'), render: (_, e) => (e.step ? label('step', e.step) : '') },
        { key: 'attempt', title: t('errors.col.attempt'), align: 'right', render: (_, e) => e.attempt ?? '' },
        {
          key: 'error',
          title: t('errors.col.error'),
          render: (_, e) => (
            <>
              <code>{e.code}</code>: {e.message}
            </>
          ),
        },
      ]}
    />
  );
}

export function ErrorLog({ errors, failed }: { errors: StepError[]; failed: boolean }) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<boolean | null>(null);
  if (errors.length === 0) return <p className="empty">{t('close.noErrors')}</p>;
  const open = chosen ?? failed;
  return (
    <details
      id="error-log"
      open={open}
      onToggle={(event) => {
        const now = event.currentTarget.open;
        if (now !== open) setChosen(now);
      }}
    >
      <summary>{t('close.errorLog', { n: errors.length })}</summary>
      <ErrorsTable errors={errors} />
    </details>
  );
}
