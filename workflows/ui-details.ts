import type { EntrySummary, StageSummary } from '../domain/types';
import { stagesOf } from '../domain/read-model';
import { STAGE_STATE } from '../domain/vocabulary';

function stageLine(s: StageSummary): string {
  const where = s.role ? `${s.stage} (${s.role})` : s.stage;
  const due = s.dueBy ? `, due ${s.dueBy}` : '';
  return `| ${where} | ${s.state} | ${s.awaiting ?? ''}${due} |`;
}

/** 'YYYY-MM-DD HH:MM UTC' */
const minute = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The entry's current details in the Temporal Web UI: where it stands and who is awaited, as of
 * `asOfMs` (its last change): set then, they stand still while the entry sleeps, so they say when.
 */
export function entryDetailsMarkdown(summary: EntrySummary, asOfMs: number): string {
  const flags = [summary.atRisk ? '**at risk**' : '', summary.inBreach ? '**in breach**' : ''].filter(Boolean).join(', ');
  const open = stagesOf(summary).filter((s) => s.state !== STAGE_STATE.DONE);
  return [
    `**${summary.headline}**`,
    '',
    `Status: ${summary.status}${flags ? ` (${flags})` : ''} · mandate deadline: ${summary.mandateDeadline ?? 'none'} · forecast: ${summary.forecastCompletion ?? 'n/a'}`,
    '',
    `As of ${minute(asOfMs)}, the entry's last change; for now, query getStatus with {"asOf": "<ISO instant>"}.`,
    '',
    '| stage | state | awaiting |',
    '|---|---|---|',
    ...open.map(stageLine),
  ].join('\n');
}
