/**
 * What the API lets people do to a whole entry, in the console: seek one more User Role (SECAS,
 * OPS, the Party itself) and withdraw it (SECAS, OPS; asked twice).
 */
import { useState } from 'preact/hooks';
import { api, type EntrySummary, type Principal, type Schemas } from '../api';
import { words } from '../format';
import { Problem } from '../ui';
import { useSend } from './forms';
import { ROLES } from './start-entry';

type Role = Schemas['UserRole'];

export const mayAddRole = (p: Principal) => p.body === 'OPS' || p.body === 'SECAS' || p.body === 'PARTY';
export const mayWithdraw = (p: Principal) => p.body === 'OPS' || p.body === 'SECAS';

export function AddRoleForm({ entry, onDone }: { entry: EntrySummary; onDone: () => void }) {
  const sought = new Set(entry.roleStages.map((r) => r.role));
  const open = ROLES.filter((r) => !sought.has(r));
  const [role, setRole] = useState<Role | ''>('');
  const { busy, problem, send } = useSend(() => {
    setRole('');
    onDone();
  });
  if (open.length === 0) return <p class="muted">Every User Role is sought already.</p>;
  function submit(event: Event) {
    event.preventDefault();
    if (!role) return;
    void send(() => api.POST('/v1/entries/{partyId}/roles', { params: { path: { partyId: entry.partyId } }, body: { role } }));
  }
  return (
    <form onSubmit={submit} aria-label="Add a User Role">
      <label for="add-role">User Role to seek as well</label>
      <select id="add-role" required value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
        <option value="">Choose a role…</option>
        {open.map((r) => (
          <option key={r} value={r}>
            {words(r)}
          </option>
        ))}
      </select>
      {problem && <Problem>{problem}</Problem>}
      <button type="submit" disabled={busy}>
        {busy ? 'Adding…' : 'Add the role'}
      </button>
    </form>
  );
}

export function WithdrawForm({ entry, onDone }: { entry: EntrySummary; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [sure, setSure] = useState(false);
  const { busy, problem, send } = useSend(onDone);
  function submit(event: Event) {
    event.preventDefault();
    void send(() => api.POST('/v1/entries/{partyId}/withdrawal', { params: { path: { partyId: entry.partyId } }, body: { reason } }));
  }
  return (
    <form onSubmit={submit} aria-label="Withdraw the entry">
      <label for="withdraw-reason">Why the entry is withdrawn</label>
      <input id="withdraw-reason" required maxLength={1000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      <div class="checks">
        <label>
          <input type="checkbox" required checked={sure} onChange={(e) => setSure(e.currentTarget.checked)} /> I understand every reminder stops and {entry.partyName}'s entry
          closes for good
        </label>
      </div>
      {problem && <Problem>{problem}</Problem>}
      <button type="submit" class="danger" disabled={busy || !sure}>
        {busy ? 'Withdrawing…' : 'Withdraw the entry'}
      </button>
    </form>
  );
}
