/**
 * Lints source text with the repository's own ESLint config, for test/ops/lint-boundaries.test.ts
 * (run as a child process: ESLint loads its flat config with a dynamic import, which jest's module
 * sandbox cannot do). Reads [{ filePath, code }] as JSON on stdin; prints [{ filePath, messages }].
 * Type information is switched off: the probed files exist only in memory, and no boundary rule
 * needs types.
 */
import { ESLint } from 'eslint';
import path from 'node:path';
import tseslint from 'typescript-eslint';

interface Probe {
  filePath: string;
  code: string;
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const probes = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Probe[];
  const eslint = new ESLint({
    cwd: path.resolve(__dirname, '../..'),
    overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }],
  });
  const results = [];
  for (const probe of probes) {
    const [result] = await eslint.lintText(probe.code, { filePath: probe.filePath });
    results.push({ filePath: probe.filePath, messages: (result?.messages ?? []).map((m) => ({ ruleId: m.ruleId, message: m.message })) });
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
