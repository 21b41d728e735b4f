#!/usr/bin/env node
/* global URL, process */
// The `uep` bin (`npm link` puts it on PATH): runs cli/uep.ts under tsx, as the npm scripts do.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../uep.ts', import.meta.url));
const tsx = import.meta.resolve('tsx'); // the project's, wherever it is run from
const result = spawnSync(process.execPath, ['--import', tsx, script, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
