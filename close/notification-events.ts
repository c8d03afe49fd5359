/**
 * What a subscription may hear (#18). Part of the close's contract: the database's outbox, the API's
 * schemas and the message formats all read this one list. A name never changes meaning once released.
 */
export const NOTIFICATION_EVENTS = [
  'close.blocked',
  'close.failed',
  'close.closed',
  'close.late',
  'close.due_soon',
  'month_end.finished',
  'external.down',
] as const;

export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export const NOTIFICATION_CHANNELS = ['webhook', 'wecom', 'dingtalk', 'email'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
