/** An entry's audit trail, as JSON and as CSV. */
import { Router } from 'express';
import type { AuditRecord } from '../../domain/types';
import type { AppContext } from '../context';
import { CONTENT_TYPE, ENDPOINTS } from '../endpoints';
import { toCsv } from '../csv';
import { entryLinks } from '../links';
import { mount } from '../mount';
import type { AuditTrailResponse } from '../schemas';

type AuditRow = Omit<AuditRecord, 'principal'> & { principalBody: string; principalId: string; principalName: string };

export const AUDIT_CSV_COLUMNS: (keyof AuditRow)[] = [
  'seq',
  'at',
  'action',
  'principalBody',
  'principalId',
  'principalName',
  'id',
  'stage',
  'role',
  'outcome',
  'evidence',
  'reference',
  'comment',
  'reason',
  'previousDeadline',
  'deadline',
];

export function auditRouter(ctx: AppContext): Router {
  const router = Router();

  mount(router, ctx, ENDPOINTS.getAuditTrail, async ({ params }, _req, res) => {
    const records = await ctx.gateway.auditTrail(params.partyId);
    const answer: AuditTrailResponse = { partyId: params.partyId, records, links: entryLinks(ctx.config, params.partyId) };
    res.json(answer);
  });

  mount(router, ctx, ENDPOINTS.getAuditTrailCsv, async ({ params }, _req, res) => {
    const records = await ctx.gateway.auditTrail(params.partyId);
    const rows: AuditRow[] = records.map(({ principal, ...rest }) => ({ ...rest, principalBody: principal.body, principalId: principal.id, principalName: principal.name ?? '' }));
    res
      .type(CONTENT_TYPE.CSV)
      .attachment(`audit-trail-${params.partyId}.csv`)
      .send(toCsv(AUDIT_CSV_COLUMNS, rows));
  });

  return router;
}
