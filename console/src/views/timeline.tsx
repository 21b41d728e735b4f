/**
 * The entry's timeline: each role's stages against the mandate deadline. Done stages sit on the day
 * they were decided; open stages run from when they opened to their SLA due date, or to the meeting
 * their decision is taken at (its paper cut-off ticked, the meeting named as the inbox names it), or
 * to today while the Party is awaited; each role's forecast is marked, and everything past the
 * deadline is shaded.
 */
import type { EntrySummary, StageSummary } from '../api';
import { day, meetingInWords, today, words } from '../format';

const DAY_MS = 86_400_000;
const ROW = 26;
const LABEL = 230;
const WIDTH = 1000;
const TOP = 34;

const COLOUR = { done: '#1e6b3a', decision: '#1d4e89', party: '#b86e00', overdue: '#a4161a', forecast: '#6a3d9a', deadline: '#a4161a', today: '#1b1f24', grid: '#e3e7ec', breach: '#fde7e7' };

const ms = (date: string) => Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date);

interface Row {
  label: string;
  group?: boolean;
  stage?: StageSummary;
  forecast?: string | null;
  completedAt?: string;
}

function rowsOf(entry: EntrySummary): Row[] {
  const rows: Row[] = [{ label: 'Party-level stages', group: true }];
  for (const s of entry.partyStages) rows.push({ label: s.title, stage: s });
  for (const r of entry.roleStages) {
    rows.push({ label: words(r.role), group: true, forecast: r.forecast, ...(r.completedAt ? { completedAt: r.completedAt } : {}) });
    for (const s of r.stages) rows.push({ label: s.title, stage: s });
  }
  return rows;
}

function monthTicks(from: number, to: number): number[] {
  const ticks: number[] = [];
  const d = new Date(from);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + 1);
  const stepMonths = Math.max(1, Math.ceil((to - from) / DAY_MS / 30 / 12));
  while (d.getTime() <= to) {
    ticks.push(d.getTime());
    d.setUTCMonth(d.getUTCMonth() + stepMonths);
  }
  return ticks;
}

