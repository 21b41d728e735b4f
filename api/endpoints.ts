/**
 * Every endpoint's contract: method, path, permission, request schemas and responses. The routers
 * mount handlers through `mount()` (api/mount.ts), which authorises and validates from this
 * table, and api/openapi.ts documents exactly this table: a route and its document cannot drift.
 */
import type { z } from 'zod';
import { ACTION, type Action } from './permissions';
import * as S from './schemas';
import { EVIDENCE_TYPES } from '../domain/evidence-files';

export const API_PREFIX = '/v1';

export const PATH = {
  entries: `${API_PREFIX}/entries`,
  entry: `${API_PREFIX}/entries/:partyId`,
  auditTrail: `${API_PREFIX}/entries/:partyId/audit-trail`,
  auditTrailCsv: `${API_PREFIX}/entries/:partyId/audit-trail.csv`,
  decisions: `${API_PREFIX}/entries/:partyId/decisions`,
  claim: `${API_PREFIX}/entries/:partyId/claim`,
  files: `${API_PREFIX}/entries/:partyId/files`,
  comments: `${API_PREFIX}/entries/:partyId/comments`,
  file: `${API_PREFIX}/entries/:partyId/files/:fileId`,
  evidence: `${API_PREFIX}/entries/:partyId/evidence`,
  mandateDeadline: `${API_PREFIX}/entries/:partyId/mandate-deadline`,
  roles: `${API_PREFIX}/entries/:partyId/roles`,
  withdrawal: `${API_PREFIX}/entries/:partyId/withdrawal`,
  inbox: `${API_PREFIX}/inbox`,
  inboxEvents: `${API_PREFIX}/inbox/events`,
  complianceReport: `${API_PREFIX}/reports/compliance`,
  complianceReportCsv: `${API_PREFIX}/reports/compliance.csv`,
  auditExport: `${API_PREFIX}/audit-export`,
  catalogue: `${API_PREFIX}/catalogue`,
  meetings: `${API_PREFIX}/meetings`,
  invitations: `${API_PREFIX}/entries/:partyId/invitations`,
  members: `${API_PREFIX}/entries/:partyId/members`,
  member: `${API_PREFIX}/entries/:partyId/members/:subject`,
  me: `${API_PREFIX}/me`,
  myNotices: `${API_PREFIX}/me/notices`,
  colleagues: `${API_PREFIX}/colleagues`,
  healthz: '/healthz',
  readyz: '/readyz',
  metrics: '/metrics',
  openapi: '/openapi.json',
  docs: '/docs',
} as const;

export const CONTENT_TYPE = { JSON: 'application/json', CSV: 'text/csv', TEXT: 'text/plain', NDJSON: 'application/x-ndjson', EVENT_STREAM: 'text/event-stream', BINARY: 'application/octet-stream' } as const;
export type ContentType = (typeof CONTENT_TYPE)[keyof typeof CONTENT_TYPE];

export interface SuccessResponse {
  status: number;
  description: string;
  schema?: z.ZodType;
  /** One media type, or several when a query parameter picks one (e.g. format=csv). */
  contentType?: ContentType | readonly ContentType[];
}

export interface Endpoint<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  operationId: string;
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Undefined: public (no token). */
  action?: Action;
  params?: P;
  query?: Q;
  body?: B;
  /** A body read as a stream by the handler, not parsed (a file): the media types it may be. */
  rawBody?: { contentTypes: readonly string[]; description: string };
  success: SuccessResponse;
  /** Error statuses this endpoint can answer, beyond 401/403/500/503 of every authenticated one. */
  errors: number[];
}

const ep = <P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(e: Endpoint<P, Q, B>) => e;

const ENTRY_ERRORS = [400, 404];
const UPDATE_ERRORS = [400, 404, 409, 413, 415, 422];

const RETRY_RULE =
  'Safe to retry: the same id with the same content (stage, role, outcome and evidence or reference, comment, caller) records nothing new ' +
  'and answers `duplicate: true` with the first record and the entry as it is now, even once the entry has closed. ' +
  'The same id with any other content is 409 ID_REUSED.';

