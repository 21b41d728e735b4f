/**
 * One entry: where it stands, its timeline, every stage with what it waits for, the forms the
 * signed-in user may act with (decide, submit, amend the deadline), follow-up conditions and the
 * audit trail. A Party sees the same page for its own entry, with what is awaited from it first.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, type EntrySummary, type Principal, type StageSummary } from '../api';
import { day, dayTime, expectedInWords, plural, startInWords, words } from '../format';
import { useInboxChanges } from '../live-inbox';
import { useLoad } from '../load';
import { href, NAVIGATED } from '../router';
import { Badge, Loading, Page, Problem, RiskBadges } from '../ui';
import type { AuditRecord } from '../conversation';
import { AlreadyDecided, DecidedBy } from './conversation';
import { ClaimLine, claimInWords, type Colleague, type StageClaim } from './claim';
import { AttachFile, StageFiles, type AttachedFile } from './files';
import { mayComment, StageThread } from './thread';
import { DecisionRecorded } from './decision-recorded';
import { DownloadButton } from '../download';
import { AddRoleForm, mayAddRole, mayWithdraw, WithdrawForm } from './entry-actions';
import { AmendDeadlineForm, DecideForm, SubmitForm } from './forms';
import { takeStartWarnings } from './start-entry';
import { stageKey } from './inbox';
import { Timeline } from './timeline';

const STATE_BADGE: Record<string, { tone: 'ok' | 'warn' | 'info' | 'muted'; label: string }> = {
  DONE: { tone: 'ok', label: 'Done' },
  AWAITING_DECISION: { tone: 'info', label: 'Awaiting decision' },
  AWAITING_PARTY: { tone: 'warn', label: 'Awaiting the Party' },
  BLOCKED: { tone: 'muted', label: 'Not started' },
};

const canSubmit = (p: Principal) => p.body === 'PARTY' || p.body === 'SECAS';
const canAmend = (p: Principal) => p.body === 'OPS' || p.body === 'SECAS';
/** The bodies that decide stages: their officers claim and assign them. */
const DECIDING_BODIES: readonly string[] = ['DCC', 'SEC_PANEL', 'SECAS'];

/** A claim's change in words: 'to Dana Smith, from Sam Lee'. */
function claimDetail(a: AuditRecord): string {
  const name = (h: { id: string; name?: string } | undefined) => (h ? (h.name ?? h.id) : undefined);
  const to = a.action === 'CLAIMED' ? `to ${name(a.assignee)}` : a.action === 'RELEASED' ? 'back to the queue' : '';
  return to && a.previousAssignee ? `${to}, from ${name(a.previousAssignee)}` : to;
}

/** An attached file in words: 'fusa-report.pdf, SHA-256 9f86d0…'. */
const fileDetail = (a: AuditRecord) => (a.file ? `${a.file.name}, SHA-256 ${a.file.sha256}` : '');

function allStages(entry: EntrySummary): StageSummary[] {
  return [...entry.partyStages, ...entry.roleStages.flatMap((r) => r.stages)];
}

interface StageItemProps {
  s: StageSummary;
  entry: EntrySummary;
  principal: Principal;
  reload: () => void;
  /** false where the same stage's form is already shown higher up the page (a Party's "What we need from you") */
  forms?: boolean;
  /** The entry's audit trail: the conversation on each stage */
  records: readonly AuditRecord[] | undefined;
  /** Who decided this stage first, when this person's decision came too late */
  stale?: string;
  onStale: (text: string) => void;
  onRecorded: (text: string) => void;
  /** Who of the deciding body works this stage, when someone has claimed it */
  claim?: StageClaim | undefined;
  /** The files attached to this stage */
  files: readonly AttachedFile[];
  /** The largest file the service keeps */
  fileMaxBytes?: number | undefined;
  /** The reader's colleagues, whom a stage awaiting their body can be given to */
  colleagues: readonly Colleague[];
}

