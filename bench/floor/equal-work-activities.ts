/**
 * The equal-work floor's activity: it answers a result of the planned size. Like the engine's
 * notification activity on a first attempt that succeeds (activities/notifications.ts), it sends no
 * heartbeat, though it is scheduled with the same heartbeat timeout; the engine still sends one
 * where a notice's first target is done before its others (about 1 a lifecycle).
 */
import type { EqualWorkActivities } from './equal-work';
import { padTo } from './work-plan';

export const equalWorkActivities: EqualWorkActivities = {
  async equalWorkActivity({ resultBytes }) {
    return Promise.resolve(padTo({}, resultBytes));
  },
};
