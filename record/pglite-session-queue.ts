/**
 * The order in which the embedded record's socket server hands its clients' messages to PGlite,
 * which serves one session at a time. pglite-socket 0.2.17 queues message by message and keeps a
 * client to itself only inside a transaction, so two clients' extended-protocol queries (Parse,
 * Bind, Execute, Sync: what node-postgres sends for every query with parameters) interleave, and
 * PGlite answers `portal "" does not exist` or `unnamed prepared statement does not exist`: one
 * failed query in six with four connections under load. A failed message also stopped its queue
 * for good. This queue keeps the client whose sequence or transaction is open until it is over.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
}

const SYNC = 0x53; // 'S': ends an extended-protocol sequence
const SIMPLE_QUERY = 0x51; // 'Q': a whole exchange of its own
const TERMINATE = 0x58; // 'X'

/** After this message, is the client's exchange with PGlite still open (more of it to come)? */
function leavesSequenceOpen(message: Uint8Array): boolean {
  const type = message[0];
  // a startup or SSL request has no type byte: its first byte is the length's high byte, 0
  return type !== 0 && type !== SYNC && type !== SIMPLE_QUERY && type !== TERMINATE;
}

export class SessionQueue {
  private readonly pending: Pending[] = [];
  private draining = false;
  /** The client whose extended-protocol sequence or transaction is open: only its messages go next. */
  private holder: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending.push({ handlerId, message, onData, resolve, reject });
      void this.drain();
    });
  }

  getQueueLength(): number {
    return this.pending.length;
  }

  /** A client went away: its queued messages fail, and it holds PGlite no longer. */
  clearQueueForHandler(handlerId: number): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (this.pending[i]!.handlerId === handlerId) this.pending.splice(i, 1)[0]!.reject(new Error('Handler disconnected'));
    }
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.holder !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.holder = null;
    void this.drain();
  }

  private next(): Pending | undefined {
    const at = this.holder === null ? 0 : this.pending.findIndex((p) => p.handlerId === this.holder);
    return at === -1 ? undefined : this.pending.splice(at, 1)[0];
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        const current = item;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
        } catch (err) {
          current.reject(err);
          continue;
        } finally {
          this.holder = leavesSequenceOpen(current.message) || this.db.isInTransaction() ? current.handlerId : null;
        }
        current.resolve(bytes);
      }
    } finally {
      this.draining = false;
    }
  }
}

/** Puts the session queue in place of the server's own; before `start()`, so every client gets it. */
export function serveSessionBySession(server: PGLiteSocketServer, db: PGlite): void {
  (server as unknown as { queryQueue: SessionQueue }).queryQueue = new SessionQueue(db);
}
