/**
 * The API's request and response shapes, declared once in zod. They give the TypeScript types,
 * the runtime validation (api/validate.ts) and the OpenAPI document (api/openapi.ts). Request
 * objects are strict: an unknown field is a 400, so nobody can smuggle in e.g. a `principal`.
 */
import { z } from 'zod';
import {
  AUDIT_ACTION,
  REFUSAL,
  START_WARNING,
  type AuditRecord,
  type EntrySummary,
  type StageSummary,
} from '../domain/types';
import { DATE_PATTERN, isValidDate } from '../domain/dates';
import { COMPLIANCE } from '../domain/read-model';
import { ALL_BODIES, ALL_COHORTS, ALL_STAGES, ALL_USER_ROLES, ENTRY_STATUS, OUTCOME_EFFECT, STAGE_LEVEL, STAGE_STATE } from '../domain/vocabulary';

// ---------------------------------------------------------------- building blocks

/** Ids that end up in workflow ids, update ids and URLs: letters, digits, '.', '_', '-'; no spaces, no quotes. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ID_HINT = '1-64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit';

const id = (description: string, example: string, schemaId?: string) =>
  z
    .string()
    .regex(ID_PATTERN, `must be ${ID_HINT}`)
    .meta({ ...(schemaId ? { id: schemaId } : {}), description: `${description} (${ID_HINT})`, example });

export const PartyId = id('The Party\'s id; the entry\'s workflow id is "uep-<partyId>"', 'ACME-ENERGY', 'PartyId');
export const CalendarDate = z
  .string()
  .regex(DATE_PATTERN, 'must be a date YYYY-MM-DD')
  .refine((s) => isValidDate(s), 'must be a real date')
  .meta({ id: 'CalendarDate', description: 'A calendar date, YYYY-MM-DD', example: '2018-08-31' });
/**
 * A registered (referenced) schema or null. `X.nullable()` on a schema with an id renders as
 * `allOf: [{$ref: X}, {type: [string, null]}]`, which no null satisfies (the $ref still applies),
 * so every null answer broke the API's own document (found by schemathesis, `npm run fuzz`).
 * A union renders as `anyOf: [{$ref: X}, {type: null}]`.
 */
const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);
const Instant = z.string().meta({ description: 'ISO-8601 UTC instant', example: '2026-03-02T09:30:00.000Z' });
/** A lone UTF-16 surrogate: JSON can carry it, PostgreSQL's jsonb (where the record keeps texts) cannot. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Free text people write: trimmed, bounded, storable (no NUL, no lone surrogate); escaped wherever it goes (CSV, the console). */
const text = (max: number, description: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !s.includes('\u0000') && !LONE_SURROGATE.test(s), 'must not contain a NUL character or a lone surrogate')
    .meta({ description });

export const BodyEnum = z.enum(ALL_BODIES).meta({ id: 'Body', description: 'A body taking part in UEP' });
export const UserRoleEnum = z.enum(ALL_USER_ROLES).meta({ id: 'UserRole' });
export const CohortEnum = z.enum(ALL_COHORTS).meta({ id: 'Cohort' });
export const StageEnum = z.enum(ALL_STAGES).meta({ id: 'StageId' });
export const EntryStatusEnum = z.enum(Object.values(ENTRY_STATUS)).meta({ id: 'EntryStatus' });
const StageStateEnum = z.enum(Object.values(STAGE_STATE)).meta({ id: 'StageState' });
const AuditActionEnum = z.enum(Object.values(AUDIT_ACTION)).meta({ id: 'AuditAction' });
const Outcome = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be an outcome code such as APPROVED')
  .meta({ description: "One of the stage's outcomes in the entry's catalogue version", example: 'APPROVED' });

// ---------------------------------------------------------------- requests

export const PartyParams = z.strictObject({ partyId: PartyId });

const UepContactSchema = z
  .strictObject({ name: text(200, "The contact's name"), email: z.email().max(254) })
  .meta({ id: 'UepContact' });

export const StartEntryRequest = z
  .strictObject({
    partyId: PartyId,
    partyName: text(200, 'The Party\'s name, as it appears in search (any characters)'),
    cohort: CohortEnum,
    roles: z
      .array(UserRoleEnum)
      .min(1)
      .max(ALL_USER_ROLES.length)
      .refine((r) => new Set(r).size === r.length, 'roles must not repeat'),
    mandateDeadline: orNull(CalendarDate)
      .optional()
      .meta({ description: "Omitted: the cohort's default. null: no mandate deadline." }),
    confirmPastDefaultDeadline: z
      .boolean()
      .optional()
      .meta({
        description:
          "true: apply the cohort's default mandate deadline though it has passed (the entry starts in breach). Without it, a start that omits mandateDeadline for a cohort whose default has passed is refused (422 INVALID_DEADLINE), naming the date.",
      }),
    uepContact: UepContactSchema,
    sharedResourceProvider: text(200, 'Name of the Shared Resource provider, when the Party uses one').optional(),
    completedStages: z
      .array(
        z.strictObject({
          stage: StageEnum,
          role: UserRoleEnum.optional(),
          outcome: Outcome,
          at: CalendarDate,
          evidence: text(500, 'Evidence reference').optional(),
        }),
      )
      .max(100)
      .optional()
      .meta({ description: 'Stages done before the entry started (e.g. accession), with their dates' }),
    reminderOffsetsDays: z.array(z.number().int().min(1).max(3650)).max(20).optional(),
  })
  .meta({
    id: 'StartEntryRequest',
    example: {
      partyId: 'ACME-ENERGY',
      partyName: 'Acme Energy Ltd',
      cohort: 'SMALL_DOMESTIC_SUPPLIER',
      roles: ['IMPORT_SUPPLIER', 'GAS_SUPPLIER'],
      mandateDeadline: '2027-06-30',
      uepContact: { name: 'Pat Jones', email: 'pat@acme-energy.example' },
    },
  });
