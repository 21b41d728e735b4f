/**
 * Builds the web console (console/src -> console/dist): one minified ES module bundle by esbuild,
 * the page and its style sheet beside it, nothing loaded from anywhere else. Runs in npm's
 * postinstall, before `npm start` and `npm test`, and in the image build; in a stage that has no
 * console sources (the Docker dependency stages) it does nothing.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { CONSOLE_DIST } from '../config/console';

const CONSOLE_DIR = path.resolve(__dirname, '../console');
const ENTRY = path.join(CONSOLE_DIR, 'src/main.tsx');
const STATIC = ['index.html', 'style.css', 'favicon.svg'];

export interface ConsoleBuild {
  /** The JavaScript the browser downloads, gzipped, in bytes. */
  jsGzipBytes: number;
  jsBytes: number;
}

export async function buildConsole(): Promise<ConsoleBuild> {
  // imported here: esbuild is a dev dependency, absent from the production install this script also runs in (and does nothing)
  const { build } = await import('esbuild');
  rmSync(CONSOLE_DIST, { recursive: true, force: true });
  mkdirSync(CONSOLE_DIST, { recursive: true });
  await build({
    entryPoints: [ENTRY],
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
  const js = readFileSync(path.join(CONSOLE_DIST, 'app.js'));
  return { jsBytes: js.length, jsGzipBytes: gzipSync(js).length };
}

if (require.main === module) {
  if (!existsSync(ENTRY)) {
    console.log('console: no sources here, nothing to build');
  } else {
    buildConsole().then(
      (b) => console.log(`console built in console/dist: app.js ${(b.jsBytes / 1024).toFixed(1)} KiB (${(b.jsGzipBytes / 1024).toFixed(1)} KiB gzipped)`),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  }
}
