/**
 * Page tokens handed to callers: where the next page starts, bound to the search it belongs to.
 * A token from another search, or one that is not ours, is a 400.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ApiError } from './errors';
import { API_ERROR } from './schemas';

const TokenSchema = z.strictObject({ v: z.literal(1), q: z.string(), t: z.string().min(1) });

const queryKey = (search: string) => createHash('sha256').update(search).digest('base64url').slice(0, 16);

export function encodePageToken(search: string, cursor: Uint8Array): string {
  const json = JSON.stringify({ v: 1, q: queryKey(search), t: Buffer.from(cursor).toString('base64') });
  return Buffer.from(json).toString('base64url');
}

export function decodePageToken(search: string, pageToken: string): Buffer {
  let parsed: z.infer<typeof TokenSchema> | undefined;
  try {
    const candidate = TokenSchema.safeParse(JSON.parse(Buffer.from(pageToken, 'base64url').toString('utf8')));
    if (candidate.success) parsed = candidate.data;
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.q !== queryKey(search)) {
    throw new ApiError(400, API_ERROR.VALIDATION_FAILED, 'Invalid page token', [
      { path: 'query.pageToken', message: 'not a nextPageToken of this same search' },
    ]);
  }
  return Buffer.from(parsed.t, 'base64');
}
