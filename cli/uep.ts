/**
 * `uep`: the UEP engine from a terminal, for operators and approvers (`npm run uep -- <command>`,
 * or the package's `uep` bin). Every command is a call to the HTTP API, with its permissions and
 * its audit trail; `--json` prints the API's answer as is, for scripts. Exit status: 0 done,
 * 1 refused by the API (its message on stderr), 2 a usage error. `uep tokens …` manages the API's
 * tokens file on this host (scripts/tokens.ts).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { answered, ApiRefusal, apiClient, type ApiClient, type Schemas } from './client';

const USAGE = `Usage: uep [--api-url URL] [--token TOKEN] [--json] <command>

  whoami                                   who the token acts as
  entries list [--status S] [--awaiting BODY] [--cohort C] [--at-risk] [--in-breach]
               [--name WORDS] [--limit N] [--all]
  entries show <partyId>                   where one entry stands, stage by stage
  inbox [--body BODY]                      the stages awaiting your body (OPS: any body's)
  decide <partyId> --stage S --outcome O --evidence REF [--comment TEXT] [--role R] [--id ID]
  submit <partyId> --stage S --reference REF [--comment TEXT] [--role R] [--id ID]
  export <partyId> [--format csv|json]     one entry's audit trail
  export --from YYYY-MM-DD --to YYYY-MM-DD [--format csv|ndjson]
                                           every audit record in those days
  tokens mint|list|revoke …                the API's tokens file on this host (npm run tokens)

The API: --api-url or UEP_API_URL (default http://127.0.0.1:3000). The bearer token: --token or
UEP_TOKEN. A decision or submission without --id gets a new one, printed: give it again with
--id to retry safely.`;

class UsageError extends Error {}

const OPTIONS = {
  'api-url': { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  status: { type: 'string' },
  awaiting: { type: 'string' },
  cohort: { type: 'string' },
  'at-risk': { type: 'boolean' },
  'in-breach': { type: 'boolean' },
  name: { type: 'string' },
  limit: { type: 'string' },
  all: { type: 'boolean' },
  body: { type: 'string' },
  stage: { type: 'string' },
  outcome: { type: 'string' },
  evidence: { type: 'string' },
  reference: { type: 'string' },
  comment: { type: 'string' },
  role: { type: 'string' },
  id: { type: 'string' },
  format: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

interface Out {
  print(text: string): void;
}

/** "2 March 2026", as people write dates. */
function day(isoOrDate: string | null | undefined): string {
  if (!isoOrDate) return '-';
  const d = new Date(isoOrDate.length === 10 ? `${isoOrDate}T00:00:00Z` : isoOrDate);
  return Number.isNaN(d.getTime()) ? isoOrDate : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

const words = (code: string) => code.toLowerCase().replace(/_/g, ' ');

function required(values: Values, name: 'stage' | 'outcome' | 'evidence' | 'reference' | 'from' | 'to'): string {
  const v = values[name];
  if (v === undefined || v === '') throw new UsageError(`give --${name}`);
  return v;
}

function partyIdOf(positionals: string[], index: number, command: string): string {
  const id = positionals[index];
  if (!id) throw new UsageError(`${command}: give the Party id`);
  return id;
}

async function entriesList(api: ApiClient, values: Values, out: Out): Promise<void> {
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !Number.isInteger(limit)) throw new UsageError(`--limit ${values.limit}: not a whole number`);
  const query = {
    ...(values.status ? { status: values.status as Schemas['EntryStatus'] } : {}),
    ...(values.awaiting ? { awaitedBody: values.awaiting as Schemas['Body'] } : {}),
    ...(values.cohort ? { cohort: values.cohort as Schemas['Cohort'] } : {}),
    ...(values['at-risk'] ? { atRisk: 'true' as const } : {}),
    ...(values['in-breach'] ? { inBreach: 'true' as const } : {}),
    ...(values.name ? { partyName: values.name } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
  const items: Schemas['EntryListItem'][] = [];
  let pageToken: string | undefined;
  do {
    const page = answered(await api.GET('/v1/entries', { params: { query: { ...query, ...(pageToken ? { pageToken } : {}) } } }));
    items.push(...page.items);
    pageToken = values.all ? (page.nextPageToken ?? undefined) : undefined;
  } while (pageToken);
  if (values.json) return out.print(JSON.stringify(items, null, 2));
  if (items.length === 0) return out.print('No entries.');
  const rows = items.map((e) => [
    e.partyId,
    e.partyName ?? '',
    words(e.status ?? ''),
    e.atRisk ? 'at risk' : e.inBreach ? 'in breach' : '',
    e.awaitedBodies.join(', '),
    day(e.mandateDeadline),
  ]);
  out.print(table([['PARTY', 'NAME', 'STATUS', 'STANDING', 'AWAITING', 'MANDATE DEADLINE'], ...rows]));
}

async function entriesShow(api: ApiClient, partyId: string, values: Values, out: Out): Promise<void> {
  const { entry } = answered(await api.GET('/v1/entries/{partyId}', { params: { path: { partyId } } }));
  if (values.json) return out.print(JSON.stringify(entry, null, 2));
  const stageRow = (s: Schemas['StageSummary'], role?: string) => [
    s.stage,
    role ?? '',
    words(s.state),
    s.awaiting ? `awaits ${s.awaiting}` : s.outcome ? words(s.outcome) : '',
    s.dueBy ? `due ${day(s.dueBy)}` : s.doneAt ? `done ${day(s.doneAt)}` : '',
  ];
  const lines = [
    entry.headline,
    `Party ${entry.partyId} (${entry.partyName}), ${words(entry.cohort)}, ${words(entry.status)}`,
    `Mandate deadline ${day(entry.mandateDeadline)}; forecast completion ${day(entry.forecastCompletion)}${entry.atRisk ? ' (at risk)' : ''}${entry.inBreach ? ' (in breach)' : ''}`,
    '',
    table([['STAGE', 'ROLE', 'STATE', '', 'WHEN'], ...entry.partyStages.map((s) => stageRow(s)), ...entry.roleStages.flatMap((r) => r.stages.map((s) => stageRow(s, r.role)))]),
  ];
  out.print(lines.join('\n'));
}

async function inbox(api: ApiClient, values: Values, out: Out): Promise<void> {
  const answer = answered(await api.GET('/v1/inbox', { params: { query: values.body ? { body: values.body as Schemas['Body'] } : {} } }));
  if (values.json) return out.print(JSON.stringify(answer, null, 2));
  if (answer.items.length === 0) return out.print('Nothing awaits you.');
  const rows = answer.items.map((i) => [
    i.partyId,
    i.stage,
    i.role ?? '',
    i.awaiting,
    i.dueBy ? `${day(i.dueBy)}${i.overdue ? ' (overdue)' : ''}` : '-',
    i.allowedOutcomes.map((o) => o.outcome).join(' | '),
  ]);
  out.print(table([['PARTY', 'STAGE', 'ROLE', 'AWAITING', 'DUE', 'OUTCOMES'], ...rows]));
}

function commandDone(answer: Schemas['UpdateResponse'], idName: string, id: string, values: Values, out: Out): void {
  if (values.json) return out.print(JSON.stringify(answer, null, 2));
  out.print(`${answer.duplicate ? 'Already recorded' : 'Recorded'} (${idName} ${id}, audit record ${answer.record.seq}).\n${answer.headline}`);
}

async function decide(api: ApiClient, partyId: string, values: Values, out: Out): Promise<void> {
  const decisionId = values.id ?? `cli-${randomUUID()}`;
  const body: Schemas['DecisionRequest'] = {
    decisionId,
    stage: required(values, 'stage') as Schemas['StageId'],
    outcome: required(values, 'outcome'),
    evidence: required(values, 'evidence'),
    ...(values.comment ? { comment: values.comment } : {}),
    ...(values.role ? { role: values.role as NonNullable<Schemas['DecisionRequest']['role']> } : {}),
  };
  commandDone(answered(await api.POST('/v1/entries/{partyId}/decisions', { params: { path: { partyId } }, body })), 'decision', decisionId, values, out);
}

async function submit(api: ApiClient, partyId: string, values: Values, out: Out): Promise<void> {
  const submissionId = values.id ?? `cli-${randomUUID()}`;
  const body: Schemas['EvidenceRequest'] = {
    submissionId,
    stage: required(values, 'stage') as Schemas['StageId'],
    reference: required(values, 'reference'),
    ...(values.comment ? { comment: values.comment } : {}),
    ...(values.role ? { role: values.role as NonNullable<Schemas['EvidenceRequest']['role']> } : {}),
  };
  commandDone(answered(await api.POST('/v1/entries/{partyId}/evidence', { params: { path: { partyId } }, body })), 'submission', submissionId, values, out);
}

/** Text answers (CSV, NDJSON) are printed as the API streams them. */
async function exportTrail(api: ApiClient, positionals: string[], values: Values, out: Out): Promise<void> {
  const partyId = positionals[1];
  if (partyId !== undefined) {
    const format = values.format ?? 'json';
    if (format === 'csv') {
      out.print(answered(await api.GET('/v1/entries/{partyId}/audit-trail.csv', { params: { path: { partyId } }, parseAs: 'text' })).trimEnd());
      return;
    }
    if (format !== 'json') throw new UsageError(`--format ${format}: csv or json`);
    out.print(JSON.stringify(answered(await api.GET('/v1/entries/{partyId}/audit-trail', { params: { path: { partyId } } })).records, null, 2));
    return;
  }
  const format = values.format ?? 'ndjson';
  if (format !== 'csv' && format !== 'ndjson') throw new UsageError(`--format ${format}: csv or ndjson`);
  const text = answered(await api.GET('/v1/audit-export', { params: { query: { from: required(values, 'from'), to: required(values, 'to'), format } }, parseAs: 'text' }));
  out.print(text.trimEnd());
}

function tokens(argv: string[]): number {
  const script = path.join(__dirname, '..', 'scripts', 'tokens.ts');
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const result = spawnSync(process.execPath, ['--import', tsx, script, ...argv], { stdio: 'inherit' });
  return result.status ?? 1;
}

export async function run(argv: string[], env: NodeJS.ProcessEnv, out: Out): Promise<number> {
  if (argv[0] === 'tokens') return tokens(argv.slice(1));
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const [command, sub] = positionals;
  if (values.help || !command) {
    out.print(USAGE);
    return values.help ? 0 : 2;
  }
  const token = values.token ?? env.UEP_TOKEN;
  if (!token) throw new UsageError('no token: give --token or set UEP_TOKEN');
  const api = apiClient(values['api-url'] ?? env.UEP_API_URL ?? 'http://127.0.0.1:3000', token);
  switch (command) {
    case 'whoami': {
      const me = answered(await api.GET('/v1/me'));
      out.print(values.json ? JSON.stringify(me, null, 2) : `${me.name ?? me.id} (${me.body} ${me.id}${me.partyId ? `, Party ${me.partyId}` : ''})`);
      return 0;
    }
    case 'entries':
      if (sub === 'list') await entriesList(api, values, out);
      else if (sub === 'show') await entriesShow(api, partyIdOf(positionals, 2, 'entries show'), values, out);
      else throw new UsageError('entries list or entries show <partyId>');
      return 0;
    case 'inbox':
      await inbox(api, values, out);
      return 0;
    case 'decide':
      await decide(api, partyIdOf(positionals, 1, 'decide'), values, out);
      return 0;
    case 'submit':
      await submit(api, partyIdOf(positionals, 1, 'submit'), values, out);
      return 0;
    case 'export':
      await exportTrail(api, positionals, values, out);
      return 0;
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

if (require.main === module) {
  run(process.argv.slice(2), process.env, { print: (text) => console.log(text) }).then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof ApiRefusal) {
        console.error(`Refused (${err.status}): ${err.message}`);
        process.exit(1);
      }
      const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
      console.error(usage ? `${(err as Error).message}\n\n${USAGE}` : `uep: ${(err as Error).message}`);
      process.exit(usage ? 2 : 1);
    },
  );
}
