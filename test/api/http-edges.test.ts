/**
 * Input at the edges: malformed JSON, unknown fields, wrong types, oversized and non-JSON bodies,
 * hostile ids, unknown routes, tokens; plus request ids, metrics, health, readiness and docs.
 */
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ErrorResponse, ReadyResponse } from '../../api/schemas';
import { hashToken, loadTokenStore, mintToken } from '../../api/tokens';
import { BODY, STAGE } from '../../domain/vocabulary';
import { uniquePartyId } from '../../testkit/temporal';
import { startBody, startBodyAcceded } from '../../testkit/api-fixtures';
import { call, type Answer } from '../../testkit/api-harness';
import { useApiHarness } from '../../testkit/suites';
import { bearer, party } from '../../testkit/typed-api';

const suite = useApiHarness({ harness: { apiBodyLimit: '8kb' } });
let ops: string;

beforeAll(async () => {
  ops = suite.h.tokenFor(BODY.OPS);
});

/** A refusal, sent raw (`call()`) or through the typed client. */
function expectError(r: Answer | { response: Response; error?: unknown }, status: number, code: string, paths: string[] = []): void {
  const [answered, json, text] = 'json' in r ? [r.status, r.json, r.text] : [r.response.status, r.error, JSON.stringify(r.error)];
  expect({ status: answered, code: (json as ErrorResponse)?.error?.code }).toEqual({ status, code });
  const body = ErrorResponse.parse(json);
  for (const p of paths) expect(body.error.details.map((d) => d.path)).toContain(p);
  expect(text).not.toMatch(/at .*\.(ts|js):\d+/); // never a stack trace
}

