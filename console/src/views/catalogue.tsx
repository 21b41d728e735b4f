/** The stage catalogue: who decides what, after what, with which outcomes, within how long. */
import { api, type Schemas } from '../api';
import { words } from '../format';
import { useLoad } from '../load';
import { Badge, Loading, Page, Problem } from '../ui';

const EFFECT_TONE = { DONE: 'ok', REWORK: 'warn', RESTART: 'bad' } as const;

type Duration = Schemas['CatalogueStage']['sla'];

/** A duration and where it comes from: its source, or "assumed" (this deployment's setting). */
function DurationCell({ d }: { d: Duration }) {
  return (
    <td class="num">
      {d.workingDays}
      <div class="small muted">
        {d.basis === 'SOURCED' ? `source: ${d.source ?? ''}` : `assumed${d.setting ? ` (this deployment's setting ${d.setting})` : ''}: ${d.note ?? ''}`}
      </div>
    </td>
  );
}

export function CatalogueView() {
  const catalogue = useLoad(() => api.GET('/v1/catalogue'), 'catalogue');
  const c = catalogue.data;
  return (
    <Page title="Stages of the User Entry Process" lead={c ? `Catalogue ${c.version}: ${c.description}.` : undefined}>
      {catalogue.error && <Problem>{catalogue.error}</Problem>}
      {!c && !catalogue.error && <Loading />}
      {c && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="The stage catalogue">
          <table>
            <caption class="visually-hidden">Every stage: owner, level, dependencies, what the Party submits, outcomes, response time and estimate, each with its source or marked assumed</caption>
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col">Decided by</th>
                <th scope="col">After</th>
                <th scope="col">The Party submits</th>
                <th scope="col">Outcomes</th>
                <th scope="col" class="num">
                  Response time (working days)
                </th>
                <th scope="col" class="num">
                  Estimate (working days)
                </th>
              </tr>
            </thead>
            <tbody>
              {c.stages.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    {s.title}
                    <div class="small muted">
                      {s.level === 'PARTY' ? 'once per Party' : `per User Role${s.appliesTo.length < 7 ? `: ${s.appliesTo.map(words).join(', ')}` : ''}`} · SEC {s.secRef}
                    </div>
                  </th>
                  <td>{words(s.owner)}</td>
                  <td class="small">{s.dependsOnAllOthers ? 'every other stage of the role' : s.dependsOn.map(words).join(', ') || '—'}</td>
                  <td class="small">{s.submission ?? '—'}</td>
                  <td>
                    {s.outcomes.map((o) => (
                      <Badge key={o.outcome} tone={EFFECT_TONE[o.effect]}>
                        {words(o.outcome)}
                        {o.effect !== 'DONE' ? ` (${o.effect.toLowerCase()})` : ''}
                      </Badge>
                    ))}
                  </td>
                  <DurationCell d={s.sla} />
                  <DurationCell d={s.estimate} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
