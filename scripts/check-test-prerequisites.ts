/**
 * `npm test`'s first step: the suite drives chromium (the console's end-to-end tests), starts
 * PostgreSQL servers (the record's tests on a real server) and Keycloak (the sign-in tests), and
 * runs promtool (the alert rules' tests), none of which `npm ci` installs. A machine without them
 * is told what is missing and how to get it, before anything runs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describeMissing, missingPrerequisites, type Prerequisite } from '../testkit/prerequisites';
import { promtoolCacheDir } from './promtool';

// Go builds promtool once; a machine that has it built needs no Go
const promtoolBuilt = existsSync(path.join(promtoolCacheDir(), 'bin', 'promtool'));
const needed: Prerequisite[] = ['chromium', 'postgresql', 'keycloak', ...(promtoolBuilt ? [] : ['go' as const])];
const missing = missingPrerequisites(needed);
if (missing.length > 0) {
  process.stderr.write(`${describeMissing(missing, 'npm test')}\n`);
  process.exit(1);
}