export type StartEntryRequest = z.infer<typeof StartEntryRequest>;

export const DecisionRequest = z
  .strictObject({
    decisionId: id('Chosen by the caller: a retry with the same id and the same content is answered with `duplicate: true`', 'dcc-uept-0001'),
    stage: StageEnum,
    role: UserRoleEnum.optional().meta({ description: 'Required for role-level stages' }),
    outcome: Outcome,
    evidence: text(500, 'Reference to the evidence behind the decision'),
    comment: text(4000, 'Conditions, reasons').optional(),
  })
  .meta({
    id: 'DecisionRequest',
    example: {
      decisionId: 'dcc-uept-0001',
      stage: 'UEPT',
      role: 'IMPORT_SUPPLIER',
      outcome: 'PASSED',
      evidence: 'CTSD test completion certificate TC-2027-014',
      comment: 'All UEPT scripts passed on the second run',
    },
  });
export type DecisionRequest = z.infer<typeof DecisionRequest>;

export const ClaimRequest = z
  .strictObject({
    stage: StageEnum,
    role: UserRoleEnum.optional().meta({ description: 'Required for role-level stages' }),
    assignee: z
      .strictObject({
        id: text(255, "The colleague's id, as their sign-in names them"),
        name: text(200, 'Their name, as people read it').optional(),
        email: z.email().max(254).optional().meta({ description: 'Where they are told of it; absent: the email the record knows from their sign-in (docs/domain.md, "Notices to a person")' }),
      })
      .nullable()
      .optional()
      .meta({ description: 'Who of your body works the stage: absent, yourself; a colleague, assigned to them; null, back to the queue' }),
    takeOver: z.boolean().optional().meta({ description: 'Change a claim another officer holds (otherwise 409 CLAIMED_BY_OTHER)' }),
  })
  .meta({ id: 'ClaimRequest', example: { stage: 'CREDIT_COVER' } });
export type ClaimRequest = z.infer<typeof ClaimRequest>;

export const CommentRequest = z
  .strictObject({
    commentId: id('Chosen by the caller: a retry with the same id adds nothing and answers the first', 'web-c-0001'),
    stage: StageEnum,
    role: UserRoleEnum.optional().meta({ description: 'Required for role-level stages' }),
    text: text(4000, 'What you say, for the other side to read'),
  })
  .meta({ id: 'CommentRequest', example: { commentId: 'web-c-0001', stage: 'CREDIT_COVER', text: 'The letter of credit is with our bank; expected by Friday.' } });

export const AttachFileQuery = z
  .strictObject({
    stage: StageEnum,
    role: UserRoleEnum.optional().meta({ description: 'Required for role-level stages' }),
    name: text(200, 'The file\'s name, as people will see and save it').refine((n) => !/[\\/]/.test(n) && ![...n].some((c) => c.charCodeAt(0) < 0x20), 'must be a plain file name: no slashes or control characters'),
  })
  .meta({ id: 'AttachFileQuery' });

export const FileParams = z.strictObject({ partyId: PartyId, fileId: z.uuid().meta({ description: 'The id the file was kept under' }) });

export const EvidenceRequest = z
  .strictObject({
    submissionId: id('Chosen by the caller: a retry with the same id and the same content is answered with `duplicate: true`', 'sub-0001'),
    stage: StageEnum,
    role: UserRoleEnum.optional().meta({ description: 'Required for role-level stages' }),
    reference: text(500, 'Reference to what was submitted'),
    comment: text(4000, 'Free text').optional(),
  })
  .meta({
    id: 'EvidenceRequest',
    example: {
      submissionId: 'sub-0001',
      stage: 'SECURITY_ASSESSMENT',
      reference: 'FUSA report ACME-USA-2027-01',
      comment: 'Assessed by the CIO-appointed User CIO on 12 March',
    },
  });
export type EvidenceRequest = z.infer<typeof EvidenceRequest>;

export const AmendDeadlineRequest = z
  .strictObject({
    deadline: orNull(CalendarDate).meta({ description: 'The new mandate deadline, or null to remove it' }),
    reason: text(1000, 'Why the deadline moves'),
  })
  .meta({ id: 'AmendDeadlineRequest', example: { deadline: '2027-09-30', reason: 'Ofgem direction of 3 May moves the mandate' } });

export const AddRoleRequest = z.strictObject({ role: UserRoleEnum }).meta({ id: 'AddRoleRequest', example: { role: 'EXPORT_SUPPLIER' } });

export const WithdrawRequest = z
  .strictObject({ reason: text(1000, 'Why the entry is withdrawn') })
  .meta({ id: 'WithdrawRequest', example: { reason: 'The Party no longer seeks to become a DCC User' } });

