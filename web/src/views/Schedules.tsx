/**
 * 自动结账计划: the month-end schedules (Temporal Schedules) with pause/unpause, run now and delete,
 * and a form to create one. Only administrators manage them; others are told so in their language.
 */
import { Alert, Card, Empty, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { Fragment, useCallback } from 'react';
import { api, ApiError } from '../api';
import { errorText, formatTime } from '../format';
import { useI18n } from '../i18n';
import { useCan } from '../me';
import { LastRunCell } from './month-end/LastRunCell';
import { dataAttrs } from './month-end/parts';
import { ScheduleActions } from './month-end/ScheduleActions';
import { ScheduleForm } from './month-end/ScheduleForm';
import type { Schedule } from './month-end/types';
import { useLoad } from './month-end/useLoad';

// While a schedule's last run is still running, its counts are kept fresh.
const REFRESH_MS = 5000;
const NO_WRAP = { whiteSpace: 'nowrap' } as const;
const two = (n: number) => String(n).padStart(2, '0');

const fetchSchedules = () => api.get<{ items: Schedule[] }>('/api/v1/schedules');
const lastRunRunning = (found: { items: Schedule[] } | undefined) => (found?.items.some((s) => s.lastRun?.state === 'running') ? REFRESH_MS : null);

/** `onChange` hears of every act (run now starts a run the list of runs should show at once). */
export function Schedules({ onChange }: { onChange?: () => void }) {
  const { t } = useI18n();
  // Without the permission the API would only refuse: the notice is shown without asking it.
  const manages = useCan()('schedule:manage');
  const { value: loaded, error, reload } = useLoad(manages ? fetchSchedules : null, lastRunRunning);
  const afterAct = useCallback(() => {
    reload();
    onChange?.();
  }, [reload, onChange]);

  // The API's own note when pause or unpause was given none ("paused by admin") reads in the reader's language; a person's note stays as written.
  const noteText = (note: string | null) => {
    const m = /^(paused|unpaused) by (\S+)$/.exec(note ?? '');
    return m ? t(m[1] === 'paused' ? 'schedules.notePaused' : 'schedules.noteUnpaused', { name: m[2] }) : (note ?? '');
  };
  const denied = !manages || (error instanceof ApiError && error.code === 'PERMISSION_DENIED');
  // A ledger code is never broken at its hyphen; a long list still wraps between codes.
  const scopeText = (s: Schedule) =>
    s.scope.parent ? (
      <>
        {t('schedules.parent')}: <span style={NO_WRAP}>{s.scope.parent}</span>
      </>
    ) : (
      (s.scope.ledgers ?? []).map((code, i) => (
        <Fragment key={code}>
          {i > 0 && ', '}
          <span style={NO_WRAP}>{code}</span>
        </Fragment>
      ))
    );

  const columns: TableColumnsType<Schedule> = [
    { key: 'id', title: t('schedules.col.id'), onCell: () => ({ style: NO_WRAP }), render: (_, s) => <Typography.Text code>{s.id}</Typography.Text> },
    { key: 'scope', title: t('schedules.col.scope'), render: (_, s) => scopeText(s) },
    {
      key: 'when',
      title: t('schedules.col.when'),
      render: (_, s) => t('schedules.when', { day: s.dayOfMonth, time: `${two(s.hour)}:${two(s.minute)}`, zone: s.timeZone }),
    },
    {
      key: 'state',
      title: t('schedules.col.state'),
      render: (_, s) => <Tag color={s.paused ? 'default' : 'success'}>{t(s.paused ? 'schedules.paused' : 'schedules.active')}</Tag>,
    },
    // The next run in the schedule's own time zone: the one its day and hour are written in.
    { key: 'next', title: t('schedules.col.next'), onCell: () => ({ style: NO_WRAP }), render: (_, s) => formatTime(s.nextActionTimes?.[0], s.timeZone) },
    {
      key: 'nextPeriod',
      title: t('schedules.col.nextPeriod'),
      onCell: () => dataAttrs({ 'data-testid': 'schedule-next-period' }),
      render: (_, s) => s.nextPeriod ?? '',
    },
    { key: 'lastRun', title: t('schedules.col.lastRun'), render: (_, s) => <LastRunCell run={s.lastRun} /> },
    { key: 'note', title: t('schedules.col.note'), render: (_, s) => noteText(s.note) },
    { key: 'actions', title: t('schedules.col.actions'), width: 260, render: (_, s) => <ScheduleActions schedule={s} onChanged={afterAct} /> },
  ];

  let list;
  if (denied) list = <Alert type="info" showIcon title={<span data-testid="schedules-error">{t('schedules.adminsOnly')}</span>} />;
  else if (error && !loaded) list = <Alert type="error" showIcon title={<span data-testid="schedules-error">{errorText(error)}</span>} />;
  else
    list = (
      <Table<Schedule>
        size="small"
        rowKey="id"
        loading={loaded === undefined && !error}
        pagination={false}
        dataSource={loaded?.items ?? []}
        columns={columns}
        onRow={(s) => dataAttrs({ 'data-testid': 'schedule-row', 'data-schedule-id': s.id, 'data-paused': String(s.paused) })}
        locale={{ emptyText: loaded ? <Empty className="empty" image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('schedules.empty')} /> : <span /> }}
      />
    );

  return (
    <Card id="schedules" title={t('schedules.heading')} size="small">
      <div id="schedules-table">{list}</div>
      {!denied && (
        <div id="schedule-create" style={{ marginTop: 16 }}>
          <Typography.Title level={5}>{t('schedules.create')}</Typography.Title>
          <ScheduleForm onCreated={reload} />
        </div>
      )}
    </Card>
  );
}
