/** What is attached to a stage (a file, a comment) must name a stage the entry has. */
import { findStage, getCatalogue } from '../domain/catalogue';
import { roleInWords } from '../domain/notifications';
import { REFUSAL } from '../domain/types';
import type { StageId, UserRole } from '../domain/vocabulary';
import type { AppContext } from './context';
import { notFound, refusalError } from './errors';

/** Refuses (404, or 422 STAGE_NOT_APPLICABLE in words) unless the Party's entry has the stage, for the role if one is given. */
export async function requireStageOfEntry(ctx: Pick<AppContext, 'reads'>, partyId: string, ref: { stage: StageId; role?: UserRole | undefined }): Promise<void> {
  const entry = await ctx.reads.summary(partyId);
  if (!entry) throw notFound(`No entry for ${partyId}`);
  const stages = [...entry.partyStages, ...entry.roleStages.flatMap((r) => r.stages)];
  if (!stages.some((s) => s.stage === ref.stage && (s.role ?? undefined) === ref.role)) {
    const title = findStage(getCatalogue(entry.catalogueVersion), ref.stage)?.title ?? ref.stage;
    throw refusalError(REFUSAL.STAGE_NOT_APPLICABLE, `${entry.partyName}'s entry has no ${title}${ref.role ? ` for the ${roleInWords(ref.role)} role` : ''}: nothing was kept.`);
  }
}