export const ENDPOINTS = {
  startEntry: ep({
    operationId: 'startEntry',
    method: 'post',
    path: PATH.entries,
    tag: 'entries',
    summary: "Start a Party's User Entry Process",
    description: 'One entry per Party (workflow id uep-<partyId>). A second start while it runs is a 409; after it closed, a new entry may start.',
    action: ACTION.START_ENTRY,
    body: S.StartEntryRequest,
    success: { status: 201, description: 'Started', schema: S.StartEntryResponse },
    errors: [400, 409, 413, 415, 422],
  }),
  listEntries: ep({
    operationId: 'listEntries',
    method: 'get',
    path: PATH.entries,
    tag: 'entries',
    summary: 'List and search entries (from the record), a page at a time',
    description: "A Party principal sees only its own entry. In entry id order; pass nextPageToken as pageToken for the next page.",
    action: ACTION.LIST_ENTRIES,
    query: S.ListEntriesQuery,
    success: { status: 200, description: 'A page of entries', schema: S.EntryListResponse },
    errors: [400],
  }),
  getEntry: ep({
    operationId: 'getEntry',
    method: 'get',
    path: PATH.entry,
    tag: 'entries',
    summary: "An entry's status: stages, who is awaited, deadlines, forecast",
    action: ACTION.READ_ENTRY,
    params: S.PartyParams,
    success: { status: 200, description: 'The entry', schema: S.EntryResponse },
    errors: ENTRY_ERRORS,
  }),
  getAuditTrail: ep({
    operationId: 'getAuditTrail',
    method: 'get',
    path: PATH.auditTrail,
    tag: 'entries',
    summary: "An entry's audit trail: who (authenticated) did what, when, with which evidence",
    action: ACTION.READ_AUDIT_TRAIL,
    params: S.PartyParams,
    success: { status: 200, description: 'The audit trail', schema: S.AuditTrailResponse },
    errors: ENTRY_ERRORS,
  }),
  getAuditTrailCsv: ep({
    operationId: 'getAuditTrailCsv',
    method: 'get',
    path: PATH.auditTrailCsv,
    tag: 'entries',
    summary: "An entry's audit trail as CSV",
    action: ACTION.READ_AUDIT_TRAIL,
    params: S.PartyParams,
    success: { status: 200, description: "The audit trail, one record a row, with the Party's people's invitations, acceptances and removals among them by time (PERSON_* rows, no seq)", contentType: CONTENT_TYPE.CSV },
    errors: ENTRY_ERRORS,
  }),
  recordDecision: ep({
    operationId: 'recordDecision',
    method: 'post',
    path: PATH.decisions,
    tag: 'sign-offs',
    summary: 'Record a decision on a stage the caller\'s body owns',
    description: RETRY_RULE,
    action: ACTION.RECORD_DECISION,
    params: S.PartyParams,
    body: S.DecisionRequest,
    success: { status: 200, description: 'Recorded, or a retry of this decisionId answered with `duplicate: true`', schema: S.UpdateResponse },
    errors: UPDATE_ERRORS,
  }),
  setClaim: ep({
    operationId: 'setClaim',
    method: 'put',
    path: PATH.claim,
    tag: 'sign-offs',
    summary: 'Who of your body works a waiting stage: claim it, assign it to a colleague, or release it',
    description:
      'A claim holds for the stage\'s current wait: once it is decided, or comes back, it is nobody\'s until claimed again. Everyone reading the inbox sees it (`claim`), and while another officer holds it your decision on it is refused (409 `CLAIMED_BY_OTHER`, naming them and since when) unless you take it over (`takeOver: true`). Each change is an audit record (CLAIMED, RELEASED) in the entry\'s trail; asking for what already holds changes nothing (`changed: false`).',
    action: ACTION.CLAIM_STAGE,
    params: S.PartyParams,
    body: S.ClaimRequest,
    success: { status: 200, description: 'The stage\'s claim as it now stands', schema: S.ClaimResponse },
    errors: [400, 403, 409],
  }),
  listColleagues: ep({
    operationId: 'listColleagues',
    method: 'get',
    path: PATH.colleagues,
    tag: 'sign-offs',
    summary: 'The people of your body a waiting stage can be assigned to',
    description:
      "Everyone of your body the record knows: who signed in to the console, chose how they are told of work, or held or gave a claim; each with the name and email they last came with. Assign a stage to one with `PUT /v1/entries/{partyId}/claim` and `assignee`.",
    action: ACTION.CLAIM_STAGE,
    success: { status: 200, description: 'Your colleagues, by name', schema: S.ColleaguesResponse },
    errors: [],
  }),
  addComment: ep({
    operationId: 'addComment',
    method: 'post',
    path: PATH.comments,
    tag: 'sign-offs',
    summary: "Comment in a stage's thread: the conversation between the bodies and the Party",
    description:
      "A COMMENTED record in the entry's audit trail (who, when, the stage, the text): the thread is the trail's COMMENTED records of the stage, shown beside the forms. Safe to retry by `commentId`. A comment decides nothing and changes no stage.",
    action: ACTION.COMMENT,
    params: S.PartyParams,
    body: S.CommentRequest,
    success: { status: 201, description: 'Added, or a retry of this commentId answered with `duplicate: true`', schema: S.CommentResponse },
    errors: [400, 404, 409, 413, 415, 422],
  }),
  attachFile: ep({
    operationId: 'attachFile',
    method: 'post',
    path: PATH.files,
    tag: 'sign-offs',
    summary: 'Attach a file to a stage: the evidence itself, kept beside the record',
    description:
      'The body is the file, sent as is with its type (`Content-Type`), its name and stage in the query. It streams into the record in chunks (constant memory) in one transaction with a FILE_ATTACHED audit record holding its SHA-256: a file refused on the way (too large: 413; a type not allowed, or content that is not what its type says, such as a program: 415) leaves nothing behind. Allowed: PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), plain text, CSV; up to EVIDENCE_FILE_MAX_MB (default 64 MiB). Whoever may read the entry may download it.',
    action: ACTION.ATTACH_FILE,
    params: S.PartyParams,
    query: S.AttachFileQuery,
    rawBody: { contentTypes: EVIDENCE_TYPES.map((t) => t.contentType), description: 'The file' },
    success: { status: 201, description: 'Kept: the file as the record holds it', schema: S.AttachedFileSchema },
    errors: [400, 404, 409, 413, 415, 422],
  }),
  downloadFile: ep({
    operationId: 'downloadFile',
    method: 'get',
    path: PATH.file,
    tag: 'sign-offs',
    summary: 'Download a file attached to the entry, as it was attached',
    description: 'Streamed from the record with its type, its name (`Content-Disposition: attachment`) and its SHA-256 (`Repr-Digest`). Another Party\'s file is not found.',
    action: ACTION.READ_FILE,
    params: S.FileParams,
    success: { status: 200, description: 'The file', contentType: CONTENT_TYPE.BINARY },
    errors: [400, 404],
  }),
  submitEvidence: ep({
    operationId: 'submitEvidence',
    method: 'post',
    path: PATH.evidence,
    tag: 'sign-offs',
    summary: 'Submit what a stage needs before its decision (the Party, or SECAS on its behalf)',
    description: RETRY_RULE,
    action: ACTION.SUBMIT_EVIDENCE,
    params: S.PartyParams,
    body: S.EvidenceRequest,
    success: { status: 200, description: 'Recorded, or a retry of this submissionId answered with `duplicate: true`', schema: S.UpdateResponse },
    errors: UPDATE_ERRORS,
  }),
  amendMandateDeadline: ep({
    operationId: 'amendMandateDeadline',
    method: 'put',
    path: PATH.mandateDeadline,
    tag: 'entries',
    summary: 'Move or remove the mandate deadline; reminders are recomputed',
    action: ACTION.AMEND_DEADLINE,
    params: S.PartyParams,
    body: S.AmendDeadlineRequest,
    success: { status: 200, description: 'Amended', schema: S.UpdateResponse },
    errors: UPDATE_ERRORS,
  }),
  addUserRole: ep({
    operationId: 'addUserRole',
    method: 'post',
    path: PATH.roles,
    tag: 'entries',
    summary: 'Seek one more User Role',
    action: ACTION.ADD_ROLE,
    params: S.PartyParams,
    body: S.AddRoleRequest,
    success: { status: 200, description: 'Added', schema: S.UpdateResponse },
    errors: UPDATE_ERRORS,
  }),
  withdraw: ep({
    operationId: 'withdrawEntry',
    method: 'post',
    path: PATH.withdrawal,
    tag: 'entries',
    summary: 'Withdraw the entry; every reminder stops',
    action: ACTION.WITHDRAW,
    params: S.PartyParams,
    body: S.WithdrawRequest,
    success: { status: 200, description: 'Withdrawn', schema: S.UpdateResponse },
    errors: UPDATE_ERRORS,
  }),
  inbox: ep({
    operationId: 'getInbox',
    method: 'get',
    path: PATH.inbox,
    tag: 'sign-offs',
    summary: "Stages awaiting the caller's body across entries, oldest SLA due date first",
    action: ACTION.READ_INBOX,
    query: S.InboxQuery,
    success: { status: 200, description: 'The inbox', schema: S.InboxResponse },
    errors: [400],
  }),
  inboxEvents: ep({
    operationId: 'followInbox',
    method: 'get',
    path: PATH.inboxEvents,
    tag: 'sign-offs',
    summary: "The caller's inbox as it changes: Server-Sent Events",
    description:
      'A stream of `inbox` events, each `{ body, count, overdue }` (JSON): one when the stream opens, then one whenever a stage arrives in ' +
      'or leaves the inbox, what the Party submitted for one changes, or one is claimed or released, within a second or two of the record holding it. ' +
      'Fetch `GET /v1/inbox` on each. A comment line every 25 s keeps proxies from closing an idle stream.',
    action: ACTION.FOLLOW_INBOX,
    query: S.InboxQuery,
    success: { status: 200, description: 'The event stream: each event an `inbox` event whose data is an InboxSignal', schema: S.InboxEvent, contentType: CONTENT_TYPE.EVENT_STREAM },
    errors: [400],
  }),
  complianceReport: ep({
    operationId: 'getComplianceReport',
    method: 'get',
    path: PATH.complianceReport,
    tag: 'reports',
    summary: 'Every entry against its mandate deadline',
    action: ACTION.READ_COMPLIANCE_REPORT,
    query: S.EmptyQuery,
    success: { status: 200, description: 'The report', schema: S.ComplianceReport },
    errors: [400],
  }),
  complianceReportCsv: ep({
    operationId: 'getComplianceReportCsv',
    method: 'get',
    path: PATH.complianceReportCsv,
    tag: 'reports',
    summary: 'The compliance report as CSV',
    action: ACTION.READ_COMPLIANCE_REPORT,
    query: S.EmptyQuery,
    success: { status: 200, description: 'One entry a row', contentType: CONTENT_TYPE.CSV },
    errors: [400],
  }),
  auditExport: ep({
    operationId: 'exportAuditRecords',
    method: 'get',
    path: PATH.auditExport,
    tag: 'reports',
    summary: 'Every audit record of every entry in a date range, oldest first, streamed (NDJSON or CSV)',
    action: ACTION.EXPORT_AUDIT,
    query: S.AuditExportQuery,
    success: {
      status: 200,
      description: 'One audit record a line (format=ndjson, the default) or a row (format=csv), with its entryId and partyId',
      contentType: [CONTENT_TYPE.NDJSON, CONTENT_TYPE.CSV],
    },
    errors: [400],
  }),
  catalogue: ep({
    operationId: 'getCatalogue',
    method: 'get',
    path: PATH.catalogue,
    tag: 'catalogue',
    summary: 'The stage catalogue: stages, owners, dependencies, outcomes and their effect, what the Party submits, SLAs',
    description: 'An entry keeps the catalogue version it started with (EntrySummary.catalogueVersion); ask for that version to read its rules.',
    action: ACTION.READ_CATALOGUE,
    query: S.CatalogueQuery,
    success: { status: 200, description: 'The catalogue', schema: S.CatalogueResponse },
    errors: [400, 404],
  }),
  getMeetings: ep({
    operationId: 'getMeetings',
    method: 'get',
    path: PATH.meetings,
    tag: 'catalogue',
    summary: "The SEC Panel's and the SSC's meetings, each with its paper cut-off (the current calendar version)",
    description: 'A stage decided at a meeting (catalogue v2) is due at the first meeting whose cut-off follows its submission.',
    action: ACTION.READ_MEETINGS,
    success: {
      status: 200,
      description: 'The meeting calendar (version 0 and no meetings before the first), with how many running entries hold it and how many are still to take it',
      schema: S.MeetingCalendarResponse,
    },
    errors: [],
  }),
  putMeetings: ep({
    operationId: 'putMeetings',
    method: 'put',
    path: PATH.meetings,
    tag: 'catalogue',
    summary: 'A new version of the meeting calendar; a Temporal workflow sends it to every running entry of catalogue v2, and the decisions waiting on a moved meeting move',
    description:
      "`version` is the current version plus one (another change first: 422). The calendar is kept in the record, and its push is handed to Temporal (`push.workflowId`, one workflow per version): it sends the version to every running entry of catalogue v2 (v1 has no meetings) in the background, and an entry whose awaited decision's meeting moved or was cancelled tells the Party and SECAS (MEETING_MOVED). The answer comes at once: `calendar.entriesToTake` is how many running entries it goes to; `GET /v1/meetings` says how many still have to take it. `push.started` false: Temporal did not take the start in time; the version is kept, and the reconciler's next pass starts its push.",
    action: ACTION.MAINTAIN_MEETINGS,
    body: S.MeetingCalendarRequest,
    success: { status: 200, description: 'Kept, and handed to its push', schema: S.MeetingCalendarChangeResponse },
    errors: [400, 422],
  }),
  inviteToParty: ep({
    operationId: 'inviteToParty',
    method: 'post',
    path: PATH.invitations,
    tag: 'people',
    summary: "Invite someone by email to act for the Party: a link they follow to sign in once, expiring",
    description:
      "The invitation is mailed with a one-time link (`API_PUBLIC_URL/auth/invitations/<token>`, valid for `INVITATION_DAYS`); following it signs the person in at the identity provider and binds their subject to the Party. Needs single sign-on and a mail relay (`SMTP_URL`): without them 503.",
    action: ACTION.INVITE_PEOPLE,
    params: S.PartyParams,
    body: S.InvitationRequest,
    success: { status: 201, description: 'Mailed', schema: S.InvitationResponse },
    errors: [400],
  }),
  listPartyMembers: ep({
    operationId: 'listPartyMembers',
    method: 'get',
    path: PATH.members,
    tag: 'people',
    summary: "The Party's people bound by an invitation, and every invitation, acceptance and removal",
    action: ACTION.READ_PEOPLE,
    params: S.PartyParams,
    success: { status: 200, description: "The Party's people", schema: S.MembersResponse },
    errors: [400],
  }),
  removePartyMember: ep({
    operationId: 'removePartyMember',
    method: 'delete',
    path: PATH.member,
    tag: 'people',
    summary: 'Remove a person from the Party: their console sessions end and they no longer act for it',
    action: ACTION.REMOVE_PEOPLE,
    params: S.MemberParams,
    success: { status: 204, description: 'Removed' },
    errors: [400, 404],
  }),
  whoAmI: ep({
    operationId: 'whoAmI',
    method: 'get',
    path: PATH.me,
    tag: 'operations',
    summary: 'The principal the bearer token names: its body, id and (for a Party) its party',
    description: 'The web console signs in with it: whatever hands out the token (a minted token today, OIDC later), the console asks who it is.',
    action: ACTION.WHO_AM_I,
    success: { status: 200, description: 'The principal', schema: S.PrincipalResponse },
    errors: [],
  }),
  getNoticeSettings: ep({
    operationId: 'getNoticeSettings',
    method: 'get',
    path: PATH.myNotices,
    tag: 'operations',
    summary: 'How you are told of work: each notice at once, or a daily digest',
    description: 'Your own choice, kept in the record (default IMMEDIATE). A stage a colleague assigns to you is mailed to you at once, or listed in your next daily digest with everything else that waits for you and your body (docs/domain.md, "Notices to a person").',
    action: ACTION.READ_NOTICE_SETTINGS,
    success: { status: 200, description: 'Your choice', schema: S.NoticeSettingsResponse },
    errors: [],
  }),
  setNoticeSettings: ep({
    operationId: 'setNoticeSettings',
    method: 'put',
    path: PATH.myNotices,
    tag: 'operations',
    summary: 'Choose how you are told of work: at once, or a daily digest',
    description: 'Changes only your own choice (the person your sign-in or token names). DAILY_DIGEST: one email a day, at the hour the deployment sets (DIGEST_TIME, default 07:00 Europe/London), listing what is assigned to you and what waits for your body, with due dates and links; no immediate mail of an assignment. IMMEDIATE: each assignment mailed at once, no digest.',
    action: ACTION.CHOOSE_NOTICES,
    body: S.NoticeSettingsRequest,
    success: { status: 200, description: 'Your choice as now kept', schema: S.NoticeSettingsResponse },
    errors: [400],
  }),
  healthz: ep({
    operationId: 'healthz',
    method: 'get',
    path: PATH.healthz,
    tag: 'operations',
    summary: 'Liveness: the process answers',
    success: { status: 200, description: 'Alive', schema: S.HealthResponse },
    errors: [],
  }),
  readyz: ep({
    operationId: 'readyz',
    method: 'get',
    path: PATH.readyz,
    tag: 'operations',
    summary: 'Readiness: Temporal answers within TEMPORAL_RPC_TIMEOUT_MS, a worker polls the task queue and the record answers; reports the record lag',
    description: '503 TEMPORAL_UNAVAILABLE when Temporal does not answer in time; 503 NO_WORKER when no worker has polled the task queue (for workflow or activity tasks) in the last two minutes.',
    success: { status: 200, description: 'Ready', schema: S.ReadyResponse },
    errors: [503],
  }),
  metrics: ep({
    operationId: 'metrics',
    method: 'get',
    path: PATH.metrics,
    tag: 'operations',
    summary: 'Prometheus metrics: request counts and latency by route template and status',
    success: { status: 200, description: 'Prometheus text format', contentType: CONTENT_TYPE.TEXT },
    errors: [],
  }),
} as const;

export type EndpointName = keyof typeof ENDPOINTS;

/** '/v1/entries/:partyId' with a party filled in (encoded). */
export function fillPath(path: string, partyId: string): string {
  return path.replace(':partyId', encodeURIComponent(partyId));
}
