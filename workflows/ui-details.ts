import type { EntrySummary, StageSummary } from '../domain/types';
import { stagesOf } from '../domain/read-model';
import { STAGE_STATE } from '../domain/vocabulary';

function stageLine(s: StageSummary): string {
  const where = s.role ? `${s.stage} (${s.role})` : s.stage;
  const due = s.dueBy ? `, due ${s.dueBy}` : '';
  return `| ${where} | ${s.state} | ${s.awaiting ?? ''}${due} |`;
}

/** The entry's current details in the Temporal Web UI: where it stands and who is awaited. */
export function entryDetailsMarkdown(summary: EntrySummary): string {
  const flags = [summary.atRisk ? '**at risk**' : '', summary.inBreach ? '**in breach**' : ''].filter(Boolean).join(', ');
  const open = stagesOf(summary).filter((s) => s.state !== STAGE_STATE.DONE);
  return [
    `**${summary.headline}**`,
    '',
    `Status: ${summary.status}${flags ? ` (${flags})` : ''} · mandate deadline: ${summary.mandateDeadline ?? 'none'} · forecast: ${summary.forecastCompletion ?? 'n/a'}`,
    '',
    '| stage | state | awaiting |',
    '|---|---|---|',
    ...open.map(stageLine),
  ].join('\n');
}
