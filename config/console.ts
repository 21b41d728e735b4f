/** Where the built web console lives: written by console/build.ts, served by the API at /app. */
import path from 'node:path';

export const CONSOLE_DIST = path.resolve(__dirname, '../console/dist');