export function Timeline({ entry }: { entry: EntrySummary }) {
  const now = ms(today());
  const rows = rowsOf(entry);
  const stages = [...entry.partyStages, ...entry.roleStages.flatMap((r) => r.stages)];
  const dates = [
    ms(entry.startedAt),
    now,
    ...stages.flatMap((s) => [s.doneAt, s.dueBy, s.awaitingSince].filter((d): d is string => !!d).map(ms)),
    ...[entry.mandateDeadline, entry.forecastCompletion, ...entry.roleStages.map((r) => r.forecast)].filter((d): d is string => !!d).map(ms),
  ].filter((n) => !Number.isNaN(n));
  const span = Math.max(...dates) - Math.min(...dates) || 30 * DAY_MS;
  const from = Math.min(...dates) - span * 0.04;
  const to = Math.max(...dates) + span * 0.06;
  const x = (t: number) => LABEL + ((t - from) / (to - from)) * (WIDTH - LABEL - 10);
  const height = TOP + rows.length * ROW + 10;
  const deadline = entry.mandateDeadline ? ms(entry.mandateDeadline) : null;
  const forecast = entry.forecastCompletion ? ms(entry.forecastCompletion) : null;

  const description = [
    `Started ${day(entry.startedAt)}.`,
    entry.mandateDeadline ? `Mandate deadline ${day(entry.mandateDeadline)}.` : 'No mandate deadline.',
    entry.forecastCompletion ? `Forecast completion ${day(entry.forecastCompletion)}.` : '',
    `${stages.filter((s) => s.state === 'DONE').length} of ${stages.length} stages done.`,
    ...stages.flatMap((s) => (s.state === 'AWAITING_DECISION' && s.meeting ? [`${s.title}: ${words(s.owner)} to decide at the ${meetingInWords(s.meeting)}.`] : [])),
  ]
    .filter((sentence) => sentence !== '')
    .join(' ');

  return (
    <figure class="timeline-figure" tabIndex={0} aria-label="Timeline (scrolls sideways on a narrow screen)">
      <svg class="timeline" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby="timeline-title timeline-desc">
        <title id="timeline-title">Timeline of {entry.partyName}'s stages against the mandate deadline</title>
        <desc id="timeline-desc">{description}</desc>
        {deadline !== null && deadline < to && <rect x={x(deadline)} y={TOP - 8} width={Math.max(0, WIDTH - 10 - x(deadline))} height={height - TOP} fill={COLOUR.breach} />}
        <g class="axis">
          {monthTicks(from, to).map((t) => (
            <g key={t}>
              <line x1={x(t)} x2={x(t)} y1={TOP - 8} y2={height - 4} stroke={COLOUR.grid} />
              <text x={x(t) + 3} y={TOP - 14}>
                {new Date(t).toLocaleDateString('en-GB', { month: 'short', year: '2-digit', timeZone: 'UTC' })}
              </text>
            </g>
          ))}
        </g>
        {rows.map((row, i) => {
          const y = TOP + i * ROW + ROW / 2;
          const s = row.stage;
          return (
            <g key={`${i}-${row.label}`}>
              <text x={row.group ? 6 : 18} y={y + 4} font-weight={row.group ? '700' : '400'}>
                {row.label.length > 30 ? `${row.label.slice(0, 29)}…` : row.label}
              </text>
              {row.group && row.completedAt && <circle cx={x(ms(row.completedAt))} cy={y} r={6} fill={COLOUR.done} />}
              {row.group && !row.completedAt && row.forecast && (
                <g>
                  <line x1={x(ms(row.forecast))} x2={x(ms(row.forecast))} y1={y - 8} y2={y + 8} stroke={COLOUR.forecast} stroke-width={3} />
                  <text x={x(ms(row.forecast)) + 6} y={y + 4} fill={COLOUR.forecast}>
                    forecast {day(row.forecast)}
                  </text>
                </g>
              )}
              {s?.state === 'DONE' && s.doneAt && <path d={diamond(x(ms(s.doneAt)), y)} fill={COLOUR.done} />}
              {s?.state === 'AWAITING_DECISION' && s.awaitingSince && s.meeting && (
                <g class="awaited-meeting">
                  <rect x={x(ms(s.awaitingSince))} y={y - 6} width={Math.max(3, x(ms(s.meeting.date)) - x(ms(s.awaitingSince)))} height={12} rx={3} fill={ms(s.meeting.date) < now ? COLOUR.overdue : COLOUR.decision} opacity={0.85} />
                  <line x1={x(ms(s.meeting.papersBy))} x2={x(ms(s.meeting.papersBy))} y1={y - 9} y2={y + 9} stroke={COLOUR.today} stroke-width={2} />
                  <text y={y + 4} {...labelBeside(x(ms(s.awaitingSince)), x(ms(s.meeting.date)), meetingInWords(s.meeting))}>
                    {meetingInWords(s.meeting)}
                  </text>
                </g>
              )}
              {s?.state === 'AWAITING_DECISION' && s.awaitingSince && s.dueBy && !s.meeting && (
                <g>
                  <rect x={x(ms(s.awaitingSince))} y={y - 6} width={Math.max(3, x(ms(s.dueBy)) - x(ms(s.awaitingSince)))} height={12} rx={3} fill={ms(s.dueBy) < now ? COLOUR.overdue : COLOUR.decision} opacity={0.85} />
                  <text x={x(ms(s.dueBy)) + 6} y={y + 4}>
                    {words(s.owner)} due {day(s.dueBy)}
                  </text>
                </g>
              )}
              {s?.state === 'AWAITING_PARTY' && s.awaitingSince && (
                <g>
                  <rect x={x(ms(s.awaitingSince))} y={y - 6} width={Math.max(3, x(now) - x(ms(s.awaitingSince)))} height={12} rx={3} fill={COLOUR.party} opacity={0.85} />
                  <text x={x(now) + 6} y={y + 4}>
                    with the Party
                  </text>
                </g>
              )}
            </g>
          );
        })}
        <line x1={x(now)} x2={x(now)} y1={TOP - 8} y2={height - 4} stroke={COLOUR.today} stroke-width={1.5} />
        {forecast !== null && <line x1={x(forecast)} x2={x(forecast)} y1={TOP - 8} y2={height - 4} stroke={COLOUR.forecast} stroke-width={2} stroke-dasharray="5 4" />}
        {deadline !== null && (
          <g>
            <line x1={x(deadline)} x2={x(deadline)} y1={TOP - 8} y2={height - 4} stroke={COLOUR.deadline} stroke-width={2.5} />
            <text x={x(deadline) - 4} y={12} fill={COLOUR.deadline} font-weight="700" text-anchor="end">
              Mandate deadline {day(entry.mandateDeadline)}
            </text>
          </g>
        )}
      </svg>
      <figcaption class="legend">
        <span class="sw-done">done (on the day decided)</span>
        <span class="sw-decision">awaiting a decision, to its SLA due date or the meeting it is taken at (its paper cut-off ticked)</span>
        <span class="sw-overdue">overdue</span>
        <span class="sw-party">with the Party</span>
        <span class="sw-forecast">forecast</span>
        <span class="sw-breach">past the mandate deadline</span>
      </figcaption>
    </figure>
  );
}

/** An approximate width of `text` at the timeline's 12px. */
const textWidth = (text: string) => text.length * 6.4;

/**
 * Where a bar's label goes: after the bar's end when it fits in the figure, else inside the bar
 * (white on it) when the bar is long enough, else before the bar's start.
 */
function labelBeside(start: number, end: number, text: string): { x: number; 'text-anchor'?: 'end'; fill?: string } {
  const width = textWidth(text);
  if (end + 6 + width <= WIDTH) return { x: end + 6 };
  if (end - start - 12 >= width) return { x: end - 6, 'text-anchor': 'end', fill: '#ffffff' };
  return { x: Math.max(LABEL + width, start - 6), 'text-anchor': 'end' };
}

function diamond(cx: number, cy: number): string {
  return `M${cx} ${cy - 7}L${cx + 7} ${cy}L${cx} ${cy + 7}L${cx - 7} ${cy}Z`;
}
