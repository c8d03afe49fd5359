import { Button, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, path } from '../../api';
import { useAct, useFlash } from '../../flash';
import { useI18n } from '../../i18n';
import { monthEndHref } from '../../router';
import type { Schedule, TriggeredSchedule } from './types';

/**
 * A schedule's acts: pause or unpause, run now, delete. Deleting is asked twice, in the row itself:
 * a schedule deleted by a slip stops a federation's month-end.
 */
export function ScheduleActions({ schedule, onChanged }: { schedule: Schedule; onChanged: () => void }) {
  const { t } = useI18n();
  const flash = useFlash();
  const [busy, run] = useAct();
  // Which act is under way: its button spins (run now waits for Temporal up to 10 s), the others wait.
  const [acting, setActing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  // The run that run now started from this row: followed from here.
  const [started, setStarted] = useState<string | null>(null);
  const { id } = schedule;
  // Every act's button: its test id, its schedule, spinning while it runs and idle while another does.
  const attrs = (name: string) => ({
    'data-testid': `schedule-${name}`,
    'data-schedule-id': id,
    loading: acting === name,
    disabled: busy && acting !== name,
  });

  async function act<T>(name: string, work: () => Promise<T>, done: (answer: T) => string) {
    setActing(name);
    const answer = await run(work);
    setActing(null);
    if (answer === undefined) return;
    flash.ok(done(answer));
    onChanged();
  }

  const post = (name: string) => () => api.post<TriggeredSchedule>(path`/api/v1/schedules/${id}/${name}`);
  const trigger = () =>
    act('trigger', post('trigger'), (answer) => {
      if (!answer.monthEnd) return t('schedules.triggerPending', { id });
      setStarted(answer.monthEnd.id);
      return t('schedules.triggered', { id, period: answer.monthEnd.period });
    });

  if (confirming)
    return (
      <Space size={6} wrap>
        <Typography.Text type="danger" data-testid="schedule-delete-question">
          {t('schedules.confirmDelete', { id })}
        </Typography.Text>
        <Button
          size="small"
          danger
          type="primary"
          {...attrs('delete-confirm')}
          onClick={() =>
            void act(
              'delete-confirm',
              () => api.delete(path`/api/v1/schedules/${id}`).then(() => true),
              () => t('schedules.deleted', { id }),
            )
          }
        >
          {t('schedules.delete-confirm')}
        </Button>
        <Button size="small" data-testid="schedule-delete-cancel" onClick={() => setConfirming(false)}>
          {t('schedules.delete-cancel')}
        </Button>
      </Space>
    );

  return (
    <Space size={6} wrap>
      {schedule.paused ? (
        <Button size="small" {...attrs('unpause')} onClick={() => void act('unpause', post('unpause'), () => t('schedules.unpaused', { id }))}>
          {t('schedules.unpause')}
        </Button>
      ) : (
        <Button size="small" {...attrs('pause')} onClick={() => void act('pause', post('pause'), () => t('schedules.pausedOk', { id }))}>
          {t('schedules.pause')}
        </Button>
      )}
      <Button size="small" type="primary" ghost {...attrs('trigger')} onClick={() => void trigger()}>
        {t('schedules.trigger')}
      </Button>
      <Button size="small" danger {...attrs('delete')} onClick={() => setConfirming(true)}>
        {t('schedules.delete')}
      </Button>
      {started && (
        <a href={monthEndHref(started)} data-testid="triggered-run-link">
          {t('schedules.viewRun')}
        </a>
      )}
    </Space>
  );
}
