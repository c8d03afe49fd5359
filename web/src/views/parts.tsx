import { Tag } from 'antd';
import type { HTMLAttributes } from 'react';
import { useI18n } from '../i18n';

// A state's colour, the same on every page: green is done, gold waits on people, red failed.
const STATE_COLOURS: Record<string, string> = {
  running: 'processing',
  closing: 'processing',
  blocked: 'warning',
  failed: 'error',
  cancelled: 'default',
  closed: 'success',
  done: 'success',
  completed: 'success',
  reopened: 'purple',
  open: 'default',
  pending: 'default',
};

/** A close's or step's state as a coloured tag; data-state lets tests and styles read it. */
export function StateBadge({ state, ...attrs }: { state: string } & HTMLAttributes<HTMLSpanElement> & { 'data-testid'?: string }) {
  const { label } = useI18n();
  return (
    <Tag color={STATE_COLOURS[state] ?? 'default'} className={`badge state-${state}`} data-state={state} {...attrs}>
      {label('state', state)}
    </Tag>
  );
}
