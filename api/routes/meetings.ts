/**
 * The meeting calendar: read by everyone, kept by SECAS and OPS. A new version goes into the
 * record, then its push is handed to Temporal (the gateway's startMeetingsPush): a workflow sends
 * it, in the background, to every running entry of a catalogue with meetings (v2 on), which moves
 * the decisions waiting on a changed meeting and tells the Party and SECAS. Both answers say, from
 * the record, how many running entries hold the version and how many are still to take it.
 */
import { Router } from 'express';
import { calendarProblem, type MeetingCalendar } from '../../domain/meetings';
import { REFUSAL } from '../../domain/types';
import { principalOf } from '../auth';
import type { AppContext } from '../context';
import { ENDPOINTS } from '../endpoints';
import { refusalError } from '../errors';
import { mount } from '../mount';
import type { MeetingCalendarChangeResponse } from '../schemas';

export function meetingsRouter(ctx: AppContext): Router {
  const router = Router();

  mount(router, ctx, ENDPOINTS.getMeetings, async (_request, _req, res) => {
    res.json(await ctx.reads.meetingCalendarAnswer());
  });

  mount(router, ctx, ENDPOINTS.putMeetings, async ({ body }, _req, res) => {
    const principal = principalOf(res);
    const calendar: MeetingCalendar = { version: body.version, meetings: body.meetings };
    const problem = calendarProblem(calendar);
    if (problem) throw refusalError(REFUSAL.INVALID_INPUT, `The meeting calendar cannot be taken: ${problem}.`);
    const current = await ctx.reads.meetingCalendar();
    const expected = (current?.version ?? 0) + 1;
    const stale = () => refusalError(REFUSAL.INVALID_INPUT, `The meeting calendar is at version ${expected - 1}: send version ${expected} (read it again first, someone may have changed it).`);
    if (calendar.version !== expected) throw stale();
    if (!(await ctx.writes.addMeetingCalendar(calendar, principal))) throw stale();
    // read before the push starts: the entries it goes to
    const kept = await ctx.reads.meetingCalendarAnswer();
    const push = await ctx.gateway.startMeetingsPush({ version: calendar.version, principal });
    if (!push.started) {
      ctx.logger.warn({ version: calendar.version, workflowId: push.workflowId, reason: push.reason }, "meeting calendar kept, but Temporal did not take its push: the reconciler's next pass starts it");
    }
    const answer: MeetingCalendarChangeResponse = { calendar: kept, push: { workflowId: push.workflowId, started: push.started } };
    res.json(answer);
  });

  return router;
}
