/** The scheduler's identity (app_user `system`, role scheduler): the rights a schedule's runs close with. */
export const SCHEDULER_USER = 'system';

const SCHEDULE_PREFIX = 'schedule:';

/**
 * Who a scheduled month-end says started it: its schedule, `schedule:<id>`, so a run (and every
 * close and audit entry it makes) names the schedule to look at. User names cannot contain ':'
 * (api/schemas.ts), so no person can be mistaken for a schedule.
 */
export const scheduleInitiator = (scheduleId: string): string => `${SCHEDULE_PREFIX}${scheduleId}`;

/** The user whose permissions an initiator acts with: a schedule's runs act with the scheduler's. */
export const actingUser = (initiatedBy: string): string => (initiatedBy.startsWith(SCHEDULE_PREFIX) ? SCHEDULER_USER : initiatedBy);
