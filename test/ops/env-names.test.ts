/**
 * One set of setting names: every name .env.example sets (or shows commented out) is read by a
 * process of the engine (the worker, the API, npm start), or sits in its "docker compose only"
 * section and docker-compose.yml uses it; and every variable those processes read is there.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { apiEnvSchema } from '../../api/config';
import { localEnvSchema } from '../../config/start-local-env';
import { workerEnvSchema } from '../../worker/config';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');
const COMPOSE_ONLY_MARK = '# --- docker compose only';

const example = read('.env.example');
const [engineSection = '', composeSection = ''] = example.split(COMPOSE_ONLY_MARK);
/** NAME=value and `# NAME=value` (a setting shown with its default) lines. */
const names = (text: string) => [...text.matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);

const READERS = { worker: workerEnvSchema, api: apiEnvSchema, 'npm start': localEnvSchema };
const readBy = (name: string) => Object.entries(READERS).filter(([, schema]) => name in schema.shape).map(([process]) => process);

test('.env.example has a "docker compose only" section', () => {
  expect(example).toContain(COMPOSE_ONLY_MARK);
});

test('every name in .env.example is read by the worker, the API or npm start', () => {
  const unread = names(engineSection).filter((name) => readBy(name).length === 0);
  expect(unread).toEqual([]);
});

test('every name in its "docker compose only" section is used by docker-compose.yml and read by no process', () => {
  const compose = read('docker-compose.yml');
  for (const name of names(composeSection)) {
    expect({ name, inCompose: compose.includes(`\${${name}`), readBy: readBy(name) }).toEqual({ name, inCompose: true, readBy: [] });
  }
});

test('every variable the worker, the API and npm start read is in .env.example, once', () => {
  const listed = names(engineSection);
  const read = [...new Set(Object.values(READERS).flatMap((schema) => Object.keys(schema.shape)))].sort();
  expect(read.filter((name) => !listed.includes(name))).toEqual([]);
  expect(listed.filter((name, i) => listed.indexOf(name) !== i)).toEqual([]);
});
