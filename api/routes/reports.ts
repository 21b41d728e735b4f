/** The compliance report: every entry against its mandate deadline, as JSON and as CSV. */
import { Router } from 'express';
import { byMandateDeadline, complianceOf, complianceTotals } from '../../domain/read-model';
import type { EntrySummary } from '../../domain/types';
import { ENTRY_STATUS } from '../../domain/vocabulary';
import type { AppContext } from '../context';
import { toCsv } from '../csv';
import { CONTENT_TYPE, ENDPOINTS } from '../endpoints';
import { entryLinks } from '../links';
import { mount } from '../mount';
import type { ComplianceReport, ComplianceRow } from '../schemas';
import type { VisibleEntry } from '../temporal/gateway';

/** Entries one report covers at most (each costs a status query). */
export const REPORT_MAX_ENTRIES = 5000;

function rowFromStatus(ctx: AppContext, s: EntrySummary): ComplianceRow {
  return {
    partyId: s.partyId,
    partyName: s.partyName,
    cohort: s.cohort,
    status: s.status,
    roles: s.roles,
    rolesComplete: s.roleStages.filter((r) => r.complete).length,
    mandateDeadline: s.mandateDeadline,
    forecastCompletion: s.forecastCompletion,
    completedAt: s.status === ENTRY_STATUS.COMPLETE ? (s.closedAt ?? null) : null,
    atRisk: s.atRisk,
    inBreach: s.inBreach,
    compliance: complianceOf(s),
    awaitedBodies: s.awaitedBodies,
    source: 'STATUS',
    links: entryLinks(ctx.config, s.partyId),
  };
}

/** The row of an entry whose status query went unanswered, from its search attributes. */
function rowFromVisibility(ctx: AppContext, e: VisibleEntry): ComplianceRow | null {
  if (e.partyName === null || e.cohort === null || e.status === null) return null;
  const facts = { status: e.status, mandateDeadline: e.mandateDeadline, inBreach: e.inBreach, atRisk: e.atRisk };
  const closedAt = e.closedAt ?? undefined;
  return {
    partyId: e.partyId,
    partyName: e.partyName,
    cohort: e.cohort,
    roles: e.roles,
    rolesComplete: null,
    forecastCompletion: null,
    completedAt: e.status === ENTRY_STATUS.COMPLETE ? (e.closedAt ?? null) : null,
    compliance: complianceOf({ ...facts, ...(closedAt ? { closedAt } : {}) }),
    awaitedBodies: e.awaitedBodies,
    ...facts,
    source: 'VISIBILITY',
    links: entryLinks(ctx.config, e.partyId),
  };
}

/**
 * One status query per entry; an entry whose query goes unanswered (e.g. one closing at that
 * moment) falls back to what visibility holds rather than failing the whole report.
 */
async function buildReport(ctx: AppContext): Promise<ComplianceReport> {
  const { entries, truncated } = await ctx.gateway.listAll({}, REPORT_MAX_ENTRIES);
  const answers = await ctx.gateway.statusOfEach(entries.map((e) => e.partyId));
  const rows = answers.map((a, i) => {
    if (a.summary !== null) return rowFromStatus(ctx, a.summary);
    return a.missing === 'GONE' ? null : rowFromVisibility(ctx, entries[i] as VisibleEntry);
  });
  const sorted = rows.filter((r): r is ComplianceRow => r !== null).sort(byMandateDeadline);
  return { generatedAt: new Date().toISOString(), totals: complianceTotals(sorted), rows: sorted, truncated };
}

export const COMPLIANCE_CSV_COLUMNS: (keyof ComplianceRow)[] = [
  'partyId',
  'partyName',
  'cohort',
  'status',
  'roles',
  'rolesComplete',
  'mandateDeadline',
  'forecastCompletion',
  'completedAt',
  'atRisk',
  'inBreach',
  'compliance',
  'awaitedBodies',
  'source',
];

export function reportsRouter(ctx: AppContext): Router {
  const router = Router();
  mount(router, ctx, ENDPOINTS.complianceReport, async (_input, _req, res) => {
    res.json(await buildReport(ctx));
  });
  mount(router, ctx, ENDPOINTS.complianceReportCsv, async (_input, _req, res) => {
    const report = await buildReport(ctx);
    res.type(CONTENT_TYPE.CSV).attachment('uep-compliance.csv').send(toCsv(COMPLIANCE_CSV_COLUMNS, report.rows));
  });
  return router;
}
