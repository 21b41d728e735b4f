/**
 * Claims in words: who works a waiting stage, as a refusal says it to an officer who finds the
 * stage with a colleague, or not waiting on their body at all.
 */
import { dayInWords } from './meetings';
import type { ClaimHolder } from './types';
import { BODY, type Body } from './vocabulary';
import { bodyInWords } from './wording';

/** '7 Dec 2026 at 10:14 UTC' */
function instantInWords(iso: string): string {
  return `${dayInWords(iso.slice(0, 10))} at ${iso.slice(11, 16)} UTC`;
}

/** 'Dana Smith (the DCC)', or the id where the sign-in gave no name. */
export function holderInWords(holder: ClaimHolder, body: Body): string {
  return `${holder.name ?? holder.id} (${bodyInWords(body)})`;
}

/** The refusal of a decision or a claim on a stage another officer holds. */
export function heldByOtherWords(stageTitle: string, holder: ClaimHolder, body: Body, claimedAt: string): string {
  return `${stageTitle} is with ${holderInWords(holder, body)}, who has had it since ${instantInWords(claimedAt)}: ask them, or take it over.`;
}

/** The refusal of a claim on a stage that does not wait on the asker's body. */
export function notWaitingOnWords(stageTitle: string, awaiting: Body | undefined, asker: Body): string {
  if (awaiting === undefined) return `${stageTitle} is not waiting on anyone now: there is nothing to claim.`;
  if (awaiting === BODY.PARTY) return `${stageTitle} is waiting on the Party: ${bodyInWords(asker)} can claim it once the Party has submitted.`;
  return `${stageTitle} is waiting on ${bodyInWords(awaiting)}, not ${bodyInWords(asker)}: only its officers claim it.`;
}