const booleanFlag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .meta({ description: 'true or false' });

export const PAGE_LIMIT = { default: 20, max: 100 } as const;
const PageToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,4096}$/, 'must be a nextPageToken from a previous page')
  .meta({ description: 'nextPageToken from the previous page' });

export const ListEntriesQuery = z
  .strictObject({
    status: EntryStatusEnum.optional(),
    awaitedBody: BodyEnum.optional().meta({ description: 'Entries with a stage awaiting this body' }),
    role: UserRoleEnum.optional(),
    cohort: CohortEnum.optional(),
    partyName: text(200, 'Word search in the Party name: every word (letters and digits) must appear; other characters are ignored')
      .refine((s) => /[\p{L}\p{N}]/u.test(s), 'must contain a letter or digit')
      .optional(),
    atRisk: booleanFlag.optional(),
    inBreach: booleanFlag.optional(),
    mandateDeadlineFrom: CalendarDate.optional().meta({ description: 'Mandate deadline on or after this date' }),
    mandateDeadlineTo: CalendarDate.optional().meta({ description: 'Mandate deadline on or before this date' }),
    limit: z.coerce.number().int().min(1).max(PAGE_LIMIT.max).default(PAGE_LIMIT.default),
    pageToken: PageToken.optional(),
  })
  .meta({ id: 'ListEntriesQuery' });
export type ListEntriesQuery = z.infer<typeof ListEntriesQuery>;

export const InboxQuery = z
  .strictObject({
    body: BodyEnum.optional().meta({
      description: "Whose inbox. Defaults to the caller's body; only OPS may look at another body's inbox (OPS without it: every awaited stage).",
    }),
  })
  .meta({ id: 'InboxQuery' });

export const EmptyQuery = z.strictObject({});

// ---------------------------------------------------------------- responses

export const EntryLinks = z
  .object({
    self: z.url(),
    temporalUi: z.url().meta({ description: 'The entry in the Temporal Web UI' }),
    auditTrail: z.url(),
    auditTrailCsv: z.url(),
  })
  .meta({ id: 'EntryLinks' });
export type EntryLinks = z.infer<typeof EntryLinks>;

const OutcomeEffectEnum = z.enum(Object.values(OUTCOME_EFFECT)).meta({
  id: 'OutcomeEffect',
  description: 'DONE: the stage is done. REWORK: back to the Party to submit again. RESTART: the stage starts over.',
});

export const AllowedOutcomeSchema = z
  .object({
    outcome: z.string().meta({ example: 'APPROVED' }),
    effect: OutcomeEffectEnum,
    followUp: z.boolean().meta({ description: "Done, and the decision's comment stays on the entry as a follow-up condition" }),
    needsReason: z.boolean().optional().meta({ description: 'true: the decision must say why in its comment (e.g. an Evidence Form returned to the Party)' }),
  })
  .meta({ id: 'AllowedOutcome' });

export const LatestSubmissionSchema = z
  .object({
    submissionId: z.string(),
    reference: z.string(),
    comment: z.string().optional(),
    at: Instant,
  })
  .meta({ id: 'LatestSubmission', description: 'What the Party (or SECAS for it) submitted last on the stage' });

const AwaitedMeeting = z
  .object({ body: z.enum(['SEC_PANEL', 'SSC']), date: CalendarDate, papersBy: CalendarDate })
  .optional()
  .meta({ description: 'The meeting the awaited decision is taken at: the first whose paper cut-off followed the submission (catalogue v2)' });

const StageSummarySchema = z
  .object({
    stage: StageEnum,
    role: UserRoleEnum.optional(),
    title: z.string(),
    secRef: z.string(),
    owner: BodyEnum,
    state: StageStateEnum,
    attempts: z.number().int(),
    awaiting: BodyEnum.optional(),
    awaitingSince: Instant.optional(),
    dueBy: CalendarDate.optional().meta({ description: 'When the awaited decision is due: the response time, or the date of the meeting it is taken at' }),
    meeting: AwaitedMeeting,
    outcome: z.string().optional(),
    doneAt: CalendarDate.optional(),
    allowedOutcomes: z.array(AllowedOutcomeSchema).meta({ description: "The outcomes the owner may choose, from the entry's catalogue version" }),
    expected: z.string().meta({ description: "What the stage waits for now, in words ('' once done)" }),
    latestSubmission: LatestSubmissionSchema.optional(),
  })
  .meta({ id: 'StageSummary' });

