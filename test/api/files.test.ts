/**
 * Evidence files (POST /v1/entries/{partyId}/files, GET …/files/{fileId}): a Party's 5 MB PDF kept
 * with its SHA-256 in the audit trail and downloaded by the approver byte for byte; refused to
 * another Party; a program, a type not allowed and a file over the limit (declared, or found so
 * while it streams) refused in words with nothing kept.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AttachedFileSchema, EntryResponse, ErrorResponse } from '../../api/schemas';
import type { AuditRecord } from '../../domain/types';
import { BODY } from '../../domain/vocabulary';
import { startBody } from '../../testkit/api-fixtures';
import { call } from '../../testkit/api-harness';
import { useApiHarness } from '../../testkit/suites';
import { uniquePartyId } from '../../testkit/temporal';

const MAX_MB = 6;
const suite = useApiHarness({ harness: { settings: { EVIDENCE_FILE_MAX_MB: String(MAX_MB) } } });

const pdf = (bytes: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(bytes - 9)]);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function upload(partyId: string, token: string, content: Buffer | ReadableStream<Uint8Array>, contentType: string, name = 'fusa-report.pdf') {
  const res = await fetch(`${suite.h.baseUrl}/v1/entries/${partyId}/files?stage=SECURITY_ASSESSMENT&name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body: content,
    ...(content instanceof ReadableStream ? { duplex: 'half' } : {}),
  });
  return { status: res.status, json: (await res.json()) };
}

/** What the entry holds of files: its list and its FILE_ATTACHED records. */
async function kept(partyId: string) {
  const entry = EntryResponse.parse((await call(suite.h.baseUrl, 'GET', `/v1/entries/${partyId}`, { token: suite.h.tokenFor(BODY.OPS) })).json);
  const trail = (await call<{ records: AuditRecord[] }>(suite.h.baseUrl, 'GET', `/v1/entries/${partyId}/audit-trail`, { token: suite.h.tokenFor(BODY.OPS) })).json.records;
  return { files: entry.files, attached: trail.filter((r) => r.action === 'FILE_ATTACHED') };
}

async function started(prefix: string): Promise<string> {
  const partyId = uniquePartyId(prefix);
  expect((await call(suite.h.baseUrl, 'POST', '/v1/entries', { token: suite.h.tokenFor(BODY.OPS), body: startBody(partyId) })).status).toBe(201);
  return partyId;
}

test("a Party's 5 MB PDF is kept with its SHA-256 in the audit trail, downloaded by the approver byte for byte, and refused to another Party", async () => {
  const partyId = await started('FILE');
  const content = pdf(5 * 1024 * 1024);
  const answer = await upload(partyId, suite.h.partyToken(partyId), content, 'application/pdf');
  expect(answer.status).toBe(201);
  const file = AttachedFileSchema.parse(answer.json);
  expect([file.name, file.contentType, file.size, file.sha256, file.uploadedBy.body]).toEqual(['fusa-report.pdf', 'application/pdf', content.length, sha256(content), BODY.PARTY]);

  const { files, attached } = await kept(partyId);
  expect(files).toEqual([file]);
  expect(attached.map((r) => [r.stage, r.principal.id, r.file])).toEqual([['SECURITY_ASSESSMENT', `contact@${partyId}`, { id: file.id, name: file.name, contentType: 'application/pdf', size: content.length, sha256: sha256(content) }]]);

  const download = await fetch(file.links.download.replace(/^.*\/v1\//, `${suite.h.baseUrl}/v1/`), { headers: { authorization: `Bearer ${suite.h.tokenFor(BODY.SEC_PANEL)}` } });
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('application/pdf');
  expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="?fusa-report\.pdf"?$/);
  expect(download.headers.get('repr-digest')).toBe(`sha-256=:${Buffer.from(sha256(content), 'hex').toString('base64')}:`);
  const bytes = Buffer.from(await download.arrayBuffer());
  expect([bytes.length, sha256(bytes)]).toEqual([content.length, sha256(content)]);

  // another Party: refused on this entry, and its own entry does not hold the file
  const other = await started('FILE-O');
  const refused = await call(suite.h.baseUrl, 'GET', `/v1/entries/${partyId}/files/${file.id}`, { token: suite.h.partyToken(other) });
  expect([refused.status, ErrorResponse.parse(refused.json).error.code]).toEqual([403, 'NOT_OWN_PARTY']);
  const elsewhere = await call(suite.h.baseUrl, 'GET', `/v1/entries/${other}/files/${file.id}`, { token: suite.h.partyToken(other) });
  expect(elsewhere.status).toBe(404);
});

test('a program, a type not allowed, an empty file and a file over the limit are refused in words, with nothing kept', async () => {
  const partyId = await started('FILE-R');
  const token = suite.h.partyToken(partyId);
  const before = await kept(partyId);

  const program = await upload(partyId, token, Buffer.concat([Buffer.from('MZ'), randomBytes(4096)]), 'application/pdf', 'report.pdf');
  expect([program.status, ErrorResponse.parse(program.json).error.message]).toEqual([415, 'This file cannot be attached: it is a program or a script, which cannot be attached. Nothing was kept.']);
  const exe = await upload(partyId, token, randomBytes(1024), 'application/x-msdownload', 'setup.exe');
  expect(exe.status).toBe(415);
  expect(ErrorResponse.parse(exe.json).error.message).toMatch(/^Attach a file of one of these types: PDF, PNG image, JPEG image, .*\(this one is application\/x-msdownload\)\. Nothing was kept\.$/);
  const notPdf = await upload(partyId, token, Buffer.from('just words, no PDF at all'), 'application/pdf');
  expect(ErrorResponse.parse(notPdf.json).error.message).toBe('This file cannot be attached: its content is not a PDF, as its type (application/pdf) says. Nothing was kept.');
  const empty = await upload(partyId, token, Buffer.alloc(0), 'text/plain', 'empty.txt');
  expect([empty.status, ErrorResponse.parse(empty.json).error.message]).toEqual([422, 'The file is empty: nothing was kept.']);

  // over the limit: said by its length, at once; or found while it streams (no length given)
  const declared = await upload(partyId, token, pdf((MAX_MB + 1) * 1024 * 1024), 'application/pdf');
  expect([declared.status, ErrorResponse.parse(declared.json).error.message]).toEqual([413, `The file is larger than ${MAX_MB} MiB, the most this service keeps: nothing was kept.`]);
  const big = pdf((MAX_MB + 1) * 1024 * 1024);
  const streamed = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < big.length; at += 64 * 1024) controller.enqueue(big.subarray(at, at + 64 * 1024));
      controller.close();
    },
  });
  const found = await upload(partyId, token, streamed, 'application/pdf').catch((err: unknown) => ({ status: 0, json: { error: String(err) } }));
  // the API answers 413 and closes the connection; a client still sending may see the close first
  expect([0, 413]).toContain(found.status);

  expect(await kept(partyId)).toEqual(before);
  // and the entry still takes a good file
  expect((await upload(partyId, token, Buffer.from('Evidence Form, plain text\n'), 'text/plain; charset=utf-8', 'evidence-form.txt')).status).toBe(201);
});
