/**
 * Rules versions: how the engine's own conventions (not the catalogue's data) apply to an entry.
 * An entry records the version it runs under; an entry without one runs under version 1. The
 * workflow moves an entry onto a newer version only behind `patched()` (docs/versioning.md), so
 * a history written under older rules replays unchanged. What each version changes:
 * docs/domain.md, "Rules versions".
 */
import type { EntryState } from './state';

export const RULES_VERSION = {
  /** The first rules. */
  V1: 1,
  /**
   * The next deadline is the next thing due (never a passed date); weekly breach reminders on
   * working days; a rework never shortens the forecast; a deadline amendment is one message.
   */
  V2: 2,
  /**
   * The Party is told what it can act on: its entry started (what comes first), its turn to
   * submit, and a decision on its stage that sends the stage back to it (REJECTED, DEFERRED, FAILED).
   */
  V3: 3,
  /**
   * The Party is told of its own breach, in a notice written for it; an entry in breach is never
   * told it is at risk (nor back on track): the breach notices say where it stands. The ops view's
   * next deadline (UepNextDeadline) is the instant of the entry's next wake-up.
   */
  V4: 4,
  /**
   * An outcome that `restartsFrom` an earlier stage starts over from it: catalogue v2's security
   * status REJECTED opens SECURITY_FIELDWORK again (a new booking, fieldwork and report) and the
   * status stage waits for it; under version 4 only a new Response was asked for. A stage that opens
   * again keeps counting its attempts.
   */
  V5: 5,
  /**
   * The bodies are told when work arrives: a stage that starts awaiting its owner's decision (the
   * DCC, the SEC Panel, SECAS) sends that body a DECISION_DUE notice, once per attempt.
   */
  V6: 6,
  /**
   * Words, not codes: the headline, the notices' subjects and bodies, what a stage expects, the
   * next deadline's description and the start's audit details name bodies, stages, roles and
   * outcomes in words and write dates as people do ('the DCC (User ID acceptance for Gas Supplier,
   * due 14 Dec 2026)'). Texts only: ids, recipients, search attributes and wake-ups are version 6's.
   */
  V7: 7,
} as const;
export type RulesVersion = (typeof RULES_VERSION)[keyof typeof RULES_VERSION];

export const CURRENT_RULES_VERSION: RulesVersion = RULES_VERSION.V7;

export function rulesOf(state: Pick<EntryState, 'rulesVersion'>): RulesVersion {
  return state.rulesVersion ?? RULES_VERSION.V1;
}

/** True when the entry runs under `version` or a later one. */
export function rulesAtLeast(state: Pick<EntryState, 'rulesVersion'>, version: RulesVersion): boolean {
  return rulesOf(state) >= version;
}