export const EntrySummarySchema = z
  .object({
    entryId: z.string(),
    partyId: z.string(),
    partyName: z.string(),
    cohort: CohortEnum,
    roles: z.array(UserRoleEnum),
    status: EntryStatusEnum,
    headline: z.string().meta({ description: 'One line: where the entry stands' }),
    catalogueVersion: z.string(),
    calendarVersion: z.string(),
    uepContact: z.object({ name: z.string(), email: z.string() }),
    sharedResourceProvider: z.string().optional(),
    mandateDeadline: orNull(CalendarDate),
    deadlineVersion: z.number().int(),
    nextDeadline: z.object({ at: Instant, what: z.string() }).nullable(),
    forecastCompletion: orNull(CalendarDate),
    atRisk: z.boolean(),
    inBreach: z.boolean(),
    awaitedBodies: z.array(BodyEnum),
    partyStages: z.array(StageSummarySchema),
    roleStages: z.array(
      z.object({
        role: UserRoleEnum,
        complete: z.boolean(),
        completedAt: CalendarDate.optional(),
        forecast: orNull(CalendarDate),
        stages: z.array(StageSummarySchema),
      }),
    ),
    followUps: z.array(
      z.object({
        stage: StageEnum,
        role: UserRoleEnum.optional(),
        outcome: z.string(),
        conditions: z.string(),
        evidence: z.string(),
        at: z.string(),
      }),
    ),
    startedAt: z.string(),
    closedAt: z.string().optional(),
    withdrawnReason: z.string().optional(),
  })
  .meta({ id: 'EntrySummary' });

const ClaimHolderSchema = z.object({ id: z.string(), name: z.string().optional() }).meta({ id: 'ClaimHolder', description: 'An officer of the awaited body, as their sign-in or token names them' });

export const AuditRecordSchema = z
  .object({
    seq: z.number().int(),
    at: Instant,
    action: AuditActionEnum,
    principal: z
      .object({
        body: BodyEnum,
        id: z.string(),
        name: z.string().optional().meta({ description: 'The named person who holds the token or signed in' }),
        email: z.string().optional().meta({ description: 'Their email, as their identity provider knows it (console sign-ins)' }),
      })
      .meta({ description: 'Who acted, as authenticated by the API' }),
    id: z.string().optional(),
    stage: StageEnum.optional(),
    role: UserRoleEnum.optional(),
    outcome: z.string().optional(),
    evidence: z.string().optional(),
    reference: z.string().optional(),
    comment: z.string().optional(),
    reason: z.string().optional(),
    previousDeadline: z.string().nullable().optional(),
    deadline: z.string().nullable().optional(),
    runId: z.string().optional().meta({ description: 'RUN_RESET: the workflow run the reset created' }),
    previousRunId: z.string().nullable().optional().meta({ description: 'RUN_RESET: the run it replaced, when known' }),
    assignee: ClaimHolderSchema.optional().meta({ description: 'CLAIMED: who works the stage now' }),
    previousAssignee: ClaimHolderSchema.optional().meta({ description: 'CLAIMED, RELEASED: who worked it before' }),
    file: z
      .object({ id: z.string(), name: z.string(), contentType: z.string(), size: z.number().int(), sha256: z.string() })
      .optional()
      .meta({ description: 'FILE_ATTACHED: the file and its SHA-256' }),
  })
  .meta({ id: 'AuditRecord' });

export const RunResetNoticeSchema = z
  .object({
    at: Instant.meta({ description: 'When Temporal reset the run (or when the record first saw the new run)' }),
    runId: z.string().meta({ description: 'The workflow run the reset created' }),
    previousRunId: z.string().nullable(),
    note: z.string(),
  })
  .meta({
    id: 'RunResetNotice',
    description:
      "The entry's workflow run was last reset in Temporal: it carries on from an earlier point. What the earlier run recorded after that point stays in the audit trail (its RUN_RESET record says where) but the workflow no longer holds it.",
  });

export const StageClaimSchema = z
  .object({
    claimant: ClaimHolderSchema.meta({ description: 'Who works it' }),
    claimedBy: ClaimHolderSchema.meta({ description: 'Who gave it to them: themselves, or a colleague assigning it' }),
    claimedAt: Instant,
  })
  .meta({ id: 'StageClaim' });

export const AttachedFileSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    contentType: z.string(),
    size: z.number().int().meta({ description: 'Bytes' }),
    sha256: z.string().meta({ description: 'Hex SHA-256 of the content, as the audit trail holds it' }),
    stage: StageEnum,
    role: UserRoleEnum.optional(),
    uploadedBy: z.object({ body: BodyEnum, id: z.string(), name: z.string().optional() }),
    uploadedAt: Instant,
    links: z.object({ download: z.url() }),
  })
  .meta({ id: 'AttachedFile' });

export const EntryResponse = z
  .object({
    entry: EntrySummarySchema,
    reset: RunResetNoticeSchema.nullable(),
    claims: z
      .array(z.object({ stage: StageEnum, role: UserRoleEnum.optional(), claim: StageClaimSchema }))
      .meta({ description: 'Who of the awaited body works each claimed stage (a stage not listed: nobody has claimed it)' }),
    files: z.array(AttachedFileSchema).meta({ description: 'Files attached to its stages, oldest first' }),
    fileMaxBytes: z.number().int().positive().meta({ description: 'The largest file this service keeps (EVIDENCE_FILE_MAX_MB), so that a form can refuse a larger one before sending it' }),
    links: EntryLinks,
  })
  .meta({ id: 'EntryResponse' });
export type EntryResponse = z.infer<typeof EntryResponse>;

export const StartWarningSchema = z
  .object({
    code: z.enum(Object.values(START_WARNING)),
    message: z.string(),
  })
  .meta({
    id: 'StartWarning',
    description:
      'Something true about an accepted start the caller should know. MANDATE_DEADLINE_PASSED: the mandate deadline (given, or the cohort default, e.g. ELECTRICITY_DNO 2018-01-21) is already past, so the entry starts in breach and SECAS and OPS are told at once. CONTACT_NOT_INVITED: the entry started, but the mail inviting the UEP contact to the console did not go (invite them with POST /v1/entries/{partyId}/invitations).',
  });

