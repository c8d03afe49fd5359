import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { asActivityFailure } from '../activities/activity-failure';

/**
 * Every activity's failure passes through asActivityFailure once, here: retryability is decided by
 * the error table, in one place, for close steps, month-end bookkeeping and the invoice sync alike.
 */
export const activityFailureInterceptor: ActivityInterceptorsFactory = () => ({
  inbound: {
    async execute(input, next) {
      try {
        return await next(input);
      } catch (err) {
        throw asActivityFailure(err);
      }
    },
  },
});