describe('bad input is a 400 with field paths', () => {
  test('malformed JSON', async () => {
    expectError(await call(suite.h.baseUrl, 'POST', '/v1/entries', { token: ops, rawBody: '{"partyId": "X",', headers: { 'content-type': 'application/json' } }), 400, 'MALFORMED_JSON');
  });

  test('unknown fields, including a caller-supplied principal, are refused', async () => {
    const r = await call(suite.h.baseUrl, 'POST', '/v1/entries', { token: ops, body: { ...startBody(uniquePartyId()), principal: { body: 'OPS', id: 'mallory' } } });
    expectError(r, 400, 'VALIDATION_FAILED');
    expect(ErrorResponse.parse(r.json).error.details[0]?.message).toContain('principal');
    const partyId = uniquePartyId();
    await suite.api.POST('/v1/entries', { ...bearer(ops), body: startBodyAcceded(partyId) });
    expectError(
      await call(suite.h.baseUrl, 'POST', `/v1/entries/${partyId}/decisions`, {
        token: suite.h.tokenFor(BODY.SECAS),
        body: { decisionId: 'd1', stage: STAGE.ID_ALLOCATION, outcome: 'ALLOCATED', evidence: 'e', principal: { body: 'SEC_PANEL', id: 'x' } },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await call(suite.h.baseUrl, 'GET', '/v1/entries?colour=red', { token: ops }), 400, 'VALIDATION_FAILED');
  });

  test('wrong types and values name their fields', async () => {
    const r = await call(suite.h.baseUrl, 'POST', '/v1/entries', {
      token: ops,
      body: { ...startBody(uniquePartyId()), roles: 'IMPORT_SUPPLIER', cohort: 'GIANT', mandateDeadline: '2030-02-30', uepContact: { name: 'x', email: 'not-an-email' } },
    });
    expectError(r, 400, 'VALIDATION_FAILED', ['body.roles', 'body.cohort', 'body.mandateDeadline', 'body.uepContact.email']);
    expectError(await call(suite.h.baseUrl, 'GET', '/v1/entries?limit=1000&atRisk=maybe', { token: ops }), 400, 'VALIDATION_FAILED', ['query.limit', 'query.atRisk']);
    expectError(await call(suite.h.baseUrl, 'GET', '/v1/entries?status=IN_PROGRESS&status=COMPLETE', { token: ops }), 400, 'VALIDATION_FAILED', ['query.status']);
    expectError(await call(suite.h.baseUrl, 'POST', '/v1/entries', { token: ops, rawBody: '[1,2]', headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_FAILED');
  });

  test('an oversized body is 413; a non-JSON body is 415', async () => {
    const big = { ...startBody(uniquePartyId()), partyName: 'x'.repeat(20_000) };
    expectError(await suite.api.POST('/v1/entries', { ...bearer(ops), body: big }), 413, 'PAYLOAD_TOO_LARGE');
    expectError(await call(suite.h.baseUrl, 'POST', '/v1/entries', { token: ops, rawBody: 'partyId=X', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('hostile ids never reach Temporal: strict pattern', async () => {
    for (const id of ["X' OR '1'='1", '../etc/passwd', 'a b', 'é', 'x'.repeat(65), '-leading', 'uep-"quoted"', 'a\nb']) {
      const start = await suite.api.POST('/v1/entries', { ...bearer(ops), body: startBody(id) });
      expectError(start, 400, 'VALIDATION_FAILED', ['body.partyId']);
      const get = await suite.api.GET('/v1/entries/{partyId}', { ...party(id), ...bearer(ops) }); // the id encoded as a URI component
      expect([400, 404]).toContain(get.response.status); // '../etc/passwd' leaves the route: 404
      expect(ErrorResponse.safeParse(get.error).success).toBe(true);
    }
    const partyId = uniquePartyId();
    await suite.api.POST('/v1/entries', { ...bearer(ops), body: startBodyAcceded(partyId) });
    expectError(
      await suite.api.POST('/v1/entries/{partyId}/decisions', { ...party(partyId), ...bearer(suite.h.tokenFor(BODY.SECAS)), body: { decisionId: "d'1; --", stage: STAGE.ID_ALLOCATION, outcome: 'ALLOCATED', evidence: 'e' } }),
      400,
      'VALIDATION_FAILED',
      ['body.decisionId'],
    );
  });
});

describe('routes and tokens', () => {
  test('unknown route or method is a 404 in the one shape', async () => {
    expectError(await call(suite.h.baseUrl, 'GET', '/v1/nothing-here', { token: ops }), 404, 'NOT_FOUND');
    expectError(await call(suite.h.baseUrl, 'DELETE', `/v1/entries/${uniquePartyId()}`, { token: ops }), 404, 'NOT_FOUND');
  });

  test('no token, a malformed header or an unknown token is 401', async () => {
    expectError(await suite.api.GET('/v1/entries'), 401, 'UNAUTHENTICATED');
    expectError(await suite.api.GET('/v1/entries', { headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } }), 401, 'UNAUTHENTICATED');
    expectError(await suite.api.GET('/v1/entries', bearer('uep_not-a-real-token')), 401, 'UNAUTHENTICATED');
    expectError(await suite.api.GET('/v1/entries', bearer(ops.slice(0, -1))), 401, 'UNAUTHENTICATED');
  });

  test('tokens load hashed from a file or from env; `tokens mint` prints a token once and stores only its hash', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'uep-tokens-'));
    const file = path.join(dir, 'tokens.json');
    // Asynchronously: a synchronous child would hold the event loop the API under test runs on.
    const run = async (...args: string[]) =>
      (await promisify(execFile)(process.execPath, [require.resolve('tsx/cli'), path.resolve(__dirname, '../../scripts/tokens.ts'), ...args], { encoding: 'utf8' })).stdout.trim();
    const dccToken = await run('mint', '--file', file, '--body', 'DCC', '--id', 'dcc-1', '--name', 'Dana Smith');
    const partyToken = await run('mint', '--file', file, '--body', 'PARTY', '--id', 'acme-lead', '--party', 'ACME', '--name', 'Alex Acme');
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain(dccToken);
    expect(stored).toContain(hashToken(dccToken));
    const store = loadTokenStore({ AUTH_TOKENS_FILE: file, AUTH_TOKENS_JSON: undefined });
    expect(store.check(dccToken)).toEqual({ ok: true, principal: { body: 'DCC', id: 'dcc-1', name: 'Dana Smith' } });
    expect(store.check(partyToken)).toEqual({ ok: true, principal: { body: 'PARTY', id: 'acme-lead', partyId: 'ACME', name: 'Alex Acme' } });
    await expect(run('mint', '--file', file, '--body', 'PARTY', '--id', 'no-party', '--name', 'Nobody')).rejects.toThrow();
    await expect(run('mint', '--file', file, '--body', 'OPS', '--id', 'nameless')).rejects.toThrow(/--name is required/);

    const { token, record } = mintToken({ body: BODY.SECAS, id: 'secas-1', name: 'Sam Secas' });
    const fromEnv = loadTokenStore({ AUTH_TOKENS_FILE: undefined, AUTH_TOKENS_JSON: JSON.stringify({ tokens: [record] }) });
    expect(fromEnv.check(token)).toEqual({ ok: true, principal: { body: 'SECAS', id: 'secas-1', name: 'Sam Secas' } });
    expect(() => loadTokenStore({ AUTH_TOKENS_FILE: undefined, AUTH_TOKENS_JSON: '{"tokens":[{"sha256":"x"}]}' })).toThrow(/AUTH_TOKENS_JSON/);
  });
});

/** One HTTP/1.1 keep-alive connection, spoken raw, so the test sees exactly when the server closes it. */
function rawConnection(baseUrl: string) {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  let closed = false;
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  const get = (p: string) =>
    new Promise<string>((resolve, reject) => {
      let answer = '';
      const onData = (chunk: Buffer) => {
        answer += chunk.toString('latin1');
        if (/\r\n\r\n[\s\S]*\}$/.test(answer)) {
          socket.off('data', onData);
          resolve(answer);
        }
      };
      socket.on('data', onData);
      socket.once('close', () => reject(new Error(`closed by the server; got: ${answer}`)));
      socket.write(`GET ${p} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: keep-alive\r\n\r\n`);
    });
  return { get, isClosed: () => closed, close: () => socket.destroy() };
}

describe('keep-alive', () => {
  test('the server keeps an idle connection past what a client keeps it for, and past a 5 s stall', async () => {
    const conn = rawConnection(suite.h.baseUrl);
    try {
      const first = await conn.get('/healthz');
      // undici (fetch) keeps an idle socket for the advertised timeout less 2 s: the client lets go first
      const advertised = Number(/keep-alive: timeout=(\d+)/i.exec(first)?.[1]);
      expect(advertised).toBeGreaterThanOrEqual(60);
      // Node's default (5 s) closed it here; a client whose loop had stalled that long wrote into the closing socket: ECONNRESET
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      expect(conn.isClosed()).toBe(false);
      expect(await conn.get('/healthz')).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      conn.close();
    }
  });
});

describe('operations', () => {
  test('x-request-id is taken when sane, made otherwise, and echoed in errors', async () => {
    const given = await suite.api.GET('/healthz', { headers: { 'x-request-id': 'req-123' } });
    expect(given.response.headers.get('x-request-id')).toBe('req-123');
    const made = await suite.api.GET('/v1/entries', { headers: { 'x-request-id': 'bad id with spaces' } });
    const id = made.response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ErrorResponse.parse(made.error).error.requestId).toBe(id);
  });

  test('JSON answers carry no ETag (nothing revalidates them); the console files keep theirs', async () => {
    const partyId = uniquePartyId('ETAG');
    const started = await suite.api.POST('/v1/entries', { ...bearer(ops), body: startBodyAcceded(partyId) });
    expect([started.response.status, started.response.headers.get('etag')]).toEqual([201, null]);
    const list = await suite.api.GET('/v1/entries', { params: { query: { limit: 5 } }, ...bearer(ops) });
    expect([list.response.status, list.response.headers.get('etag')]).toEqual([200, null]);
    const script = await call(suite.h.baseUrl, 'GET', '/app/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('etag')).toMatch(/^W\/"/);
  });

  test('healthz, readyz within the bound, metrics by route template and status', async () => {
    expect((await suite.api.GET('/healthz')).data).toEqual({ status: 'ok' });
    const ready = await suite.api.GET('/readyz');
    expect(ready.response.status).toBe(200);
    expect(ReadyResponse.parse(ready.data).temporal.namespace).toBe('default');
    await suite.api.GET('/v1/entries/{partyId}', { ...party(uniquePartyId()), ...bearer(ops) });
    const metrics = await suite.api.GET('/metrics', { parseAs: 'text' });
    expect(metrics.response.headers.get('content-type')).toContain('text/plain');
    expect(metrics.data).toMatch(/uep_api_http_requests_total\{method="GET",route="\/v1\/entries\/:partyId",status="404"\} \d+/);
    expect(metrics.data).toMatch(/uep_api_http_request_duration_seconds_bucket\{le="0.1",method="GET",route="\/readyz",status="200"\} \d+/);
    expect(metrics.data).toContain('route="unmatched"');
  });

  test('the OpenAPI document and the docs page (assets served locally)', async () => {
    const doc = await call(suite.h.baseUrl, 'GET', '/openapi.json');
    expect((doc.json as { openapi: string }).openapi).toBe('3.1.0');
    const page = await call(suite.h.baseUrl, 'GET', '/docs/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui');
    const asset = await call(suite.h.baseUrl, 'GET', '/docs/swagger-ui-bundle.js');
    expect(asset.status).toBe(200);
    expect(page.text).not.toMatch(/https?:\/\/(unpkg|cdn)/);
  });
});