export const StartEntryResponse = z
  .object({
    entryId: z.string(),
    partyId: z.string(),
    runId: z.string(),
    status: EntryStatusEnum,
    headline: z.string(),
    warnings: z.array(StartWarningSchema).meta({ description: 'Empty unless the start needs saying plainly (see StartWarning)' }),
    links: EntryLinks,
  })
  .meta({ id: 'StartEntryResponse' });
export type StartEntryResponse = z.infer<typeof StartEntryResponse>;

const StageBriefSchema = z
  .object({
    stage: StageEnum,
    role: UserRoleEnum.optional(),
    owner: BodyEnum,
    state: StageStateEnum,
    attempts: z.number().int(),
    awaiting: BodyEnum.optional(),
    dueBy: CalendarDate.optional().meta({ description: 'SLA due date of the awaited decision' }),
    outcome: z.string().optional(),
  })
  .meta({ id: 'StageBrief', description: 'A stage in brief: where it stands and who it waits for (the full stage is in the entry, `links.self`)' });

export const UpdateResponse = z
  .object({
    record: AuditRecordSchema,
    duplicate: z.boolean().meta({ description: 'true for a retry of a decision or submission id already recorded: `record` is the first record, nothing changed, and the rest is the entry as it is now' }),
    status: EntryStatusEnum,
    version: z.number().int().meta({ description: "How many audit records the entry holds; grows by one with every recorded change" }),
    headline: z.string().meta({ description: 'One line: where the entry stands' }),
    awaitedBodies: z.array(BodyEnum),
    stage: orNull(StageBriefSchema).meta({ description: 'The stage the record names, as it now stands (null for a command on no stage)' }),
    openStages: z.array(StageBriefSchema).meta({ description: 'The stages awaiting someone now' }),
    links: EntryLinks,
  })
  .meta({
    id: 'UpdateResponse',
    description:
      'What an accepted command answers: its record and the change in brief, enough to render it and act next. The full entry (forecast, every stage, follow-ups) is one `GET links.self` away.',
  });
export type UpdateResponse = z.infer<typeof UpdateResponse>;


export const EntryListItem = z
  .object({
    entryId: z.string(),
    partyId: z.string(),
    partyName: z.string().nullable(),
    cohort: orNull(CohortEnum),
    roles: z.array(UserRoleEnum),
    status: orNull(EntryStatusEnum),
    awaitedBodies: z.array(BodyEnum),
    openStages: z.array(StageEnum),
    mandateDeadline: orNull(CalendarDate),
    nextDeadline: Instant.nullable(),
    atRisk: z.boolean(),
    inBreach: z.boolean(),
    startedAt: Instant.nullable(),
    closedAt: Instant.nullable(),
    links: EntryLinks,
  })
  .meta({ id: 'EntryListItem' });
export type EntryListItem = z.infer<typeof EntryListItem>;

export const EntryListResponse = z
  .object({
    items: z.array(EntryListItem),
    nextPageToken: z.string().nullable(),
    links: z.object({ self: z.url(), next: z.url().nullable() }),
  })
  .meta({ id: 'EntryListResponse' });
export type EntryListResponse = z.infer<typeof EntryListResponse>;

export const CommentResponse = z
  .object({ record: AuditRecordSchema, duplicate: z.boolean().meta({ description: 'true: a retry of this commentId; nothing was added' }) })
  .meta({ id: 'CommentResponse' });
export type CommentResponse = z.infer<typeof CommentResponse>;

export const ClaimResponse = z
  .object({
    partyId: z.string(),
    stage: StageEnum,
    role: UserRoleEnum.optional(),
    title: z.string(),
    claim: StageClaimSchema.nullable().meta({ description: 'Who works the stage now (null: nobody)' }),
    changed: z.boolean().meta({ description: 'false: it was so already, and nothing was written' }),
    record: AuditRecordSchema.nullable().meta({ description: 'The audit record written (CLAIMED or RELEASED), when changed' }),
  })
  .meta({ id: 'ClaimResponse' });
export type ClaimResponse = z.infer<typeof ClaimResponse>;

export const InboxItem = z
  .object({
    partyId: z.string(),
    partyName: z.string(),
    stage: StageEnum,
    role: UserRoleEnum.optional(),
    title: z.string(),
    awaiting: BodyEnum,
    state: StageStateEnum,
    awaitingSince: z.string().nullable(),
    dueBy: orNull(CalendarDate),
    meeting: AwaitedMeeting,
    overdue: z.boolean(),
    workingDaysLeft: z.number().int().nullable().meta({ description: 'Working days from today to the SLA due date (negative: overdue)' }),
    mandateDeadline: orNull(CalendarDate),
    atRisk: z.boolean().meta({ description: 'The entry is forecast to miss its mandate deadline' }),
    inBreach: z.boolean().meta({ description: 'The entry is past its mandate deadline' }),
    allowedOutcomes: z.array(AllowedOutcomeSchema),
    expected: z.string(),
    latestSubmission: LatestSubmissionSchema.optional(),
    claim: StageClaimSchema.nullable().meta({ description: 'Who of the awaited body works this stage now (null: nobody has claimed it)' }),
    links: EntryLinks,
  })
  .meta({ id: 'InboxItem' });
