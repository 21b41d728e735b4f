/**
 * A real SMTP server for tests (smtp-server on loopback, port 0) that records every message it
 * accepts, with just enough MIME parsing to check headers, text, HTML and attachments.
 *
 *   const smtp = await startSmtpCatcher();
 *   // point the code under test at smtp.url (smtp://127.0.0.1:<port>)
 *   await smtp.waitFor((m) => m.notificationId === id);
 *   smtp.unique();            // one per Message-ID: what a deduplicating mailbox shows
 *   await smtp.down();        // refuse connections (the port stays reserved for up())
 *   smtp.rejectRecipient('x@example.org');      // 550 on RCPT TO
 *   smtp.failNext(2, 451);    // temporary failure at DATA for the next 2 messages
 *   smtp.stallNext(1, 5000);  // hold the next greeting for 5 s
 *   await smtp.stop();
 */
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { waitForMatching } from './wait-for';

export interface MimePart {
  headers: Record<string, string>;
  contentType: string;
  /** Decoded body (text for text parts, latin1 view of bytes otherwise). */
  body: string;
  filename?: string;
  parts: MimePart[];
}

export interface CaughtMail {
  /** Order of arrival, from 1. */
  seq: number;
  receivedAt: Date;
  envelopeFrom: string;
  envelopeTo: string[];
  raw: string;
  /** Top-level headers, names lower-cased, folded lines joined. */
  headers: Record<string, string>;
  messageId?: string;
  /** The X-UEP-Notification-Id header. */
  notificationId?: string;
  subject?: string;
  text?: string;
  html?: string;
  attachments: MimePart[];
  /** True when an earlier message had the same Message-ID. */
  duplicate: boolean;
}

export interface RcptAttempt {
  address: string;
  accepted: boolean;
  code?: number;
}

export interface SmtpCatcher {
  /** Socket errors of clients that went away mid-session (e.g. a SIGKILLed worker). */
  clientErrors: string[];
  host: string;
  port: number;
  /** smtp://127.0.0.1:<port> */
  url: string;
  /** Every message accepted, duplicates included, in order of arrival. */
  messages: CaughtMail[];
  /** Every RCPT TO the server saw, accepted or not. */
  rcptAttempts: RcptAttempt[];
  /** Connections made to the server since start or clear() (including those that ended in an error). */
  connections(): number;
  /** The first copy of each Message-ID. */
  unique(): CaughtMail[];
  /** Messages whose Message-ID had been seen before. */
  duplicates(): CaughtMail[];
  forNotification(notificationId: string): CaughtMail[];
  /** Resolves with the messages matching once `count` of them have arrived. */
  waitFor(match: (m: CaughtMail) => boolean, opts?: { count?: number; timeoutMs?: number }): Promise<CaughtMail[]>;
  /** 550 (or the given code) for RCPT TO this address until cleared. */
  rejectRecipient(address: string, code?: number, message?: string): void;
  /** Hold the greeting of the next n connections for ms (a stalled server). */
  stallNext(n: number, ms: number): void;
  /** A temporary (or given) failure at DATA for the next n messages. */
  failNext(n: number, code?: number, message?: string): void;
  /** Stop listening: connections are refused until up(). */
  down(): Promise<void>;
  /** Listen again on the same port. */
  up(): Promise<void>;
  isUp(): boolean;
  clear(): void;
  stop(): Promise<void>;
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return headers;
}

function param(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  const m = new RegExp(`${name}\\*?=("([^"]*)"|[^;\\s]+)`, 'i').exec(header);
  return m ? (m[2] ?? m[1]) : undefined;
}

