/** The compliance report: every entry against its mandate deadline, as JSON and as CSV. */
import { Router } from 'express';
import type { EntrySummary } from '../../domain/types';
import { ENTRY_STATUS } from '../../domain/vocabulary';
import type { AppContext } from '../context';
import { toCsv } from '../csv';
import { CONTENT_TYPE, ENDPOINTS } from '../endpoints';
import { entryLinks } from '../links';
import { mount } from '../mount';
import { COMPLIANCE, type Compliance, type ComplianceReport, type ComplianceRow } from '../schemas';
import { recordedSummaries } from '../record-reads';

type ComplianceFacts = Pick<EntrySummary, 'status' | 'mandateDeadline' | 'closedAt' | 'inBreach' | 'atRisk'>;

export function complianceOf(s: ComplianceFacts): Compliance {
  if (s.status === ENTRY_STATUS.WITHDRAWN) return COMPLIANCE.WITHDRAWN;
  if (s.status === ENTRY_STATUS.CLOSED_OUTSIDE_ENGINE) return COMPLIANCE.CLOSED_OUTSIDE_ENGINE;
  if (s.mandateDeadline === null) return COMPLIANCE.NO_MANDATE;
  if (s.status === ENTRY_STATUS.COMPLETE) {
    const completed = (s.closedAt ?? '').slice(0, 10);
    return completed !== '' && completed <= s.mandateDeadline ? COMPLIANCE.COMPLETE_ON_TIME : COMPLIANCE.COMPLETE_LATE;
  }
  if (s.inBreach) return COMPLIANCE.IN_BREACH;
  return s.atRisk ? COMPLIANCE.AT_RISK : COMPLIANCE.ON_TRACK;
}

function rowOf(ctx: AppContext, s: EntrySummary): ComplianceRow {
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
    links: entryLinks(ctx.config, s.partyId),
  };
}

/** Every entry the record holds, as of now: no cap, whatever Temporal still retains. */
async function buildReport(ctx: AppContext): Promise<ComplianceReport> {
  const rows: ComplianceRow[] = [];
  for await (const summary of recordedSummaries(ctx, {})) rows.push(rowOf(ctx, summary));
  rows.sort((a, b) => (a.mandateDeadline ?? '9999').localeCompare(b.mandateDeadline ?? '9999') || a.partyId.localeCompare(b.partyId));
  const totals: Record<string, number> = Object.fromEntries(Object.values(COMPLIANCE).map((c) => [c, 0]));
  for (const row of rows) totals[row.compliance] = (totals[row.compliance] ?? 0) + 1;
  return { generatedAt: new Date(ctx.now()).toISOString(), totals, rows };
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
