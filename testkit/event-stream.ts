/**
 * A Server-Sent Events client for tests: opens the stream with fetch (a bearer token, as the
 * console's tab token goes), answers its status at once, then each event as it arrives.
 */
export interface StreamEvent {
  event: string;
  data: string;
}

export interface OpenedStream {
  status: number;
  headers: Headers;
  /** The error answer's JSON, when the stream was refused. */
  json: unknown;
  /** The next event (comments and retry lines skipped); throws after timeoutMs. */
  next(timeoutMs?: number): Promise<StreamEvent>;
  close(): void;
}

export async function openEventStream(baseUrl: string, path: string, opts: { token?: string } = {}): Promise<OpenedStream> {
  const abort = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(baseUrl + path, { headers, signal: abort.signal });
  if (res.status !== 200 || !res.body) {
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: safeJson(text), next: () => Promise.reject(new Error(`no stream: ${res.status}`)), close: () => abort.abort() };
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  const events: StreamEvent[] = [];
  const pull = async (): Promise<void> => {
    const { value, done } = await reader.read();
    if (done) throw new Error('the stream ended');
    buffered += value;
    let cut: number;
    while ((cut = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, cut);
      buffered = buffered.slice(cut + 2);
      const fields = block.split('\n').filter((l) => !l.startsWith(':'));
      const data = fields.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart());
      const event = fields.find((l) => l.startsWith('event:'))?.slice(6).trim() ?? 'message';
      if (data.length > 0) events.push({ event, data: data.join('\n') });
    }
  };
  // one read at a time: a read a timed-out next() left pending is the one the next call waits on
  let reading: Promise<void> | undefined;
  const pullOnce = () => (reading ??= pull().finally(() => (reading = undefined)));
  return {
    status: res.status,
    headers: res.headers,
    json: undefined,
    async next(timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (events.length === 0) {
        const left = until - Date.now();
        if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([pullOnce(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), left)))]).finally(() => clearTimeout(timer));
      }
      return events.shift()!;
    },
    close: () => abort.abort(),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
