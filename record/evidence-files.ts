/**
 * Evidence files in the record (migration 0011): kept in chunks of CHUNK_BYTES as they stream in,
 * in one transaction with their FILE_ATTACHED audit row, and read back chunk by chunk, so neither
 * way holds a whole file in memory. Whatever the content's stream throws (a check failed, the
 * client went away) rolls the transaction back: nothing of the file is kept.
 */
import { createHash, randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { AUDIT_ACTION, type AttachedFile, type AuditRecord } from '../domain/types';
import { ENTRY_STATUS, type Principal } from '../domain/vocabulary';
import type { RecordDb } from './db';
import type { RecordDatabase } from './schema';
import { appendOwnRow } from './write';

const CHUNK_BYTES = 64 * 1024;
/** Chunks read at once when a file is read back (256 KiB). */
const READ_BATCH = 4;
const SEQ_CLASH_TRIES = 5;

export interface StoredFile extends AttachedFile {
  stage: string;
  /** '' for a stage of the whole entry */
  role: string;
  uploadedBy: Principal;
  uploadedAt: string;
}

export interface FileToKeep {
  partyId: string;
  stage: string;
  role: string;
  name: string;
  contentType: string;
  uploadedBy: Principal;
  at: Date;
}

export type KeptFile = { outcome: 'NO_ENTRY' } | { outcome: 'KEPT'; file: StoredFile; record: AuditRecord };

/** Keeps the file for the Party's entry in progress, reading `content` once; throws what `content` throws, keeping nothing. */
export async function keepFile(db: RecordDb, f: FileToKeep, content: AsyncIterable<Uint8Array>): Promise<KeptFile> {
  return db.transaction().execute(async (tx): Promise<KeptFile> => {
    const entry = await tx.selectFrom('entries').select(['entry_id', 'chain_id', 'run_id']).where('party_id', '=', f.partyId).where('status', '=', ENTRY_STATUS.IN_PROGRESS).executeTakeFirst();
    if (!entry) return { outcome: 'NO_ENTRY' };
    const id = randomUUID();
    await tx
      .insertInto('evidence_files')
      .values({ file_id: id, entry_id: entry.entry_id, stage: f.stage, role: f.role, name: f.name, content_type: f.contentType, size: 0, sha256: '', uploaded_by: JSON.stringify(f.uploadedBy), uploaded_at: f.at })
      .execute();
    const hash = createHash('sha256');
    let size = 0;
    let n = 0;
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      await tx.insertInto('evidence_file_chunks').values({ file_id: id, n: n++, data: Buffer.concat(pending) }).execute();
      pending = [];
      pendingBytes = 0;
    };
    for await (const chunk of content) {
      hash.update(chunk);
      size += chunk.length;
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= CHUNK_BYTES) await flush();
    }
    if (pendingBytes > 0) await flush();
    const file: StoredFile = { id, name: f.name, contentType: f.contentType, size, sha256: hash.digest('hex'), stage: f.stage, role: f.role, uploadedBy: f.uploadedBy, uploadedAt: f.at.toISOString() };
    await tx.updateTable('evidence_files').set({ size, sha256: file.sha256 }).where('file_id', '=', id).execute();
    const record = await appendAttached(tx, entry, file);
    return { outcome: 'KEPT', file, record };
  });
}

/** The FILE_ATTACHED row, numbered after the trail's last; a clash with another writer's row is tried again from a savepoint. */
async function appendAttached(tx: Transaction<RecordDatabase>, entry: { entry_id: string; chain_id: string; run_id: string }, file: StoredFile): Promise<AuditRecord> {
  const record: AuditRecord = {
    seq: 0,
    at: file.uploadedAt,
    action: AUDIT_ACTION.FILE_ATTACHED,
    principal: file.uploadedBy,
    stage: file.stage as AuditRecord['stage'],
    ...(file.role !== '' ? { role: file.role as AuditRecord['role'] } : {}),
    file: { id: file.id, name: file.name, contentType: file.contentType, size: file.size, sha256: file.sha256 },
  };
  for (let attempt = 1; ; attempt++) {
    await sql`SAVEPOINT attach`.execute(tx);
    try {
      let written = record;
      await appendOwnRow(tx, entry.entry_id, entry.chain_id, `file:${file.id}`, entry.run_id, (seq) => (written = { ...record, seq }));
      return written;
    } catch (err) {
      await sql`ROLLBACK TO SAVEPOINT attach`.execute(tx);
      const clash = (err as { code?: string; constraint?: string }).code === '23505' && (err as { constraint?: string }).constraint === 'audit_pk';
      if (!clash || attempt >= SEQ_CLASH_TRIES) throw err;
    }
  }
}

function storedFile(row: { file_id: string; stage: string; role: string; name: string; content_type: string; size: string | number; sha256: string; uploaded_by: Principal; uploaded_at: Date | string }): StoredFile {
  return {
    id: row.file_id,
    name: row.name,
    contentType: row.content_type,
    size: Number(row.size),
    sha256: row.sha256,
    stage: row.stage,
    role: row.role,
    uploadedBy: row.uploaded_by,
    uploadedAt: new Date(row.uploaded_at).toISOString(),
  };
}

const FILE_COLUMNS = ['f.file_id', 'f.stage', 'f.role', 'f.name', 'f.content_type', 'f.size', 'f.sha256', 'f.uploaded_by', 'f.uploaded_at'] as const;

/** The files attached to the Party's entries, oldest first. */
export async function entryFiles(db: RecordDb, partyId: string): Promise<StoredFile[]> {
  const rows = await db.selectFrom('evidence_files as f').innerJoin('entries as e', 'e.entry_id', 'f.entry_id').select(FILE_COLUMNS).where('e.party_id', '=', partyId).orderBy('f.uploaded_at').orderBy('f.file_id').execute();
  return rows.map(storedFile);
}

/** One file of the Party's entries, or undefined (another Party's file is not found). */
export async function fileOf(db: RecordDb, partyId: string, fileId: string): Promise<StoredFile | undefined> {
  const row = await db.selectFrom('evidence_files as f').innerJoin('entries as e', 'e.entry_id', 'f.entry_id').select(FILE_COLUMNS).where('e.party_id', '=', partyId).where('f.file_id', '=', fileId).executeTakeFirst();
  return row ? storedFile(row) : undefined;
}

/** The file's content, a few chunks read at a time. */
export async function* fileContent(db: RecordDb, fileId: string): AsyncGenerator<Uint8Array> {
  for (let from = 0; ; from += READ_BATCH) {
    const rows = await db.selectFrom('evidence_file_chunks').select('data').where('file_id', '=', fileId).where('n', '>=', from).where('n', '<', from + READ_BATCH).orderBy('n').execute();
    for (const r of rows) yield r.data;
    if (rows.length < READ_BATCH) return;
  }
}