function decodeBody(body: string, encoding: string | undefined, contentType: string): string {
  const enc = (encoding ?? '7bit').toLowerCase();
  const charset = (param(contentType, 'charset') ?? 'utf-8').toLowerCase();
  let bytes: Buffer;
  if (enc === 'base64') bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  else if (enc === 'quoted-printable') {
    const soft = body.replace(/=\r?\n/g, '');
    bytes = Buffer.from(soft.replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  } else bytes = Buffer.from(body, 'latin1');
  return charset.includes('utf') || contentType.startsWith('text/') ? bytes.toString('utf8') : bytes.toString('latin1');
}

/** A minimal MIME parser: headers, nested multiparts, base64 and quoted-printable bodies. */
export function parseMime(raw: string): MimePart {
  const split = raw.search(/\r?\n\r?\n/);
  const headerBlock = split < 0 ? raw : raw.slice(0, split);
  const rest = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = parseHeaders(headerBlock);
  const contentType = headers['content-type'] ?? 'text/plain';
  const disposition = headers['content-disposition'];
  const filename = param(disposition, 'filename') ?? param(contentType, 'name');
  const boundary = contentType.toLowerCase().startsWith('multipart/') ? param(contentType, 'boundary') : undefined;
  if (boundary) {
    const chunks = rest.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`));
    const parts = chunks.slice(1, -1).filter((c) => c.trim().length > 0).map(parseMime);
    return { headers, contentType, body: '', filename, parts };
  }
  return { headers, contentType, body: decodeBody(rest, headers['content-transfer-encoding'], contentType), filename, parts: [] };
}

function leaves(part: MimePart): MimePart[] {
  return part.parts.length ? part.parts.flatMap(leaves) : [part];
}

function toCaught(raw: string, seq: number, envelopeFrom: string, envelopeTo: string[], seen: Set<string>): CaughtMail {
  const root = parseMime(raw);
  const all = leaves(root);
  const isAttachment = (p: MimePart) => /attachment/i.test(p.headers['content-disposition'] ?? '') || p.filename !== undefined;
  const body = (type: string) => all.find((p) => !isAttachment(p) && p.contentType.toLowerCase().startsWith(type))?.body;
  const messageId = root.headers['message-id'];
  const duplicate = messageId !== undefined && seen.has(messageId);
  if (messageId) seen.add(messageId);
  return {
    seq,
    receivedAt: new Date(),
    envelopeFrom,
    envelopeTo,
    raw,
    headers: root.headers,
    messageId,
    notificationId: root.headers['x-uep-notification-id'],
    subject: root.headers.subject,
    text: body('text/plain'),
    html: body('text/html'),
    attachments: all.filter(isAttachment),
    duplicate,
  };
}

const addressOf = (a: SMTPServerAddress | false) => (a ? a.address : '');

export async function startSmtpCatcher(options: { host?: string; port?: number } = {}): Promise<SmtpCatcher> {
  const host = options.host ?? '127.0.0.1';
  const messages: CaughtMail[] = [];
  const rcptAttempts: RcptAttempt[] = [];
  const seen = new Set<string>();
  const rejected = new Map<string, { code: number; message: string }>();
  const failures: { code: number; message: string }[] = [];
  const stalls: number[] = [];
  const waiters = new Set<() => void>();
  let connectionCount = 0;
  const clientErrors: string[] = [];

  const smtpError = (message: string, code: number) => Object.assign(new Error(message), { responseCode: code });

  const createServer = () => {
    const s = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      closeTimeout: 100, // down() drops open connections at once, as a relay that goes down does (the worker keeps a pool open)
      logger: false,
      size: 10 * 1024 * 1024,
      onConnect(_session, cb) {
        connectionCount++;
        const stall = stalls.shift();
        if (stall) setTimeout(() => cb(), stall);
        else cb();
      },
      onRcptTo(address, _session, cb) {
        const reject = rejected.get(address.address.toLowerCase());
        rcptAttempts.push({ address: address.address, accepted: !reject, code: reject?.code });
        if (reject) return cb(smtpError(reject.message, reject.code));
        cb();
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', cb);
        stream.on('end', () => {
          const failure = failures.shift();
          if (failure) return cb(smtpError(failure.message, failure.code));
          const raw = Buffer.concat(chunks).toString('latin1');
          messages.push(
            toCaught(raw, messages.length + 1, addressOf(session.envelope.mailFrom), session.envelope.rcptTo.map((r) => r.address), seen),
          );
          for (const w of [...waiters]) w();
          cb(null, 'queued');
        });
      },
    });
    // A client that vanishes mid-session (a worker SIGKILLed while sending) resets its socket;
    // unheard, that 'error' event would throw in the test process.
    s.on('error', (err: Error) => clientErrors.push(err.message));
    return s;
  };

  let server: SMTPServer | undefined = createServer();
  const listen = (s: SMTPServer, port: number) =>
    new Promise<number>((resolve, reject) => {
      s.server.once('error', reject);
      s.listen(port, host, () => {
        s.server.off('error', reject);
        const addr = s.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  const close = (s: SMTPServer) => new Promise<void>((resolve) => s.close(() => resolve()));

  const port = await listen(server, options.port ?? 0);

  const catcher: SmtpCatcher = {
    host,
    port,
    url: `smtp://${host}:${port}`,
    messages,
    rcptAttempts,
    connections: () => connectionCount,
    clientErrors,
    unique: () => messages.filter((m) => !m.duplicate),
    duplicates: () => messages.filter((m) => m.duplicate),
    forNotification: (id) => messages.filter((m) => m.notificationId === id),
    waitFor: (match, opts = {}) => waitForMatching(messages, waiters, match, opts, 'smtp-catcher messages'),
    rejectRecipient(address, code = 550, message = '5.1.1 No such user here') {
      rejected.set(address.toLowerCase(), { code, message });
    },
    stallNext(n, ms) {
      for (let i = 0; i < n; i++) stalls.push(ms);
    },
    failNext(n, code = 451, message = '4.3.0 Temporary failure, try again later') {
      for (let i = 0; i < n; i++) failures.push({ code, message });
    },
    async down() {
      if (!server) return;
      const s = server;
      server = undefined;
      await close(s);
    },
    async up() {
      if (server) return;
      const s = createServer();
      await listen(s, port);
      server = s;
    },
    isUp: () => server !== undefined,
    clear() {
      messages.length = 0;
      rcptAttempts.length = 0;
      seen.clear();
      rejected.clear();
      failures.length = 0;
      stalls.length = 0;
      connectionCount = 0;
    },
    async stop() {
      await catcher.down();
    },
  };
  return catcher;
}
