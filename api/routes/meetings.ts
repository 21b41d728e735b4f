/**
 * The meeting calendar: read by everyone, kept by SECAS and OPS. A new version goes into the
 * record, then to every running entry of a catalogue with meetings (v2 on; the workflow's
 * updateMeetings update), which moves the decisions waiting on a changed meeting and tells the
 * Party and SECAS.
 */
import { Router } from 'express';
import { calendarProblem, type MeetingCalendar } from '../../domain/meetings';
import { REFUSAL } from '../../domain/types';
import { addMeetingCalendar, currentMeetingCalendar, partiesTakingMeetings } from '../../record/meetings';
import { principalOf } from '../auth';
import type { AppContext } from '../context';
import { ENDPOINTS } from '../endpoints';
import { ApiError, refusalError } from '../errors';
import { mapLimited } from '../map-limited';
import { mount } from '../mount';
import type { MeetingCalendarChangeResponse, MeetingCalendarResponse } from '../schemas';

/** How many entries are sent a new calendar at once. */
const FAN_OUT = 8;

export function meetingsRouter(ctx: AppContext): Router {
  const router = Router();

  mount(router, ctx, ENDPOINTS.getMeetings, async (_request, _req, res) => {
    const current = await currentMeetingCalendar(ctx.record);
    const answer: MeetingCalendarResponse = current ?? { version: 0, meetings: [], changedBy: null, changedAt: null };
    res.json(answer);
  });

  mount(router, ctx, ENDPOINTS.putMeetings, async ({ body }, _req, res) => {
    const principal = principalOf(res);
    const calendar: MeetingCalendar = { version: body.version, meetings: body.meetings };
    const problem = calendarProblem(calendar);
    if (problem) throw refusalError(REFUSAL.INVALID_INPUT, `The meeting calendar cannot be taken: ${problem}.`);
    const current = await currentMeetingCalendar(ctx.record);
    const expected = (current?.version ?? 0) + 1;
    const stale = () => refusalError(REFUSAL.INVALID_INPUT, `The meeting calendar is at version ${expected - 1}: send version ${expected} (read it again first, someone may have changed it).`);
    if (calendar.version !== expected) throw stale();
    if (!(await addMeetingCalendar(ctx.record, calendar, `${principal.body}:${principal.id}`))) throw stale();
    const running = await partiesTakingMeetings(ctx.record);
    const results = await mapLimited(running, FAN_OUT, async (partyId) => {
      try {
        await ctx.gateway.updateMeetings(partyId, { calendar, principal });
        return null;
      } catch (err) {
        return { partyId, reason: err instanceof ApiError ? err.message : String(err) };
      }
    });
    const notUpdated = results.filter((r): r is { partyId: string; reason: string } => r !== null);
    const kept = await currentMeetingCalendar(ctx.record);
    const answer: MeetingCalendarChangeResponse = {
      calendar: kept ?? { ...calendar, changedBy: null, changedAt: null },
      entriesUpdated: running.length - notUpdated.length,
      entriesNotUpdated: notUpdated,
    };
    res.json(answer);
  });

  return router;
}
