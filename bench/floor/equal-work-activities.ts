/**
 * The equal-work floor's activity: it heartbeats as the engine's notification activity does (at
 * its start and its end; the SDK throttles the second) and answers a result of the planned size.
 */
import { Context } from '@temporalio/activity';
import type { EqualWorkActivities } from './equal-work';
import { padTo } from './work-plan';

export const equalWorkActivities: EqualWorkActivities = {
  async equalWorkActivity({ resultBytes }) {
    const ctx = Context.current();
    ctx.heartbeat({ outcomes: {} });
    const result = padTo({}, resultBytes);
    ctx.heartbeat({ outcomes: { done: result.pad.length } });
    return result;
  },
};
