/**
 * The web console, served on the API's own origin at /app: the page, its one script and its style
 * sheet from console/dist (console/build.ts), and the page again for every other path below
 * /app (the console routes in the browser). A strict Content-Security-Policy: everything the page
 * loads comes from here, no inline script, no CDN.
 */
import express, { Router, type Response } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CONSOLE_DIST } from '../config/console';
import { notFound } from './errors';

export const CONSOLE_PATH = '/app';
const INDEX = 'index.html';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

function secure(res: Response): void {
  res.set({ 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
}

export function consoleRouter(dist: string = CONSOLE_DIST): Router {
  const router = Router();
  const index = path.join(dist, INDEX);
  router.use(CONSOLE_PATH, (_req, res, next) => {
    if (!existsSync(index)) throw notFound('The console is not built here: run npm run build:console');
    secure(res);
    next();
  });
  // Revalidated on every load (ETag): a new build is seen at once.
  router.use(CONSOLE_PATH, express.static(dist, { index: false, redirect: false, cacheControl: true, maxAge: 0, setHeaders: (res) => res.set('Cache-Control', 'no-cache') }));
  // With a root, send checks only the path below it for dot segments: the project may live under ~/.local.
  router.get(`${CONSOLE_PATH}{/*rest}`, (_req, res, next) => {
    res.set('Cache-Control', 'no-cache').sendFile(INDEX, { root: dist }, (err?: Error) => {
      if (err && !res.headersSent) next(notFound('The console page is missing here: run npm run build:console'));
    });
  });
  return router;
}
