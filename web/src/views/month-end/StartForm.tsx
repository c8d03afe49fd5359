/** 发起月末结账: a federation (a parent ledger) or a list of ledgers, and the month to close. */
import { Button, Card, DatePicker, Form, Input } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn';
import { api } from '../../api';
import { useAct, useFlash } from '../../flash';
import { lastMonth, parseLedgers } from '../../format';
import { useI18n } from '../../i18n';
import { monthEndHref } from '../../router';
import { scopeOf } from './parts';
import { markStarted } from './started';
import type { MonthEndRun } from './types';

interface Values {
  parent?: string;
  ledgers?: string;
  period: Dayjs;
}

// Only a month that has ended can be closed (the API answers PERIOD_IN_FUTURE otherwise).
const notEnded = (month: Dayjs) => !month.endOf('month').isBefore(dayjs());

export function StartForm() {
  const { t } = useI18n();
  const flash = useFlash();
  const [busy, run] = useAct();

  async function start(values: Values) {
    const scope = scopeOf(values.parent, parseLedgers(values.ledgers ?? ''));
    if (!scope) {
      flash.error({ code: 'VALIDATION_FAILED', message: t('monthEnd.scopeRequired') });
      return;
    }
    const started = await run(() => api.post<MonthEndRun>('/api/v1/month-ends', { period: values.period.format('YYYY-MM'), ...scope }));
    if (!started) return;
    markStarted(started.id);
    location.hash = monthEndHref(started.id);
  }

  return (
    <Card title={t('monthEnd.start')} size="small">
      <Form<Values>
        id="month-end-form"
        layout="inline"
        onFinish={(values) => void start(values)}
        initialValues={{ period: dayjs(`${lastMonth()}-01`) }}
        requiredMark={false}
      >
        <Form.Item label={t('monthEnd.parent')} name="parent" htmlFor="month-end-parent">
          <Input id="month-end-parent" autoComplete="off" placeholder="FED-01" style={{ width: 150 }} />
        </Form.Item>
        <Form.Item label={t('monthEnd.ledgers')} name="ledgers" htmlFor="month-end-ledgers">
          <Input id="month-end-ledgers" autoComplete="off" placeholder="GH-001,GH-002" style={{ width: 220 }} />
        </Form.Item>
        <Form.Item label={t('monthEnd.period')} name="period" htmlFor="month-end-period" rules={[{ required: true, message: t('monthEnd.periodInvalid') }]}>
          <DatePicker id="month-end-period" picker="month" format="YYYY-MM" disabledDate={notEnded} allowClear={false} />
        </Form.Item>
        <Form.Item>
          <Button id="month-end-submit" type="primary" htmlType="submit" loading={busy}>
            {t('monthEnd.startButton')}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}