export type InboxItem = z.infer<typeof InboxItem>;

export const InboxResponse = z
  .object({
    body: orNull(BodyEnum),
    items: z.array(InboxItem),
  })
  .meta({ id: 'InboxResponse' });
export type InboxResponse = z.infer<typeof InboxResponse>;

/** What an `inbox` event of GET /v1/inbox/events carries, as JSON in its data. */
export const InboxSignal = z
  .object({
    body: orNull(BodyEnum).meta({ description: "Whose inbox (null: every body's, for OPS)" }),
    count: z.number().int().min(0).meta({ description: 'Stages awaiting it now' }),
    overdue: z.number().int().min(0).meta({ description: 'Of those, past their due date' }),
  })
  .meta({ id: 'InboxSignal' });
export type InboxSignal = z.infer<typeof InboxSignal>;

/** One event of the stream, as a Server-Sent Events reader parses it. */
export const InboxEvent = z
  .object({
    event: z.literal('inbox'),
    data: z.string().meta({ description: 'An InboxSignal as JSON: { body, count, overdue }', contentMediaType: 'application/json' }),
  })
  .meta({ id: 'InboxEvent' });

export { COMPLIANCE, type Compliance } from '../domain/read-model';

export const ComplianceRow = z
  .object({
    partyId: z.string(),
    partyName: z.string(),
    cohort: CohortEnum,
    status: EntryStatusEnum,
    roles: z.array(UserRoleEnum),
    rolesComplete: z.number().int(),
    mandateDeadline: orNull(CalendarDate),
    forecastCompletion: orNull(CalendarDate),
    completedAt: z.string().nullable(),
    atRisk: z.boolean(),
    inBreach: z.boolean(),
    compliance: z.enum(Object.values(COMPLIANCE)),
    awaitedBodies: z.array(BodyEnum),
    links: EntryLinks,
  })
  .meta({ id: 'ComplianceRow' });
export type ComplianceRow = z.infer<typeof ComplianceRow>;

export const ComplianceReport = z
  .object({
    generatedAt: Instant,
    totals: z.record(z.string(), z.number().int()),
    rows: z.array(ComplianceRow),
  })
  .meta({ id: 'ComplianceReport' });
export type ComplianceReport = z.infer<typeof ComplianceReport>;

export const CatalogueQuery = z
  .strictObject({
    version: z.string().max(32).optional().meta({ description: 'A catalogue version (default: the current one)', example: 'v1' }),
  })
  .meta({ id: 'CatalogueQuery' });

export const DurationSchema = z
  .object({
    workingDays: z.number().int().meta({ description: 'The number this deployment uses for new entries (a setting of an assumed duration, or the catalogue’s)' }),
    basis: z.enum(['SOURCED', 'ASSUMED']).meta({ description: 'SOURCED: a source states it (`source`). ASSUMED: no source does; the number is an assumption' }),
    source: z.string().nullable().meta({ description: 'SOURCED: what the source says, and where' }),
    setting: z.string().nullable().meta({ description: 'ASSUMED: the deployment setting (UEP_DURATION_SETTINGS) that sets it; null: the catalogue version fixes it' }),
    defaultWorkingDays: z.number().int().meta({ description: 'The catalogue’s number (the setting’s default)' }),
    note: z.string().nullable().meta({ description: 'ASSUMED: why no source gives it, or what the sources do say' }),
  })
  .meta({ id: 'CatalogueDuration' });

export const CatalogueStageSchema = z
  .object({
    id: StageEnum,
    title: z.string(),
    secRef: z.string().meta({ description: 'Where the SEC sets the stage out' }),
    level: z.enum(Object.values(STAGE_LEVEL)).meta({ description: 'PARTY: once per entry. ROLE: once per User Role sought.' }),
    appliesTo: z.array(UserRoleEnum),
    owner: BodyEnum.meta({ description: 'The body that decides the stage' }),
    dependsOn: z.array(StageEnum).meta({ description: 'Stages done first (a role-level dependency: of the same role)' }),
    dependsOnAllOthers: z.boolean().meta({ description: 'Waits for every other stage that applies to the role' }),
    partySubmitsFirst: z.boolean(),
    submission: z.string().nullable().meta({ description: 'What the Party submits before the decision, when it submits first' }),
    outcomes: z.array(
      AllowedOutcomeSchema.extend({ sharedResourceOnly: z.boolean().meta({ description: 'Only for a Party using a Shared Resource provider' }) }),
    ),
    slaWorkingDays: z.number().int().meta({ description: "The owner's response target once the Party has submitted, in working days" }),
    estimateWorkingDays: z.number().int().meta({ description: 'Whole-stage estimate used by the forecast, in working days' }),
    sla: DurationSchema.meta({ description: "The owner's response time once the Party has submitted: where it comes from" }),
    estimate: DurationSchema.meta({ description: 'The whole-stage estimate the forecast uses: where it comes from' }),
    completesRole: z.boolean(),
  })
  .meta({ id: 'CatalogueStage' });

