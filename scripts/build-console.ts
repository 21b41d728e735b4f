/**
 * `npm run build:console`: builds the web console (console/build.ts). Runs in npm's postinstall,
 * before `npm start` and `npm test`, and in the image build; in a stage that has no console
 * sources (the Docker dependency stages) it does nothing.
 */
import { existsSync } from 'node:fs';
import { buildConsole, CONSOLE_ENTRY } from '../console/build';

if (!existsSync(CONSOLE_ENTRY)) {
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
