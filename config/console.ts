/** Where the built web console lives: written by scripts/build-console.ts, served by the API at /app. */
import path from 'node:path';

export const CONSOLE_DIST = path.resolve(__dirname, '../console/dist');
