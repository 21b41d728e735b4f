/**
 * The live inbox: one event stream per tab (GET /v1/inbox/events) tells the console how many stages
 * await the signed-in body, for the navigation and the tab's title, and when the inbox changed, so
 * an open inbox reloads itself. Read with fetch rather than EventSource, which cannot send a tab's
 * bearer token; a broken stream is opened again after a pause.
 */
import { useEffect, useState } from 'preact/hooks';
import { authHeaders } from './api';

/** An `inbox` event's data (api/inbox-feed.ts). */
export interface InboxSignal {
  body: string | null;
  count: number;
  overdue: number;
}

const CHANGED = 'uep:inbox-changed';
const RECONNECT_MS = 3_000;

let pageTitle = '';
let waiting: number | undefined;

/** The tab's title: the page's, after the count of what waits (as mail clients show unread mail). */
export function setPageTitle(title: string): void {
  pageTitle = title;
  document.title = `${waiting ? `(${waiting}) ` : ''}${pageTitle} · UEP console`;
}

/** Follows the signed-in body's inbox while `enabled`: answers its latest signal. */
export function useLiveInbox(enabled: boolean): InboxSignal | undefined {
  const [signal, setSignal] = useState<InboxSignal | undefined>(undefined);
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    const told = (s: InboxSignal) => {
      waiting = s.count;
      setPageTitle(pageTitle);
      setSignal(s);
      window.dispatchEvent(new CustomEvent(CHANGED, { detail: s }));
    };
    const open = () => {
      follow(abort.signal, told).then(
        (again) => {
          if (again && !abort.signal.aborted) retry = setTimeout(open, RECONNECT_MS);
        },
        () => {
          if (!abort.signal.aborted) retry = setTimeout(open, RECONNECT_MS);
        },
      );
    };
    open();
    return () => {
      abort.abort();
      clearTimeout(retry);
      waiting = undefined;
      setPageTitle(pageTitle);
    };
  }, [enabled]);
  return signal;
}

/** Calls `onChange` whenever the live inbox says the inbox changed. */
export function useInboxChanges(onChange: () => void): void {
  useEffect(() => {
    window.addEventListener(CHANGED, onChange);
    return () => window.removeEventListener(CHANGED, onChange);
  }, [onChange]);
}

/** Reads one stream until it ends: answers whether to open it again (not after a refusal). */
async function follow(signal: AbortSignal, told: (s: InboxSignal) => void): Promise<boolean> {
  const res = await fetch('/v1/inbox/events', { headers: { ...authHeaders(), Accept: 'text/event-stream' }, signal });
  if (!res.ok || !res.body) return res.status >= 500;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return true;
    buffered += value;
    let cut: number;
    while ((cut = buffered.indexOf('\n\n')) >= 0) {
      const lines = buffered.slice(0, cut).split('\n');
      buffered = buffered.slice(cut + 2);
      const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim());
      if (lines.includes('event: inbox') && data.length > 0) told(JSON.parse(data.join('\n')) as InboxSignal);
    }
  }
}
