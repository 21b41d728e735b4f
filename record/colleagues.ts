/**
 * The people of a body the record knows: whoever signed in to the console, chose how they are
 * told of work, or held or gave a claim. Whom a stage can be assigned to, from the console.
 */
import { sql } from 'kysely';
import type { Body } from '../domain/vocabulary';
import type { RecordDb } from './db';

export interface KnownPerson {
  id: string;
  name?: string;
  email?: string;
}

/** The body's people, each with the name and email they last came with, by name. */
export async function knownPeople(db: RecordDb, body: Body): Promise<KnownPerson[]> {
  const { rows } = await sql<{ id: string; name: string | null; email: string | null }>`
    SELECT DISTINCT ON (id) id, name, email FROM (
      SELECT principal->>'id' AS id, principal->>'name' AS name, principal->>'email' AS email, last_seen_at AS at FROM console_sessions WHERE principal->>'body' = ${body}
      UNION ALL SELECT person_id, name, email, changed_at FROM person_notice_settings WHERE body = ${body}
      UNION ALL SELECT claimant->>'id', claimant->>'name', claimant->>'email', claimed_at FROM stage_claims WHERE claimant->>'body' = ${body}
      UNION ALL SELECT claimed_by->>'id', claimed_by->>'name', claimed_by->>'email', claimed_at FROM stage_claims WHERE claimed_by->>'body' = ${body}
    ) people
    WHERE id IS NOT NULL
    ORDER BY id, at DESC`.execute(db);
  return rows
    .map((r) => ({ id: r.id, ...(r.name ? { name: r.name } : {}), ...(r.email ? { email: r.email } : {}) }))
    .sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id));
}