function StageItem({ s, entry, principal, reload, forms = true, records, stale, onStale, onRecorded, claim, files, fileMaxBytes, colleagues }: StageItemProps) {
  const badge = STATE_BADGE[s.state] ?? { tone: 'muted' as const, label: s.state };
  const open = entry.status === 'IN_PROGRESS';
  const mayDecide = forms && open && s.state === 'AWAITING_DECISION' && principal.body === s.owner;
  const maySubmit = forms && open && s.state === 'AWAITING_PARTY' && canSubmit(principal);
  return (
    <li id={forms ? stageKey(s.stage, s.role) : undefined}>
      <div class="stage-head">
        <h3>
          {s.title}
          {s.role ? ` — ${words(s.role)}` : ''}
        </h3>
        <Badge tone={badge.tone}>{badge.label}</Badge>
        {s.dueBy && s.state === 'AWAITING_DECISION' && <span class="small">due {day(s.dueBy)}</span>}
        {s.attempts > 1 && <span class="small muted">attempt {s.attempts}</span>}
      </div>
      <div class="small muted">
        {words(s.owner)} decides · SEC {s.secRef}
        {s.outcome && ` · ${words(s.outcome)}${s.doneAt ? ` on ${day(s.doneAt)}` : ''}`}
      </div>
      {s.expected && <div class="small">{expectedInWords(s)}</div>}
      {s.latestSubmission && !mayDecide && (
        <div class="small">
          Submitted: <strong>{s.latestSubmission.reference}</strong> ({day(s.latestSubmission.at)}){s.latestSubmission.comment ? ` — “${s.latestSubmission.comment}”` : ''}
        </div>
      )}
      {s.state === 'DONE' && <DecidedBy stage={s} records={records} conditions={entry.followUps.some((f) => f.stage === s.stage && (f.role ?? null) === (s.role ?? null))} />}
      {forms && stale && <AlreadyDecided text={stale} />}
      <StageFiles partyId={entry.partyId} files={files} />
      {mayDecide && <ClaimLine partyId={entry.partyId} stage={s.stage} role={s.role} title={s.title} claim={claim} principal={principal} onChanged={reload} colleagues={colleagues} />}
      {!mayDecide && claim && open && <div class="claim-line small"><strong>Worked by:</strong> {claimInWords(claim, principal)}.</div>}
      {mayDecide && <DecideForm key={`d-${s.stage}-${s.role ?? ''}-${s.attempts}`} partyId={entry.partyId} stage={s} records={records} onRecorded={onRecorded} onStale={onStale} />}
      {maySubmit && <SubmitForm key={`s-${s.stage}-${s.role ?? ''}-${s.attempts}`} partyId={entry.partyId} stage={s} records={records} onDone={reload} {...(principal.body === 'PARTY' ? {} : { onBehalfOf: entry.partyName })} />}
      {(mayDecide || maySubmit) && <AttachFile partyId={entry.partyId} stage={s.stage} role={s.role} title={s.title} maxBytes={fileMaxBytes} onDone={reload} />}
      {forms && <StageThread partyId={entry.partyId} stage={s} records={records} canAdd={open && mayComment(principal) && (s.state === 'AWAITING_PARTY' || s.state === 'AWAITING_DECISION')} onAdded={reload} />}
    </li>
  );
}

