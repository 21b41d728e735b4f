/**
 * How a person is told of work (GET/PUT /v1/me/notices): at once, or in a daily digest. Always
 * the caller's own choice: the path names nobody, so nobody changes another's.
 */
import { Router } from 'express';
import type { Principal } from '../../domain/vocabulary';
import { principalOf } from '../auth';
import type { AppContext } from '../context';
import { ENDPOINTS } from '../endpoints';
import { mount } from '../mount';
import type { NoticeSettingsResponse } from '../schemas';

async function answerFor(ctx: AppContext, principal: Principal): Promise<NoticeSettingsResponse> {
  const setting = await ctx.reads.noticeSetting(principal);
  return { cadence: setting.cadence, changedAt: setting.changedAt, email: principal.email ?? setting.email ?? null };
}

export function noticeSettingsRouter(ctx: AppContext): Router {
  const router = Router();

  mount(router, ctx, ENDPOINTS.getNoticeSettings, async (_input, _req, res) => {
    res.json(await answerFor(ctx, principalOf(res)));
  });

  mount(router, ctx, ENDPOINTS.setNoticeSettings, async ({ body }, _req, res) => {
    const principal = principalOf(res);
    await ctx.writes.setNoticeSetting(principal, body.cadence);
    res.json(await answerFor(ctx, principal));
  });

  return router;
}
