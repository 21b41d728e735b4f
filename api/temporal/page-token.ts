/**
 * Page tokens handed to callers: Temporal's opaque next-page token, bound to the query it
 * belongs to. A token from another query, or one that is not ours, is a 400 here instead of
 * reaching Temporal (which answers garbage tokens with a retried internal error, i.e. a 503).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ApiError } from '../errors';
import { API_ERROR } from '../schemas';

const TokenSchema = z.strictObject({ v: z.literal(1), q: z.string(), t: z.string().min(1) });

const queryKey = (query: string) => createHash('sha256').update(query).digest('base64url').slice(0, 16);

export function encodePageToken(query: string, temporalToken: Uint8Array): string {
  const json = JSON.stringify({ v: 1, q: queryKey(query), t: Buffer.from(temporalToken).toString('base64') });
  return Buffer.from(json).toString('base64url');
}

export function decodePageToken(query: string, pageToken: string): Buffer {
  let parsed: z.infer<typeof TokenSchema> | undefined;
  try {
    const candidate = TokenSchema.safeParse(JSON.parse(Buffer.from(pageToken, 'base64url').toString('utf8')));
    if (candidate.success) parsed = candidate.data;
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.q !== queryKey(query)) {
    throw new ApiError(400, API_ERROR.VALIDATION_FAILED, 'Invalid page token', [
      { path: 'query.pageToken', message: 'not a nextPageToken of this same search' },
    ]);
  }
  return Buffer.from(parsed.t, 'base64');
}