export function EntryView({ partyId, principal }: { partyId: string; principal: Principal }) {
  const loaded = useLoad(() => api.GET('/v1/entries/{partyId}', { params: { path: { partyId } } }), partyId);
  const audit = useLoad(() => api.GET('/v1/entries/{partyId}/audit-trail', { params: { path: { partyId } } }), partyId);
  const team = useLoad(() => (DECIDING_BODIES.includes(principal.body) ? api.GET('/v1/colleagues') : Promise.resolve({ data: { body: principal.body, colleagues: [] } })), principal.body);
  const reload = useCallback(() => {
    loaded.reload();
    audit.reload();
  }, [loaded.reload, audit.reload]);
  const entry = loaded.data?.entry;
  /** What the start of this entry warned about, when this person has just started it */
  const [warnings] = useState(() => takeStartWarnings(partyId));
  /** Stages whose decision came too late, by key: who decided first and when, in words. */
  const [stale, setStale] = useState<Record<string, string>>({});
  /** What this person just decided, in words */
  const [recorded, setRecorded] = useState<string>();
  const onRecorded = (text: string) => {
    setRecorded(text);
    reload();
  };
  const conversation = (s: StageSummary) => {
    const key = stageKey(s.stage, s.role);
    return {
      onRecorded,
      claim: loaded.data?.claims.find((c) => c.stage === s.stage && (c.role ?? null) === (s.role ?? null))?.claim,
      files: (loaded.data?.files ?? []).filter((f) => f.stage === s.stage && (f.role ?? null) === (s.role ?? null)),
      fileMaxBytes: loaded.data?.fileMaxBytes,
      colleagues: team.data?.colleagues ?? [],
      records: audit.data?.records,
      stale: stale[key],
      onStale: (text: string) => {
        setStale((was) => ({ ...was, [key]: text }));
        reload(); // the stale form goes once the entry, read again, no longer waits for this decision
      },
    };
  };

  // A link to one stage (from the inbox, an email, or "Next item" on this same entry) scrolls to it
  // once the entry, read again, shows it.
  const scrollTo = useRef(location.hash);
  useEffect(() => {
    const here = location.pathname;
    const onMove = () => {
      if (location.pathname !== here) return; // another page: this view goes
      scrollTo.current = location.hash;
      setRecorded(undefined);
      reload();
    };
    window.addEventListener(NAVIGATED, onMove);
    return () => window.removeEventListener(NAVIGATED, onMove);
  }, []);
  useEffect(() => {
    const target = scrollTo.current ? document.getElementById(decodeURIComponent(scrollTo.current.slice(1))) : null;
    if (!entry || !target) return;
    target.scrollIntoView({ block: 'center' });
    scrollTo.current = '';
  }, [loaded.data]);
  // a decider's page follows what arrives (the Party's submission opens the decide form)
  useInboxChanges(reload);

  if (!entry) {
    return (
      <Page title={`Entry ${partyId}`}>
        {loaded.error ? <Problem>{loaded.error}</Problem> : <Loading />}
      </Page>
    );
  }

  const stages = allStages(entry);
  const mine = principal.body === 'PARTY' ? stages.filter((s) => s.state === 'AWAITING_PARTY' && entry.status === 'IN_PROGRESS') : [];
  const done = stages.filter((s) => s.state === 'DONE').length;
  const statusTone = entry.status === 'COMPLETE' ? 'ok' : entry.status === 'WITHDRAWN' ? 'muted' : 'info';

  return (
    <Page
      title={entry.partyName}
      lead={entry.headline}
      actions={
        <>
          {(principal.body === 'OPS' || principal.body === 'SECAS') && (
            <a class="button secondary" href={href(`/entries/${encodeURIComponent(partyId)}/people`)}>
              People
            </a>
          )}
          {principal.body === 'OPS' && (
            <a class="button secondary" href={loaded.data?.links.temporalUi} target="_blank" rel="noopener">
              Open in Temporal UI
            </a>
          )}
          <button type="button" class="secondary" onClick={reload}>
            Refresh
          </button>
        </>
      }
    >
      {recorded && <DecisionRecorded text={recorded} partyId={partyId} principal={principal} />}
      {loaded.data?.reset && <p class="card small">{loaded.data.reset.note}</p>}
      {warnings.length > 0 && (
        <div class="card start-warnings" role="status">
          <h2>Started, with {warnings.length === 1 ? 'a warning' : 'warnings'}</h2>
          <ul>
            {warnings.map((w) => (
              <li key={w.code}>
                {w.code === 'MANDATE_DEADLINE_PASSED'
                  ? `The mandate deadline, ${day(entry.mandateDeadline)}, had already passed when the entry started: it is in breach from its start, and SECAS and OPS have been told.`
                  : w.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div class="card">
        <div class="stage-head">
          <Badge tone={statusTone}>{words(entry.status)}</Badge>
          <RiskBadges atRisk={entry.atRisk} inBreach={entry.inBreach} />
          <span class="small muted">
            {plural(done, 'stage')} of {stages.length} done
          </span>
        </div>
        <dl class="facts">
          <div>
            <dt>Party</dt>
            <dd>{entry.partyId}</dd>
          </div>
          <div>
            <dt>Cohort</dt>
            <dd>{words(entry.cohort)}</dd>
          </div>
          <div>
            <dt>User Roles</dt>
            <dd>{entry.roles.map(words).join(', ')}</dd>
          </div>
          <div>
            <dt>Mandate deadline</dt>
            <dd>{entry.mandateDeadline ? day(entry.mandateDeadline) : 'None'}</dd>
          </div>
          <div>
            <dt>Forecast completion</dt>
            <dd>{day(entry.forecastCompletion)}</dd>
          </div>
          <div>
            <dt>Next deadline</dt>
            <dd>{entry.nextDeadline ? `${day(entry.nextDeadline.at)}: ${entry.nextDeadline.what}` : '—'}</dd>
          </div>
          <div>
            <dt>UEP contact</dt>
            <dd>
              {entry.uepContact.name} ({entry.uepContact.email})
            </dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{day(entry.startedAt)}</dd>
          </div>
        </dl>
      </div>

      {principal.body === 'PARTY' && entry.status === 'IN_PROGRESS' && (
        <div class="card">
          <h2>What we need from you</h2>
          {mine.length === 0 ? (
            <p class="muted">Nothing right now: the bodies are deciding. We email {entry.uepContact.email} when it is your turn.</p>
          ) : (
            <ul class="stage-list">
              {mine.map((s) => (
                <StageItem key={stageKey(s.stage, s.role)} s={s} entry={entry} principal={principal} reload={reload} {...conversation(s)} />
              ))}
            </ul>
          )}
        </div>
      )}

      <div class="card">
        <h2>Timeline</h2>
        <Timeline entry={entry} />
      </div>

      <div class="card">
        <h2>Party-level stages</h2>
        <ul class="stage-list">
          {entry.partyStages.map((s) => (
            <StageItem key={stageKey(s.stage)} s={s} entry={entry} principal={principal} reload={reload} forms={!mine.includes(s)} {...conversation(s)} />
          ))}
        </ul>
      </div>
      {entry.roleStages.map((r) => (
        <div class="card" key={r.role}>
          <h2>
            {words(r.role)}{' '}
            {r.complete ? <Badge tone="ok">Complete {day(r.completedAt)}</Badge> : <span class="small muted">forecast {day(r.forecast)}</span>}
          </h2>
          <ul class="stage-list">
            {r.stages.map((s) => (
              <StageItem key={stageKey(s.stage, s.role)} s={s} entry={entry} principal={principal} reload={reload} forms={!mine.includes(s)} {...conversation(s)} />
            ))}
          </ul>
        </div>
      ))}

      <div class="grid">
        <div class="card">
          <h2>Follow-up conditions</h2>
          {entry.followUps.length === 0 ? (
            <p class="muted">None.</p>
          ) : (
            <ul>
              {entry.followUps.map((f) => (
                <li key={`${f.stage}-${f.role ?? ''}-${f.at}`}>
                  <strong>
                    {words(f.stage)}
                    {f.role ? ` (${words(f.role)})` : ''}
                  </strong>{' '}
                  {words(f.outcome)} on {day(f.at)}: {f.conditions || 'no conditions recorded'} <span class="muted">(evidence {f.evidence})</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        {canAmend(principal) && entry.status === 'IN_PROGRESS' && (
          <div class="card">
            <h2>Mandate deadline</h2>
            <AmendDeadlineForm key={`${entry.mandateDeadline ?? 'none'}-${entry.deadlineVersion}`} partyId={entry.partyId} current={entry.mandateDeadline} onDone={reload} />
          </div>
        )}
        {mayAddRole(principal) && entry.status === 'IN_PROGRESS' && (
          <div class="card">
            <h2>User Roles</h2>
            <p class="small">Sought: {entry.roleStages.map((r) => words(r.role)).join(', ')}.</p>
            <AddRoleForm key={entry.roleStages.length} entry={entry} onDone={reload} />
          </div>
        )}
        {mayWithdraw(principal) && entry.status === 'IN_PROGRESS' && (
          <div class="card">
            <h2>Withdraw</h2>
            <WithdrawForm entry={entry} onDone={reload} />
          </div>
        )}
      </div>

      <div class="card">
        <div class="page-head">
          <h2>Audit trail</h2>
          <DownloadButton path={`/v1/entries/${encodeURIComponent(partyId)}/audit-trail.csv`} name={`audit-trail-${partyId}.csv`} label="Download (CSV)" />
        </div>
        {audit.error && <Problem>{audit.error}</Problem>}
        {audit.data && (
          <div class="table-wrap" tabIndex={0} role="region" aria-label="The audit trail">
            <table>
              <caption class="visually-hidden">Every accepted action, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {audit.data.records.map((a) => (
                  <tr key={a.seq}>
                    <td class="small">{dayTime(a.at)}</td>
                    <td class="small">
                      {words(a.principal.body)} <span class="muted">{a.principal.id}</span>
                    </td>
                    <td class="small">
                      {words(a.action)}
                      {a.stage ? ` · ${words(a.stage)}` : ''}
                      {a.role ? ` (${words(a.role)})` : ''}
                      {a.outcome ? ` · ${words(a.outcome)}` : ''}
                    </td>
                    <td class="small">{[a.reference, a.evidence, a.action === 'STARTED' && a.comment ? startInWords(a.comment) : a.comment, a.reason, a.deadline !== undefined ? `deadline ${a.deadline ? day(a.deadline) : 'none'}` : '', claimDetail(a), fileDetail(a)].filter(Boolean).join(' · ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Page>
  );
}
