/**
 * The API's one door for queries, the twin of the gateway for commands: routers get it as
 * `ctx.reads` and never see the record itself. Every answer comes from the record (PostgreSQL),
 * as of the API's clock.
 */
import type { z } from 'zod';
import type { AuditRecord, EntryCommand, EntrySummary } from '../domain/types';
import type { Body, Principal, StageId, UserRole } from '../domain/vocabulary';
import type { RecordedCalendar } from '../record/meetings';
import { calendarReach, currentMeetingCalendar } from '../record/meetings';
import { membersOf, membershipEventsOf, type MembershipEvent, type PartyMember } from '../record/party-members';
import { auditBetween, recordLagMs, type ExportedAuditRecord } from '../record/read';
import { entryFiles, fileContent, fileOf, type StoredFile } from '../record/evidence-files';
import { knownEmailOf, noticeSettingOf, type NoticeSetting, type PersonRef } from '../record/person-notices';
import { knownPeople, type KnownPerson } from '../record/colleagues';
import { entryClaims, holderOf, stageClaim, type StageClaim, type StageRef, type WaitingStage } from '../record/stage-claims';
import { landedStart, landedUpdate } from './landed';
import type { RecordContext } from './record-context';
import { listRecorded, recordedResetNotice, recordedSummary, recordedTrail, type ListedEntry } from './record-reads';
import { complianceRows, inboxJson, type RenderedComplianceRow } from './rendered-reads';
import type { AttachedFileSchema, EntryResponse, MeetingCalendarResponse, RunResetNoticeSchema, StageClaimSchema } from './schemas';
import { fileLink } from './links';
import type { EntryFilters } from './entry-filters';
import type { UpdateAnswer } from './temporal/gateway';

export type { ExportedAuditRecord, MembershipEvent, PartyMember, RecordedCalendar, RenderedComplianceRow };

export interface EntryReads {
  /** How the person chose to be told (the default when never), and the email the record knows for them. */
  noticeSetting(person: PersonRef): Promise<NoticeSetting & { email: string | undefined }>;
  /** The entry as of now; null when the record has not heard of it. */
  summary(partyId: string): Promise<EntrySummary | null>;
  /** The entry's last reset in Temporal, in words; null when its run chain was never reset. */
  resetNotice(partyId: string): Promise<z.infer<typeof RunResetNoticeSchema> | null>;
  /** The audit trail across runs; null when the record has not heard of the entry. */
  trail(partyId: string): Promise<AuditRecord[] | null>;
  /** One page of entries, in entry id order, after the page token. */
  list(filters: EntryFilters, limit: number, pageToken?: string): Promise<{ entries: ListedEntry[]; nextPageToken: string | null }>;
  /** A body's inbox (null: every body's; partyId: one Party's), as the InboxResponse's JSON text. */
  inboxJson(body: Body | null, partyId?: string): Promise<string>;
  /** Every entry against its mandate deadline (unsorted). */
  complianceRows(): Promise<RenderedComplianceRow[]>;
  /** Every audit record of every entry written in [from, to), read in batches. */
  auditBetween(from: Date, to: Date): AsyncGenerator<ExportedAuditRecord>;
  membershipEvents(partyId: string): Promise<MembershipEvent[]>;
  members(partyId: string): Promise<PartyMember[]>;
  /** The meeting calendar in force; null before the first. */
  meetingCalendar(): Promise<RecordedCalendar | null>;
  /** The meeting calendar in force and how many running entries hold it and are still to take it. */
  meetingCalendarAnswer(): Promise<MeetingCalendarResponse>;
  /** The stage as it waits now and who has claimed that wait; null when it waits on nobody. */
  stageClaim(stage: StageRef): Promise<{ stage: WaitingStage; claim: StageClaim | undefined } | null>;
  /** The people of the body the record knows, by name. */
  colleagues(body: Body): Promise<KnownPerson[]>;
  /** Who works each claimed stage of the Party's entry in progress. */
  claims(partyId: string): Promise<EntryResponse['claims']>;
  /** The files attached to the Party's entries, oldest first. */
  files(partyId: string): Promise<z.infer<typeof AttachedFileSchema>[]>;
  /** One file of the Party's entries; undefined for another Party's, or none. */
  file(partyId: string, fileId: string): Promise<StoredFile | undefined>;
  /** A file's content, read a few chunks at a time. */
  fileContent(fileId: string): AsyncGenerator<Uint8Array>;
  /** How far the record is behind Temporal. */
  lagMs(): Promise<number>;
  /** Past Temporal's deadline: the start as the record holds it (waiting up to RECORD_CATCH_UP_MS), or null. */
  landedStart(partyId: string, principal: Principal, sentAt: number): Promise<{ runId: string; headline: string } | null>;
  /** Past Temporal's deadline: the update as the record holds it (waiting up to RECORD_CATCH_UP_MS), or null. */
  landedUpdate(partyId: string, command: EntryCommand, sentAt: number): Promise<UpdateAnswer | null>;
}

