/**
 * How you are told of work: each stage assigned to you mailed at once (the default), or one email
 * a day listing what waits for you and your body. Your own choice, kept in the record
 * (GET/PUT /v1/me/notices).
 */
import { useState } from 'preact/hooks';
import { api, type Schemas } from '../api';
import { whenInWords } from '../conversation';
import { useLoad } from '../load';
import { Loading, Page, Problem } from '../ui';
import { useSend } from './forms';

type Cadence = Schemas['NoticeCadence'];

const CHOICES: { value: Cadence; label: string; hint: string }[] = [
  { value: 'IMMEDIATE', label: 'Tell me at once', hint: 'An email as soon as a colleague assigns a stage to you.' },
  { value: 'DAILY_DIGEST', label: 'A daily digest', hint: 'One email each morning listing what is assigned to you and what waits for your body, with due dates; no email at the moment of an assignment.' },
];

export function NoticeSettingsView() {
  const loaded = useLoad(() => api.GET('/v1/me/notices'), 'me/notices');
  const [picked, setPicked] = useState<Cadence | undefined>(undefined);
  const [saved, setSaved] = useState(false);
  const { busy, problem, send } = useSend(() => {
    setSaved(true);
    loaded.reload();
  });
  const data = loaded.data;
  const cadence = picked ?? data?.cadence ?? 'IMMEDIATE';
  return (
    <Page title="How you are told of work" lead="Your own choice: nobody else can change it.">
      {loaded.loading && !data && <Loading />}
      {loaded.error && <Problem>{loaded.error}</Problem>}
      {data && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setSaved(false);
            void send(() => api.PUT('/v1/me/notices', { body: { cadence } }));
          }}
        >
          <fieldset>
            <legend>When a stage is assigned to you</legend>
            {CHOICES.map((c) => (
              <div class="choice" key={c.value}>
                <label>
                  <input type="radio" name="cadence" value={c.value} checked={cadence === c.value} onChange={() => setPicked(c.value)} /> {c.label}
                </label>
                <p class="hint small">{c.hint}</p>
              </div>
            ))}
          </fieldset>
          <p class="small">
            {data.email ? (
              <>
                Emails go to <strong>{data.email}</strong>, the address your sign-in gives.
              </>
            ) : (
              'We know no email address for you yet: sign in to the console with your organisation’s account so that your emails can reach you.'
            )}
            {data.changedAt ? ` You last chose ${whenInWords(data.changedAt)}.` : ' You have not chosen yet: you are told at once.'}
          </p>
          <button type="submit" disabled={busy}>
            Save
          </button>
          <span aria-live="polite">{saved && !busy && !problem && ' Saved.'}</span>
          {problem && <Problem>{problem}</Problem>}
        </form>
      )}
    </Page>
  );
}
