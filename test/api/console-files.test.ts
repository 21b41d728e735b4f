/**
 * The console's files from any folder a user may clone into: a path with a dot segment
 * (~/.local/src/uep-engine) serves the page; a page that is missing is a 404 in the one error shape.
 */
import express from 'express';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { CONSOLE_DIST } from '../../config/console';
import { consoleRouter } from '../../api/console';
import { errorMiddleware, notFoundHandler } from '../../api/errors';
import { ErrorResponse } from '../../api/schemas';

const base = mkdtempSync(path.join(tmpdir(), 'uep-console-'));
const dotDist = path.join(base, '.local', 'src', 'uep-engine', 'console', 'dist');
let server: Server;
let url: string;

beforeAll(async () => {
  mkdirSync(dotDist, { recursive: true });
  cpSync(CONSOLE_DIST, dotDist, { recursive: true });
  const app = express();
  app.use(consoleRouter(dotDist));
  app.use(notFoundHandler);
  app.use(errorMiddleware(pino({ level: 'silent' })));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(base, { recursive: true, force: true });
});

test('the page, its script and a console route, from a folder under a dot folder', async () => {
  for (const p of ['/app', '/app/entries/P-1']) {
    const page = await fetch(`${url}${p}`);
    expect([p, page.status, page.headers.get('content-type')]).toEqual([p, 200, expect.stringContaining('text/html')]);
    expect(await page.text()).toContain('<script');
  }
  expect((await fetch(`${url}/app/app.js`)).status).toBe(200);
});

test('a page that cannot be read is a 404 in the one error shape, not a 500', async () => {
  const index = path.join(dotDist, 'index.html');
  rmSync(index);
  mkdirSync(index); // there, but not a file
  try {
    const answer = await fetch(`${url}/app/entries/P-1`);
    expect(answer.status).toBe(404);
    expect(ErrorResponse.parse(await answer.json()).error.code).toBe('NOT_FOUND');
  } finally {
    rmSync(index, { recursive: true });
    cpSync(path.join(CONSOLE_DIST, 'index.html'), index);
  }
});
