/**
 * Builds the web console (console/src -> console/dist): one minified ES module bundle by esbuild,
 * the page and its style sheet beside it, nothing loaded from anywhere else. `npm run
 * build:console` (scripts/build-console.ts), `npm start` and the console tests run it.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { CONSOLE_DIST } from '../config/console';

const CONSOLE_DIR = __dirname;
export const CONSOLE_ENTRY = path.join(CONSOLE_DIR, 'src/main.tsx');
const STATIC = ['index.html', 'style.css', 'favicon.svg'];

export interface ConsoleBuild {
  /** The JavaScript the browser downloads, gzipped, in bytes. */
  jsGzipBytes: number;
  jsBytes: number;
}

export async function buildConsole(): Promise<ConsoleBuild> {
  // imported here: esbuild is a dev dependency, absent from the production install (which has no console sources to build)
  const { build } = await import('esbuild');
  rmSync(CONSOLE_DIST, { recursive: true, force: true });
  mkdirSync(CONSOLE_DIST, { recursive: true });
  await build({
    entryPoints: [CONSOLE_ENTRY],
    outfile: path.join(CONSOLE_DIST, 'app.js'),
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: path.join(CONSOLE_DIR, 'tsconfig.json'),
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const file of STATIC) copyFileSync(path.join(CONSOLE_DIR, 'public', file), path.join(CONSOLE_DIST, file));
  return builtConsole();
}

/** The console as built already (console/dist): its sizes. */
export function builtConsole(): ConsoleBuild {
  const js = readFileSync(path.join(CONSOLE_DIST, 'app.js'));
  return { jsBytes: js.length, jsGzipBytes: gzipSync(js).length };
}
