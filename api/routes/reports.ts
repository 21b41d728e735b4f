/** The compliance report: every entry against its mandate deadline, as JSON and as CSV. */
import { Router } from 'express';
import { byMandateDeadline, complianceTotals } from '../../domain/read-model';
import type { AppContext } from '../context';
import { toCsv } from '../csv';
import { CONTENT_TYPE, ENDPOINTS } from '../endpoints';
import { mount } from '../mount';
import type { RenderedComplianceRow } from '../entry-reads';
import type { ComplianceRow } from '../schemas';

/** Every entry the record holds, as of now, in the report's order: no cap, whatever Temporal still retains. */
async function reportRows(ctx: AppContext): Promise<RenderedComplianceRow[]> {
  return (await ctx.reads.complianceRows()).sort(byMandateDeadline);
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
    const generatedAt = new Date(ctx.now()).toISOString();
    const rows = await reportRows(ctx);
    // the ComplianceReport, its rows already rendered
    res.type(CONTENT_TYPE.JSON).send(`{"generatedAt":${JSON.stringify(generatedAt)},"totals":${JSON.stringify(complianceTotals(rows))},"rows":[${rows.map((r) => r.json).join(',')}]}`);
  });
  mount(router, ctx, ENDPOINTS.complianceReportCsv, async (_input, _req, res) => {
    const rows = (await reportRows(ctx)).map((r) => JSON.parse(r.json) as ComplianceRow);
    res.type(CONTENT_TYPE.CSV).attachment('uep-compliance.csv').send(toCsv(COMPLIANCE_CSV_COLUMNS, rows));
  });
  return router;
}
