/** Start a Party's entry (OPS, SECAS). */
import { useState } from 'preact/hooks';
import { api, inWords, type Schemas } from '../api';
import { day, today, words } from '../format';
import { useLoad } from '../load';
import { navigate } from '../router';
import { Page, Problem } from '../ui';

type Cohort = Schemas['Cohort'];
type Role = Schemas['UserRole'];

// Record<…, 1> makes the compiler check that every value of the contract is listed.
const COHORTS = Object.keys({
  LARGE_SUPPLIER: 1,
  SMALL_DOMESTIC_SUPPLIER: 1,
  SMALL_NON_DOMESTIC_SUPPLIER: 1,
  ELECTRICITY_DNO: 1,
  GAS_TRANSPORTER: 1,
  OTHER: 1,
} satisfies Record<Cohort, 1>) as Cohort[];
export const ROLES = Object.keys({
  IMPORT_SUPPLIER: 1,
  EXPORT_SUPPLIER: 1,
  GAS_SUPPLIER: 1,
  ELECTRICITY_DISTRIBUTOR: 1,
  GAS_TRANSPORTER: 1,
  REGISTERED_SUPPLIER_AGENT: 1,
  OTHER_USER: 1,
} satisfies Record<Role, 1>) as Role[];

/**
 * What a start warned about, kept for the entry page it goes to (one navigation, no reload), so the
 * person who started it reads it there instead of it being dropped.
 */
const startWarnings = new Map<string, Schemas['StartWarning'][]>();
export function takeStartWarnings(partyId: string): Schemas['StartWarning'][] {
  const warnings = startWarnings.get(partyId) ?? [];
  startWarnings.delete(partyId);
  return warnings;
}

/** With no date typed and the cohort's default passed: no deadline, or the default though the entry starts in breach. */
type WithoutDate = '' | 'none' | 'default';

export function StartEntry() {
  const [form, setForm] = useState({ partyId: '', partyName: '', cohort: 'SMALL_DOMESTIC_SUPPLIER' as Cohort, deadline: '', contactName: '', contactEmail: '' });
  const [roles, setRoles] = useState<Role[]>(['IMPORT_SUPPLIER']);
  const [problem, setProblem] = useState<string>();
  /** Each cohort's default mandate deadline (the current catalogue's), shown before anyone starts. */
  const catalogue = useLoad(() => api.GET('/v1/catalogue', {}), 'catalogue');
  const defaults = catalogue.data ? new Map(catalogue.data.defaultMandateDeadlines.map((d) => [d.cohort, d.deadline])) : undefined;
  const defaultDeadline = defaults?.get(form.cohort) ?? null;
  /** The API refused a past default deadline the page did not know of (the catalogue did not load): ask then. */
  const [refusedDefault, setRefusedDefault] = useState(false);
  const defaultPassed = (defaultDeadline !== null && defaultDeadline < today()) || (defaults === undefined && refusedDefault);
  const [withoutDate, setWithoutDate] = useState<WithoutDate>('');
  const asking = defaultPassed && !form.deadline;
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [k]: e.currentTarget.value });

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    if (roles.length === 0) return setProblem('Choose at least one User Role.');
    setBusy(true);
    setProblem(undefined);
    const body: Schemas['StartEntryRequest'] = {
      partyId: form.partyId.trim(),
      partyName: form.partyName,
      cohort: form.cohort,
      roles,
      ...(form.deadline ? { mandateDeadline: form.deadline } : withoutDate === 'none' ? { mandateDeadline: null } : {}),
      ...(asking && withoutDate === 'default' ? { confirmPastDefaultDeadline: true } : {}),
      uepContact: { name: form.contactName, email: form.contactEmail.trim() },
    };
    const { data, error } = await api.POST('/v1/entries', { body }).catch((e: unknown) => ({ data: undefined, error: e }));
    setBusy(false);
    if (data) {
      if (data.warnings.length > 0) startWarnings.set(data.partyId, data.warnings);
      return navigate(`/entries/${encodeURIComponent(data.partyId)}`);
    }
    const code = (error as { error?: { code?: string } } | undefined)?.error?.code;
    if (code === 'INVALID_DEADLINE' && !form.deadline && withoutDate === '') setRefusedDefault(true);
    setProblem(inWords(error));
  }

  return (
    <Page title="Start an entry" lead="One entry per Party: it runs until every User Role it seeks is complete, or it is withdrawn.">
      <form class="card" onSubmit={(e) => void submit(e)}>
        <div class="row">
          <div>
            <label for="partyId">Party id</label>
            <p class="hint" id="partyId-hint">Letters, digits, “.”, “_” or “-”, e.g. ACME-ENERGY</p>
            <input id="partyId" required pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,63}" aria-describedby="partyId-hint" value={form.partyId} onInput={set('partyId')} />
          </div>
          <div>
            <label for="partyName">Party name</label>
            <p class="hint">As it appears in search</p>
            <input id="partyName" required maxLength={200} value={form.partyName} onInput={set('partyName')} />
          </div>
        </div>
        <div class="row">
          <div>
            <label for="cohort">Cohort</label>
            <select id="cohort" value={form.cohort} onChange={set('cohort')}>
              {COHORTS.map((c) => (
                <option key={c} value={c}>
                  {words(c)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="deadline">Mandate deadline</label>
            <p class="hint" id="deadline-hint">
              {defaults === undefined
                ? "Leave empty for the cohort's default"
                : defaultDeadline === null
                  ? `The ${words(form.cohort)} cohort has no default: leave empty for no mandate deadline`
                  : defaultPassed
                    ? `The ${words(form.cohort)} cohort's default mandate deadline, ${day(defaultDeadline)}, has already passed`
                    : `Leave empty for the ${words(form.cohort)} cohort's default, ${day(defaultDeadline)}`}
            </p>
            <input id="deadline" type="date" aria-describedby="deadline-hint" value={form.deadline} onInput={set('deadline')} />
          </div>
        </div>
        {asking && (
          <fieldset class="checks past-default">
            <legend>
              The default has passed: type a deadline above, or choose
            </legend>
            <label>
              <input type="radio" name="without-date" value="none" required checked={withoutDate === 'none'} onChange={() => setWithoutDate('none')} />
              No deadline
            </label>
            <label>
              <input type="radio" name="without-date" value="default" required checked={withoutDate === 'default'} onChange={() => setWithoutDate('default')} />
              Apply the default deadline though it has passed (the entry starts in breach)
            </label>
          </fieldset>
        )}
        <fieldset class="checks">
          <legend>User Roles sought</legend>
          {ROLES.map((r) => (
            <label key={r}>
              <input type="checkbox" name="roles" value={r} checked={roles.includes(r)} onChange={(e) => setRoles(e.currentTarget.checked ? [...roles, r] : roles.filter((x) => x !== r))} />
              {words(r)}
            </label>
          ))}
        </fieldset>
        <div class="row">
          <div>
            <label for="contactName">UEP contact name</label>
            <input id="contactName" required maxLength={200} value={form.contactName} onInput={set('contactName')} />
          </div>
          <div>
            <label for="contactEmail">UEP contact email</label>
            <p class="hint">Notices about the entry go here</p>
            <input id="contactEmail" type="email" required maxLength={254} value={form.contactEmail} onInput={set('contactEmail')} />
          </div>
        </div>
        {problem && <Problem>{problem}</Problem>}
        <button type="submit" disabled={busy}>
          {busy ? 'Starting…' : 'Start the entry'}
        </button>
      </form>
    </Page>
  );
}
