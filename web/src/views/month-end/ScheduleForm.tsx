/** 新建计划: which ledgers, and the day and time of each month (in the ledgers' time zone) to close last month. */
import { Button, Flex, Form, Input, InputNumber } from 'antd';
import { api } from '../../api';
import { useAct, useFlash } from '../../flash';
import { parseLedgers } from '../../format';
import { useI18n } from '../../i18n';
import { scopeOf } from './parts';

interface Values {
  id: string;
  parent?: string;
  ledgers?: string;
  dayOfMonth: number;
  hour: number;
  minute: number;
  timeZone: string;
}

const INITIAL = { dayOfMonth: 1, hour: 1, minute: 0, timeZone: 'Asia/Shanghai' };
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function ScheduleForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const flash = useFlash();
  const [busy, run] = useAct();
  const [form] = Form.useForm<Values>();

  async function create(values: Values) {
    const scope = scopeOf(values.parent, parseLedgers(values.ledgers ?? ''));
    if (!scope) {
      flash.error({ code: 'VALIDATION_FAILED', message: t('monthEnd.scopeRequired') });
      return;
    }
    const id = values.id.trim();
    const body = { id, ...scope, dayOfMonth: values.dayOfMonth, hour: values.hour, minute: values.minute, timeZone: values.timeZone.trim() };
    if (await run(() => api.post('/api/v1/schedules', body))) {
      flash.ok(t('schedules.created', { id }));
      form.resetFields();
      onCreated();
    }
  }

  const number = (name: keyof Values, label: string, id: string, min: number, max: number) => (
    <Form.Item label={label} name={name} htmlFor={id} rules={[{ required: true }]}>
      <InputNumber id={id} min={min} max={max} precision={0} style={{ width: 88 }} />
    </Form.Item>
  );

  return (
    <Form<Values> id="schedule-form" form={form} layout="vertical" initialValues={INITIAL} onFinish={(values) => void create(values)} requiredMark={false}>
      <Flex wrap gap="0 16px" align="flex-end">
        <Form.Item
          label={t('schedules.id')}
          name="id"
          htmlFor="schedule-id"
          rules={[{ required: true }, { pattern: ID_PATTERN, message: t('schedules.idInvalid') }]}
        >
          <Input id="schedule-id" placeholder="fed-01-monthly" autoComplete="off" style={{ width: 180 }} />
        </Form.Item>
        <Form.Item label={t('schedules.parent')} name="parent" htmlFor="schedule-parent">
          <Input id="schedule-parent" placeholder="FED-01" autoComplete="off" style={{ width: 140 }} />
        </Form.Item>
        <Form.Item label={t('schedules.ledgers')} name="ledgers" htmlFor="schedule-ledgers">
          <Input id="schedule-ledgers" placeholder="GH-001,GH-002" autoComplete="off" style={{ width: 200 }} />
        </Form.Item>
        {number('dayOfMonth', t('schedules.day'), 'schedule-day', 1, 31)}
        {number('hour', t('schedules.hour'), 'schedule-hour', 0, 23)}
        {number('minute', t('schedules.minute'), 'schedule-minute', 0, 59)}
        <Form.Item label={t('schedules.timeZone')} name="timeZone" htmlFor="schedule-time-zone" rules={[{ required: true }]}>
          <Input id="schedule-time-zone" style={{ width: 150 }} />
        </Form.Item>
        <Form.Item>
          <Button id="schedule-submit" type="primary" htmlType="submit" loading={busy}>
            {t('schedules.createButton')}
          </Button>
        </Form.Item>
      </Flex>
    </Form>
  );
}
