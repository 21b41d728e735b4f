/**
 * Files attached to a stage: listed, with who attached them, when and their SHA-256, for everyone
 * who reads the entry; attached by whoever acts on the stage now (the Party with its submission,
 * the approver with their decision). A file goes to the API as it is, with its type; a refusal
 * (type, content, size) is shown in words and nothing is kept.
 */
import { useState } from 'preact/hooks';
import { authHeaders, type Schemas } from '../api';
import { DownloadButton } from '../download';
import { day, words } from '../format';
import { Problem } from '../ui';
import { useSend } from './forms';

export type AttachedFile = Schemas['AttachedFile'];

const ACCEPT = '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.txt,.csv,application/pdf,image/png,image/jpeg,text/plain,text/csv';

function sizeInWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
}

const filePath = (partyId: string, id: string) => `/v1/entries/${encodeURIComponent(partyId)}/files/${encodeURIComponent(id)}`;

export function StageFiles({ partyId, files }: { partyId: string; files: readonly AttachedFile[] }) {
  if (files.length === 0) return null;
  return (
    <ul class="files small" aria-label="Attached files">
      {files.map((f) => (
        <li key={f.id}>
          <DownloadButton path={filePath(partyId, f.id)} name={f.name} label={`Download ${f.name}`} />{' '}
          <span>
            {sizeInWords(f.size)}, attached by {f.uploadedBy.name ?? f.uploadedBy.id} ({words(f.uploadedBy.body)}) on {day(f.uploadedAt)}
          </span>{' '}
          <span class="muted" title={f.sha256}>
            SHA-256 {f.sha256.slice(0, 16)}…
          </span>
        </li>
      ))}
    </ul>
  );
}

interface AttachFileProps {
  partyId: string;
  stage: Schemas['StageId'];
  role?: Schemas['UserRole'] | undefined;
  title: string;
  /** The largest file the service keeps: a larger one is refused here, before it is sent */
  maxBytes?: number | undefined;
  onDone: () => void;
}

export function AttachFile({ partyId, stage, role, title, maxBytes, onDone }: AttachFileProps) {
  const [file, setFile] = useState<File>();
  const [tooLarge, setTooLarge] = useState<string>();
  const { busy, problem, send } = useSend(onDone);
  const id = `attach-${stage}-${role ?? 'party'}`;

  function submit(event: Event) {
    event.preventDefault();
    if (!file) return;
    if (maxBytes !== undefined && file.size > maxBytes) {
      setTooLarge(`${file.name} is ${sizeInWords(file.size)}, larger than the ${sizeInWords(maxBytes)} this service keeps: nothing was sent.`);
      return;
    }
    setTooLarge(undefined);
    const query = new URLSearchParams({ stage, ...(role ? { role } : {}), name: file.name });
    void send(async () => {
      const res = await fetch(`/v1/entries/${encodeURIComponent(partyId)}/files?${query.toString()}`, {
        method: 'POST',
        headers: { ...authHeaders('POST'), 'Content-Type': file.type || 'application/octet-stream' },
        body: file,
      });
      const answer = (await res.json().catch(() => undefined)) as unknown;
      return res.ok ? { data: answer ?? {} } : { error: answer ?? new Error(`The file was not kept (HTTP ${res.status})`) };
    });
  }

  return (
    <form class="attach small" onSubmit={submit} aria-label={`Attach a file to ${title}`}>
      <label for={id}>Attach a file{maxBytes !== undefined ? ` of up to ${sizeInWords(maxBytes)}` : ''}: PDF, PNG, JPEG, Word, Excel, plain text or CSV</label>
      <input
        id={id}
        type="file"
        accept={ACCEPT}
        onChange={(e) => {
          setFile(e.currentTarget.files?.[0]);
          setTooLarge(undefined);
        }}
      />
      <button type="submit" class="secondary" disabled={!file || busy}>
        {busy ? 'Attaching…' : 'Attach'}
      </button>
      {(tooLarge ?? problem) && <Problem>{tooLarge ?? problem}</Problem>}
    </form>
  );
}
