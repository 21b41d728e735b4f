/**
 * deploy/Caddyfile run with Caddy (the version of the compose image): the API is reached over
 * HTTPS only. Plain HTTP never reaches it: the HTTP port redirects to HTTPS, and plain HTTP sent
 * to the HTTPS port is refused. The upstream is a real HTTP server that records what arrives.
 */
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';
import { eventually } from '../../testkit/api-harness';
import { startCaddy, type RunningCaddy } from '../../testkit/caddy';
import { freePort } from '../../testkit/ports';

const CADDYFILE = path.resolve(__dirname, '..', '..', 'deploy', 'Caddyfile');
const TOKEN = 'Bearer uep_a-token-that-must-never-travel-in-clear';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function plainHttp(port: number, urlPath: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: urlPath, headers: { host: 'localhost', authorization: TOKEN } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function tls(port: number, urlPath: string, ca: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', servername: 'localhost', port, path: urlPath, ca, headers: { host: 'localhost', authorization: TOKEN } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the TLS proxy in front of the API (deploy/Caddyfile)', () => {
  const arrived: { url: string; headers: IncomingHttpHeaders }[] = [];
  let upstream: Server;
  let caddy: RunningCaddy;
  let rootCa: string;

  beforeAll(async () => {
    const upstreamPort = await freePort();
    upstream = createServer((req, res) => {
      arrived.push({ url: req.url ?? '', headers: req.headers });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'ok' }));
    });
    await new Promise<void>((resolve) => upstream.listen(upstreamPort, '127.0.0.1', resolve));
    caddy = await startCaddy(CADDYFILE, { API_DOMAIN: 'localhost', API_TLS: 'internal', API_UPSTREAM: `127.0.0.1:${upstreamPort}` });
    // Caddy's local CA (API_TLS=internal), made on first start: what a client would be told to trust.
    const rootPath = path.join(caddy.dataDir, 'caddy', 'pki', 'authorities', 'local', 'root.crt');
    for (let i = 0; i < 100 && rootCa === undefined; i++) {
      try {
        rootCa = readFileSync(rootPath, 'utf8');
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });

  afterAll(async () => {
    await caddy?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  test('an HTTPS request reaches the API, marked as forwarded over https, with HSTS in the answer', async () => {
    // Caddy issues its certificate just after start: until then the handshake fails.
    const answer = await eventually(
      () => tls(caddy.httpsPort, '/healthz', rootCa).catch((err: Error): Answer => ({ status: 0, headers: {}, body: err.message })),
      (a) => a.status !== 0,
      20_000,
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: 'ok' });
    expect(answer.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(arrived.map((a) => a.url)).toEqual(['/healthz']);
    expect(arrived[0]!.headers['x-forwarded-proto']).toBe('https');
    expect(arrived[0]!.headers.authorization).toBe(TOKEN);
  });

  test('a request without TLS to the HTTP port is redirected to HTTPS and never reaches the API', async () => {
    arrived.length = 0;
    const answer = await plainHttp(caddy.httpPort, '/v1/entries');
    expect(answer.status).toBe(308);
    expect(answer.headers.location).toMatch(/^https:\/\/localhost(:\d+)?\/v1\/entries$/);
    expect(arrived).toEqual([]);
  });

  test('a request without TLS to the HTTPS port is refused and never reaches the API', async () => {
    arrived.length = 0;
    const answer = await plainHttp(caddy.httpsPort, '/v1/entries');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/HTTP request to an HTTPS server/);
    expect(arrived).toEqual([]);
  });
});
