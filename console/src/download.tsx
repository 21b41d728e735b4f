/** Files from the API (CSV, NDJSON): fetched with this tab's credentials, since a bearer token cannot ride on a plain link. */
import { useState } from 'preact/hooks';
import { authHeaders, inWords } from './api';
import { Problem } from './ui';

/** Saves the API's answer at `path` as a file; answers the refusal in words, if any. */
export async function download(path: string, fallbackName: string): Promise<string | undefined> {
  const res = await fetch(path, { headers: authHeaders() }).catch(() => undefined);
  if (!res?.ok) {
    const body = (await res?.json().catch(() => undefined)) as unknown;
    return inWords(body ?? new Error('The download failed: the API did not answer'));
  }
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return undefined;
}

export function DownloadButton({ path, name, label }: { path: string; name: string; label: string }) {
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <>
      <button
        type="button"
        class="secondary"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void download(path, name).then((p) => {
            setProblem(p);
            setBusy(false);
          });
        }}
      >
        {label}
      </button>
      {problem && <Problem>{problem}</Problem>}
    </>
  );
}
