/**
 * `npm test`'s first step: the suite drives chromium (the console's end-to-end tests) and starts
 * PostgreSQL servers (the record's tests on a real server), which `npm ci` does not install. A
 * machine without them is told what is missing and how to get it, before anything runs.
 */
import { describeMissing, missingPrerequisites } from '../testkit/prerequisites';

const missing = missingPrerequisites(['chromium', 'postgresql']);
if (missing.length > 0) {
  process.stderr.write(`${describeMissing(missing, 'npm test')}\n`);
  process.exit(1);
}
