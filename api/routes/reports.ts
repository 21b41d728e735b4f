/** The compliance report: every entry against its mandate deadline, as JSON and as CSV. */
import { Router } from 'express';
import { byMandateDeadline, complianceOf, complianceTotals } from '../../domain/read-model';
import { ENTRY_STATUS } from '../../domain/vocabulary';
import type { AppContext } from '../context';
import { toCsv } from '../csv';
import { CONTENT_TYPE, ENDPOINTS } from '../endpoints';
import { entryLinks } from '../links';
import { mount } from '../mount';
import type { ComplianceReport, ComplianceRow } from '../schemas';
import { recordedStandings, type EntryStanding } from '../record-reads';

function rowOf(ctx: AppContext, s: EntryStanding): ComplianceRow {
  return {
    partyId: s.partyId,
    partyName: s.partyName,
    cohort: s.cohort,
    status: s.status,
    roles: s.roles,
    rolesComplete: s.rolesComplete,
    mandateDeadline: s.mandateDeadline,
    forecastCompletion: s.forecast,
    completedAt: s.status === ENTRY_STATUS.COMPLETE ? (s.closedAt ?? null) : null,
    atRisk: s.atRisk,
    inBreach: s.inBreach,
    compliance: complianceOf(s),
    awaitedBodies: s.awaitedBodies,
    links: entryLinks(ctx.config, s.partyId),
  };
}

/** Every entry the record holds, as of now: no cap, whatever Temporal still retains. */
async function buildReport(ctx: AppContext): Promise<ComplianceReport> {
  const rows: ComplianceRow[] = [];
  for await (const entry of recordedStandings(ctx, {}, { openStages: false })) rows.push(rowOf(ctx, entry));
  rows.sort(byMandateDeadline);
  return { generatedAt: new Date(ctx.now()).toISOString(), totals: complianceTotals(rows), rows };
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