/** A claim as the API answers it: who works the stage, who gave it to them, since when. */
export function claimAnswer(c: StageClaim): z.infer<typeof StageClaimSchema> {
  return { claimant: holderOf(c.claimant), claimedBy: holderOf(c.claimedBy), claimedAt: c.claimedAt };
}

export function fileAnswer(config: RecordContext['config'], partyId: string, f: StoredFile): z.infer<typeof AttachedFileSchema> {
  const by: Principal = f.uploadedBy;
  return {
    id: f.id,
    name: f.name,
    contentType: f.contentType,
    size: f.size,
    sha256: f.sha256,
    stage: f.stage as z.infer<typeof AttachedFileSchema>['stage'],
    ...(f.role ? { role: f.role as NonNullable<z.infer<typeof AttachedFileSchema>['role']> } : {}),
    uploadedBy: { body: by.body, id: by.id, ...(by.name !== undefined ? { name: by.name } : {}) },
    uploadedAt: f.uploadedAt,
    links: { download: fileLink(config, partyId, f.id) },
  };
}

export function entryReadsOf(ctx: RecordContext): EntryReads {
  const { record } = ctx;
  return {
    summary: (partyId) => recordedSummary(ctx, partyId),
    resetNotice: (partyId) => recordedResetNotice(ctx, partyId),
    trail: (partyId) => recordedTrail(ctx, partyId),
    list: (filters, limit, pageToken) => listRecorded(ctx, filters, limit, pageToken),
    inboxJson: (body, partyId) => inboxJson(ctx, body, partyId),
    complianceRows: () => complianceRows(ctx),
    auditBetween: (from, to) => auditBetween(record, from, to),
    membershipEvents: (partyId) => membershipEventsOf(record, partyId),
    members: (partyId) => membersOf(record, partyId),
    meetingCalendar: () => currentMeetingCalendar(record),
    async meetingCalendarAnswer() {
      const current = await currentMeetingCalendar(record);
      const reach = await calendarReach(record, current?.version ?? 0);
      return { ...(current ?? { version: 0, meetings: [], changedBy: null, changedAt: null }), entriesHolding: reach.holding, entriesToTake: reach.toTake };
    },
    stageClaim: async (stage) => (await stageClaim(record, stage)) ?? null,
    colleagues: (body) => knownPeople(record, body),
    noticeSetting: async (person) => ({ ...(await noticeSettingOf(record, person)), email: await knownEmailOf(record, person) }),
    claims: async (partyId) => (await entryClaims(record, partyId)).map((c) => ({ stage: c.stage as StageId, ...(c.role ? { role: c.role as UserRole } : {}), claim: claimAnswer(c) })),
    files: async (partyId) => (await entryFiles(record, partyId)).map((f) => fileAnswer(ctx.config, partyId, f)),
    file: (partyId, fileId) => fileOf(record, partyId, fileId),
    fileContent: (fileId) => fileContent(record, fileId),
    lagMs: () => recordLagMs(record),
    landedStart: (partyId, principal, sentAt) => landedStart(ctx, partyId, principal, sentAt),
    landedUpdate: (partyId, command, sentAt) => landedUpdate(ctx, partyId, command, sentAt),
  };
}