export const CatalogueResponse = z
  .object({
    version: z.string(),
    current: z.boolean().meta({ description: 'Whether new entries start with this version' }),
    versions: z.array(z.string()).meta({ description: 'Every published version (an entry keeps the one it started with)' }),
    description: z.string(),
    stages: z.array(CatalogueStageSchema),
    defaultMandateDeadlines: z
      .array(z.object({ cohort: CohortEnum, deadline: CalendarDate.nullable().meta({ description: 'The last permitted day, or null: the cohort has no default' }) }))
      .meta({ description: "Each cohort's default mandate deadline under this version: what a start applies when it gives no mandateDeadline" }),
  })
  .meta({ id: 'CatalogueResponse' });
export type CatalogueResponse = z.infer<typeof CatalogueResponse>;

const MeetingSchema = z
  .strictObject({
    id: text(64, 'Stable across moves, e.g. PANEL-2027-01'),
    body: z.enum(['SEC_PANEL', 'SSC']).meta({ description: 'Whose meeting: the SEC Panel or its Security Sub-Committee' }),
    date: CalendarDate.meta({ description: "The meeting's date" }),
    papersBy: CalendarDate.meta({ description: 'The last day papers for it are taken' }),
    cancelled: z.boolean().optional(),
  })
  .meta({ id: 'Meeting' });

export const MeetingCalendarRequest = z
  .strictObject({
    version: z.number().int().min(1).meta({ description: 'The current version plus one' }),
    meetings: z.array(MeetingSchema).max(500),
  })
  .meta({
    id: 'MeetingCalendarRequest',
    example: { version: 2, meetings: [{ id: 'PANEL-2027-01', body: 'SEC_PANEL', date: '2027-01-14', papersBy: '2027-01-05' }] },
  });

export const MeetingCalendarResponse = z
  .object({
    version: z.number().int(),
    meetings: z.array(MeetingSchema),
    changedBy: z.string().nullable(),
    changedAt: z.string().nullable(),
    entriesHolding: z.number().int().meta({ description: 'Running entries of catalogue v2 on (v1 has no meetings) that hold this version, as the record shows them' }),
    entriesToTake: z
      .number()
      .int()
      .meta({ description: 'Running entries of catalogue v2 on still to take this version: its push (a Temporal workflow) is sending it to them, or the reconciler will' }),
  })
  .meta({ id: 'MeetingCalendarResponse' });
export type MeetingCalendarResponse = z.infer<typeof MeetingCalendarResponse>;

export const MeetingCalendarChangeResponse = z
  .object({
    calendar: MeetingCalendarResponse,
    push: z
      .object({
        workflowId: z.string().meta({ description: 'The push in the Temporal UI', example: 'uep-meetings-push-v4' }),
        started: z.boolean().meta({
          description: "Whether Temporal took the push's start. When false the version is kept all the same, and the reconciler's next pass (every 15 minutes by default) starts its push",
        }),
      })
      .meta({ description: 'The workflow that sends the version to the running entries, in the background' }),
  })
  .meta({ id: 'MeetingCalendarChangeResponse' });
export type MeetingCalendarChangeResponse = z.infer<typeof MeetingCalendarChangeResponse>;

export const PrincipalResponse = z
  .object({
    body: BodyEnum,
    id: z.string().meta({ example: 'dcc-1' }),
    partyId: z.string().optional().meta({ description: 'For a Party: the only party it acts for' }),
    name: z.string().optional().meta({ description: 'The named person behind the token or session' }),
    email: z.string().optional().meta({ description: 'Their email, as their identity provider knows it (console sign-ins)' }),
  })
  .meta({ id: 'PrincipalResponse' });
export type PrincipalResponse = z.infer<typeof PrincipalResponse>;

export const NoticeCadenceEnum = z
  .enum(['IMMEDIATE', 'DAILY_DIGEST'])
  .meta({ id: 'NoticeCadence', description: 'IMMEDIATE: each notice to you (a stage assigned to you) mailed at once; DAILY_DIGEST: one email a day listing what waits for you and your body' });

export const NoticeSettingsRequest = z
  .strictObject({ cadence: NoticeCadenceEnum })
  .meta({ id: 'NoticeSettingsRequest', example: { cadence: 'DAILY_DIGEST' } });
export type NoticeSettingsRequest = z.infer<typeof NoticeSettingsRequest>;

export const NoticeSettingsResponse = z
  .object({
    cadence: NoticeCadenceEnum,
    changedAt: Instant.nullable().meta({ description: 'When you last chose; null: never (the default, IMMEDIATE, applies)' }),
    email: z.string().nullable().meta({ description: 'Where your notices and digest go: the email your sign-in gave, or the one the record keeps for you; null: none known, so only your body\'s webhooks hear of a stage assigned to you' }),
  })
  .meta({ id: 'NoticeSettingsResponse' });
export type NoticeSettingsResponse = z.infer<typeof NoticeSettingsResponse>;

export const ColleaguesResponse = z
  .object({
    body: BodyEnum,
    colleagues: z
      .array(z.object({ id: z.string(), name: z.string().optional(), email: z.string().optional() }))
      .meta({ description: 'By name; you are not among them (to work a stage yourself, claim it)' }),
  })
  .meta({ id: 'ColleaguesResponse' });
export type ColleaguesResponse = z.infer<typeof ColleaguesResponse>;

