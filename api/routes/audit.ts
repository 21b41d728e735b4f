/**
 * An entry's audit trail (every run of it, from the record, with the invitations, acceptances and
 * removals of the Party's people: beside the records in JSON, among them by time in CSV), as JSON
 * and as CSV; and the bulk export of every entry's records in a date range, streamed as NDJSON or CSV.
 */
import { Router } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import type { AuditRecord, ClaimHolder } from '../../domain/types';
import type { AppContext } from '../context';
import { CONTENT_TYPE, ENDPOINTS } from '../endpoints';
import { csvHeader, csvLine, toCsv } from '../csv';
import { entryLinks } from '../links';
import { mount } from '../mount';
import type { AuditTrailResponse } from '../schemas';
import type { ExportedAuditRecord, MembershipEvent } from '../entry-reads';
import { membershipEventAnswer } from '../invitations';

type AuditRow = Omit<AuditRecord, 'principal' | 'seq' | 'action' | 'assignee' | 'previousAssignee'> & {
  /** CLAIMED, RELEASED: 'Dana Smith (dcc-1)' */
  assignee?: string;
  previousAssignee?: string;
  seq: number | '';
  action: string;
  principalBody: string;
  principalId: string;
  principalName: string;
  /** A person's row: the address invited, and the person's IdP subject */
  email?: string;
  subject?: string;
};

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
  'assignee',
  'previousAssignee',
];
/** The per-entry CSV also lists the Party's people: PERSON_INVITED, PERSON_ACCEPTED, PERSON_REMOVED rows (no seq). */
export const AUDIT_TRAIL_CSV_COLUMNS: (keyof AuditRow)[] = [...AUDIT_CSV_COLUMNS, 'email', 'subject'];

type ExportRow = AuditRow & { entryId: string; partyId: string };
export const AUDIT_EXPORT_CSV_COLUMNS: (keyof ExportRow)[] = ['entryId', 'partyId', ...AUDIT_CSV_COLUMNS];

const holderText = (h: ClaimHolder | undefined) => (h ? (h.name ? `${h.name} (${h.id})` : h.id) : undefined);

function csvRow<R extends AuditRecord>({ principal, assignee, previousAssignee, ...rest }: R): Omit<R, 'principal' | 'assignee' | 'previousAssignee'> & Pick<AuditRow, 'principalBody' | 'principalId' | 'principalName' | 'assignee' | 'previousAssignee'> {
  return {
    ...rest,
    principalBody: principal.body,
    principalId: principal.id,
    principalName: principal.name ?? '',
    ...(assignee ? { assignee: holderText(assignee) } : {}),
    ...(previousAssignee ? { previousAssignee: holderText(previousAssignee) } : {}),
  };
}

function personRow(e: MembershipEvent): AuditRow {
  return {
    seq: '',
    at: e.at.toISOString(),
    action: `PERSON_${e.action}`,
    principalBody: e.principal.body,
    principalId: e.principal.id,
    principalName: e.principal.name ?? '',
    ...(e.email ? { email: e.email } : {}),
    ...(e.subject ? { subject: e.subject } : {}),
  };
}

/** From the record; an entry too new for it yet answers from its workflow. */
async function trailOf(ctx: AppContext, partyId: string): Promise<AuditRecord[]> {
  return (await ctx.reads.trail(partyId)) ?? (await ctx.gateway.auditTrail(partyId));
}

/** The trail in its own order, each person's row placed after the records that came before it. */
function mergedByTime(records: AuditRow[], people: AuditRow[]): AuditRow[] {
  const rows: AuditRow[] = [];
  let next = 0;
  for (const record of records) {
    while (next < people.length && people[next]!.at < record.at) rows.push(people[next++]!);
    rows.push(record);
  }
  return [...rows, ...people.slice(next)];
}

const DAY_MS = 86_400_000;

export function auditRouter(ctx: AppContext): Router {
  const router = Router();

  /**
   * Streamed with pipeline: the client's pace holds the reads back, and a client that goes away
   * mid-stream ends the handler and closes the reader (no write left waiting for a 'drain').
   */
  mount(router, ctx, ENDPOINTS.auditExport, async ({ query }, req, res) => {
    const from = new Date(`${query.from}T00:00:00Z`);
    const to = new Date(Date.parse(`${query.to}T00:00:00Z`) + DAY_MS);
    const records = ctx.reads.auditBetween(from, to);
    const name = `uep-audit-${query.from}-to-${query.to}`;
    const first: IteratorResult<ExportedAuditRecord> = await records.next(); // a failing query is still a clean error answer
    const csv = query.format === 'csv';
    let sent = 0;
    let readFailed = false;
    async function* lines(): AsyncGenerator<string> {
      if (csv) yield csvHeader(AUDIT_EXPORT_CSV_COLUMNS);
      for (let next = first; !next.done; ) {
        sent++;
        yield csv ? csvLine<ExportRow>(AUDIT_EXPORT_CSV_COLUMNS, csvRow(next.value)) : `${JSON.stringify(next.value)}\n`;
        next = await records.next().catch((err: unknown) => {
          readFailed = true;
          throw err;
        });
      }
    }
    if (csv) res.attachment(`${name}.csv`).type(CONTENT_TYPE.CSV);
    else res.attachment(`${name}.ndjson`).type(CONTENT_TYPE.NDJSON);
    const log = (req as { log?: Logger }).log ?? ctx.logger;
    const what = { from: query.from, to: query.to, format: query.format };
    try {
      await pipeline(Readable.from(lines()), res);
      log.info({ ...what, records: sent, complete: true }, 'audit export ended');
    } catch (err) {
      await records.return(undefined);
      if (readFailed) throw err; // the answer is cut short; the error middleware logs why
      log.info({ ...what, records: sent, complete: false }, 'audit export ended: the client went away');
    }
  });

  mount(router, ctx, ENDPOINTS.getAuditTrail, async ({ params }, _req, res) => {
    const records = await trailOf(ctx, params.partyId);
    const people = (await ctx.reads.membershipEvents(params.partyId)).map(membershipEventAnswer);
    const answer: AuditTrailResponse = { partyId: params.partyId, records, people, links: entryLinks(ctx.config, params.partyId) };
    res.json(answer);
  });

  mount(router, ctx, ENDPOINTS.getAuditTrailCsv, async ({ params }, _req, res) => {
    const records: AuditRow[] = (await trailOf(ctx, params.partyId)).map(csvRow);
    const people = (await ctx.reads.membershipEvents(params.partyId)).map(personRow);
    const rows = mergedByTime(records, people);
    res
      .type(CONTENT_TYPE.CSV)
      .attachment(`audit-trail-${params.partyId}.csv`)
      .send(toCsv(AUDIT_TRAIL_CSV_COLUMNS, rows));
  });

  return router;
}
