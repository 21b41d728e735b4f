/**
 * What routers change in the record itself rather than through Temporal: a Party's people, the
 * meeting calendar, who works a waiting stage, the files and comments on stages, and how each person is told of work. Routers get it as `ctx.writes` and never see
 * the record itself.
 */
import type { MeetingCalendar } from '../domain/meetings';
import type { Principal } from '../domain/vocabulary';
import { addMeetingCalendar } from '../record/meetings';
import { removeMember } from '../record/party-members';
import type { NoticeCadence } from '../domain/person-notices';
import { setNoticeSetting, type NoticeSetting } from '../record/person-notices';
import { changeClaim, type ClaimChange, type StageRef } from '../record/stage-claims';
import { keepFile, type FileToKeep, type KeptFile } from '../record/evidence-files';
import { keepComment, type CommentToKeep, type KeptComment } from '../record/stage-comments';
import { invite, type InviteResult } from './invitations';
import type { RecordContext } from './record-context';

export type { ClaimChange, KeptFile, StageRef };

export interface RecordWrites {
  /** Mails an invitation to act for the Party, then keeps it. */
  invite(partyId: string, email: string, by: Principal): Promise<InviteResult>;
  /** False when nobody with that subject acts for the Party. */
  removeMember(partyId: string, subject: string, by: Principal): Promise<boolean>;
  /** False when the calendar's version is not the next one. */
  addMeetingCalendar(calendar: MeetingCalendar, by: Principal): Promise<boolean>;
  /** Gives the stage's current wait to `claimant` (null: nobody), as `by` asks (record/stage-claims.ts). */
  changeClaim(stage: StageRef, by: Principal, claimant: Principal | null, takeOver: boolean): Promise<ClaimChange>;
  /** Keeps a file for the Party's entry in progress, reading `content` once; what `content` throws keeps nothing. */
  attachFile(file: Omit<FileToKeep, 'at'>, content: AsyncIterable<Uint8Array>): Promise<KeptFile>;
  /** Adds a comment to a stage's thread (an audit record); the same id again answers the first. */
  comment(c: Omit<CommentToKeep, 'at'>): Promise<KeptComment>;
  /** Keeps how the principal chose to be told of work (record/person-notices.ts). */
  setNoticeSetting(principal: Principal, cadence: NoticeCadence): Promise<NoticeSetting>;
}

export function recordWritesOf({ record, config, now }: RecordContext): RecordWrites {
  return {
    invite: (partyId, email, by) => invite(record, config, partyId, email, by, new Date(now())),
    removeMember: (partyId, subject, by) => removeMember(record, partyId, subject, by, new Date(now())),
    addMeetingCalendar: (calendar, by) => addMeetingCalendar(record, calendar, by),
    changeClaim: (stage, by, claimant, takeOver) => changeClaim(record, stage, by, claimant, takeOver, new Date(now())),
    attachFile: (file, content) => keepFile(record, { ...file, at: new Date(now()) }, content),
    comment: (c) => keepComment(record, { ...c, at: new Date(now()) }),
    setNoticeSetting: (principal, cadence) => setNoticeSetting(record, principal, cadence, new Date(now())),
  };
}
