/**
 * Evidence files: attached to a stage by whoever may act on it, streamed into the record through
 * checks that refuse a file as soon as it shows what it is (its type, its first bytes, its size),
 * and streamed back to whoever reads the entry.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import { Router } from 'express';
import { ALLOWED_TYPES_IN_WORDS, MIB, contentProblem, evidenceTypeOf, type EvidenceType } from '../../domain/evidence-files';
import { REFUSAL } from '../../domain/types';
import { principalOf } from '../auth';
import type { AppContext } from '../context';
import { ENDPOINTS } from '../endpoints';
import { ApiError, notFound, refusalError } from '../errors';
import { requireStageOfEntry } from '../stage-of-entry';
import { mount } from '../mount';
import { API_ERROR } from '../schemas';
import { fileAnswer } from '../entry-reads';

/** Enough of a file's start to know what it is. */
const HEAD_BYTES = 16;

const tooLarge = (maxMb: number) => new ApiError(413, API_ERROR.PAYLOAD_TOO_LARGE, `The file is larger than ${maxMb} MiB, the most this service keeps: nothing was kept.`);

/** The request's body, refused (thrown) as soon as its start does not fit its type or it grows past `maxMb` MiB. */
async function* checked(req: Request, type: EvidenceType, maxMb: number): AsyncGenerator<Uint8Array> {
  let head: Buffer | undefined = Buffer.alloc(0);
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxMb * MIB) throw tooLarge(maxMb);
    if (head) {
      head = Buffer.concat([head, chunk]);
      if (head.length < HEAD_BYTES) continue;
      refuseContent(type, head);
      yield head;
      head = undefined;
    } else {
      yield chunk;
    }
  }
  if (size === 0) throw refusalError(REFUSAL.INVALID_INPUT, 'The file is empty: nothing was kept.');
  if (head) {
    refuseContent(type, head);
    yield head;
  }
}

function refuseContent(type: EvidenceType, head: Buffer): void {
  const problem = contentProblem(type, head);
  if (problem) throw new ApiError(415, API_ERROR.UNSUPPORTED_MEDIA_TYPE, `This file cannot be attached: ${problem}. Nothing was kept.`);
}

export function filesRouter(ctx: AppContext): Router {
  const router = Router();
  const maxMb = ctx.config.EVIDENCE_FILE_MAX_MB;

  mount(router, ctx, ENDPOINTS.attachFile, async ({ params, query }, req, res) => {
    // a refusal before the whole body was read: the connection closes rather than read the rest
    res.setHeader('Connection', 'close');
    const type = evidenceTypeOf(req.headers['content-type']);
    if (!type) throw new ApiError(415, API_ERROR.UNSUPPORTED_MEDIA_TYPE, `Attach a file of one of these types: ${ALLOWED_TYPES_IN_WORDS} (this one is ${req.headers['content-type'] ?? 'of no type'}). Nothing was kept.`);
    if (Number(req.headers['content-length'] ?? 0) > maxMb * MIB) throw tooLarge(maxMb);
    await requireStageOfEntry(ctx, params.partyId, query);
    const kept = await ctx.writes.attachFile(
      { partyId: params.partyId, stage: query.stage, role: query.role ?? '', name: query.name, contentType: type.contentType, uploadedBy: principalOf(res) },
      checked(req, type, maxMb),
    );
    if (kept.outcome === 'NO_ENTRY') throw refusalError(REFUSAL.ENTRY_CLOSED, `Files are attached to an entry in progress, and ${params.partyId}'s is closed: nothing was kept.`);
    res.removeHeader('Connection');
    res.status(201).json(fileAnswer(ctx.config, params.partyId, kept.file));
  });

  mount(router, ctx, ENDPOINTS.downloadFile, async ({ params }, _req, res) => {
    const file = await ctx.reads.file(params.partyId, params.fileId);
    if (!file) throw notFound(`No file ${params.fileId} on ${params.partyId}'s entry`);
    res.attachment(file.name);
    res.writeHead(200, {
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
      'Repr-Digest': `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`,
    });
    // two chunks ahead at most: a download holds a few hundred KiB, however large the file
    await pipeline(Readable.from(ctx.reads.fileContent(file.id), { highWaterMark: 2 }), res);
  });

  return router;
}