export const MembershipEventSchema = z
  .object({
    action: z.enum(['INVITED', 'ACCEPTED', 'REMOVED']),
    at: z.string(),
    by: PrincipalResponse,
    email: z.string().nullable().meta({ description: 'INVITED, ACCEPTED: the address invited' }),
    subject: z.string().nullable().meta({ description: "ACCEPTED, REMOVED: the person's IdP subject" }),
  })
  .meta({ id: 'MembershipEvent' });
export type MembershipEventAnswer = z.infer<typeof MembershipEventSchema>;

export const AuditTrailResponse = z
  .object({
    partyId: z.string(),
    records: z.array(AuditRecordSchema),
    people: z
      .array(MembershipEventSchema)
      .meta({ description: "Every invitation, acceptance and removal of the Party's people (kept beside the workflow's records: they are not in its history), oldest first" }),
    links: EntryLinks,
  })
  .meta({ id: 'AuditTrailResponse' });
export type AuditTrailResponse = z.infer<typeof AuditTrailResponse>;

export const InvitationRequest = z
  .strictObject({ email: z.email().max(254).meta({ description: 'Where the invitation goes', example: 'sam@acme-energy.example' }) })
  .meta({ id: 'InvitationRequest' });
export type InvitationRequest = z.infer<typeof InvitationRequest>;

export const InvitationResponse = z
  .object({
    partyId: z.string(),
    email: z.string(),
    expiresAt: z.string().meta({ description: 'When the link stops working (ISO 8601)' }),
  })
  .meta({ id: 'InvitationResponse' });
export type InvitationResponse = z.infer<typeof InvitationResponse>;

export const MemberParams = z.strictObject({ partyId: PartyId, subject: z.string().min(1).max(255).meta({ description: "The person's IdP subject (sub)" }) });

export const MembersResponse = z
  .object({
    partyId: z.string(),
    members: z.array(
      z.object({
        subject: z.string().meta({ description: "The person's IdP subject (sub)" }),
        name: z.string(),
        email: z.string().nullable(),
        invitedBy: PrincipalResponse,
        acceptedAt: z.string(),
      }),
    ),
    events: z.array(MembershipEventSchema).meta({ description: "Every invitation, acceptance and removal of the Party's people, oldest first" }),
  })
  .meta({ id: 'MembersResponse' });
export type MembersResponse = z.infer<typeof MembersResponse>;

export const HealthResponse = z.object({ status: z.literal('ok') }).meta({ id: 'HealthResponse' });
export const ReadyResponse = z
  .object({
    status: z.literal('ok'),
    temporal: z.object({ namespace: z.string(), latencyMs: z.number() }),
    worker: z
      .object({ taskQueue: z.string(), workflowPollers: z.number().int(), activityPollers: z.number().int() })
      .meta({ description: 'Workers seen polling the task queue lately (Temporal task-queue description)' }),
    record: z.object({
      latencyMs: z.number(),
      recordLagMs: z.number().meta({ description: 'How far the record trailed the workflows over the last minute (ms): the largest gap between a transition and its row' }),
      catchUp: z.enum(['NOTICES', 'POLLING']).meta({
        description:
          "How this API process learns that the record holds a start or an accepted update before answering it: the record's notices, or polling the record every 25 ms (an embedded record, a pooler that does not carry LISTEN, or while the notices' connection is down)",
      }),
    }),
  })
  .meta({ id: 'ReadyResponse' });

export const AuditExportQuery = z
  .strictObject({
    from: CalendarDate.meta({ description: 'First day (UTC) of the records exported' }),
    to: CalendarDate.meta({ description: 'Last day (UTC) of the records exported, inclusive' }),
    format: z.enum(['csv', 'ndjson']).default('ndjson'),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] })
  .meta({ id: 'AuditExportQuery' });

/** Codes the API itself answers with; refusal codes from the workflow are added to these. */
export const API_ERROR = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  MALFORMED_JSON: 'MALFORMED_JSON',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  ENTRY_ALREADY_STARTED: 'ENTRY_ALREADY_STARTED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TEMPORAL_UNAVAILABLE: 'TEMPORAL_UNAVAILABLE',
  ENTRY_NOT_READY: 'ENTRY_NOT_READY',
  NO_WORKER: 'NO_WORKER',
  INVITATIONS_UNAVAILABLE: 'INVITATIONS_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;
export type ApiErrorCode = (typeof API_ERROR)[keyof typeof API_ERROR] | keyof typeof REFUSAL;

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.enum([...Object.values(API_ERROR), ...Object.values(REFUSAL)]),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })),
      requestId: z.string().optional(),
    }),
  })
  .meta({ id: 'Error', description: 'Every error, whatever its status' });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

// ---------------------------------------------------------------- drift guards (compile time)

type Assignable<From, To> = [From] extends [To] ? true : never;
/** A domain change that the response schemas do not follow fails to compile here. */
export const RESPONSE_SCHEMAS_MATCH_DOMAIN: [
  Assignable<EntrySummary, z.infer<typeof EntrySummarySchema>>,
  Assignable<AuditRecord, z.infer<typeof AuditRecordSchema>>,
  Assignable<StageSummary, z.infer<typeof StageSummarySchema>>,
] = [true, true, true];
