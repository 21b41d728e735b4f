/**
 * The equal-work floor's activity: where the engine's activity heartbeats (its notifications), it
 * heartbeats as that one does (at its start and its end; the SDK throttles the second), and it
 * answers a result of the planned size.
 */
import { Context } from '@temporalio/activity';
import type { EqualWorkActivities } from './equal-work';
import { padTo } from './work-plan';

export const equalWorkActivities: EqualWorkActivities = {
  async equalWorkActivity({ resultBytes, heartbeats }) {
    const ctx = Context.current();
    if (heartbeats) ctx.heartbeat({ outcomes: {} });
    const result = padTo({}, resultBytes);
    if (heartbeats) ctx.heartbeat({ outcomes: { done: result.pad.length } });
    return result;
  },
};
