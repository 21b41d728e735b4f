/**
 * The console cannot drift from the API: its types are generated from the committed OpenAPI
 * document, the document is what the API serves, and every example in it is valid against its own
 * schema (and, for a decision, against the catalogue: the example's outcome is one its stage has).
 * After an intended API change: UPDATE_OPENAPI_SNAPSHOT=1 npx jest test/api/openapi.test.ts, then
 * npm run console:types.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Client } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TokenStore } from '../../api/tokens';
import { getCatalogue } from '../../domain';
import { call, listenApp } from '../../testkit/api-harness';

type Json = Record<string, unknown>;
const ROOT = path.resolve(__dirname, '../..');
const OPENAPI_SNAPSHOT = path.join(ROOT, 'api/openapi.snapshot.json');
const CONSOLE_TYPES = path.join(ROOT, 'console/src/openapi.d.ts');

/** openapi-typescript's dependencies are ES modules only: it runs under tsx, as `npm run console:types` runs it. */
function freshConsoleTypes(): string {
  return execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/generate-console-types.ts'), '--stdout'], { cwd: ROOT, encoding: 'utf8' });
}
const snapshot = JSON.parse(readFileSync(OPENAPI_SNAPSHOT, 'utf8')) as Json & { components: { schemas: Record<string, Json> } };

/** Every schema object in the document that carries an example, with where it is. */
function examplesIn(node: unknown, where: string, found: { where: string; schema: Json; example: unknown }[] = []) {
  if (Array.isArray(node)) node.forEach((n, i) => examplesIn(n, `${where}/${i}`, found));
  else if (node && typeof node === 'object') {
    const obj = node as Json;
    if ('example' in obj && ('type' in obj || '$ref' in obj || 'properties' in obj || 'anyOf' in obj || 'enum' in obj)) {
      const { example, ...schema } = obj;
      found.push({ where, schema, example });
    }
    for (const [k, v] of Object.entries(obj)) if (k !== 'example') examplesIn(v, `${where}/${k}`, found);
  }
  return found;
}

describe('the console and the OpenAPI document', () => {
  test('the committed console types are what openapi-typescript generates from the committed document', () => {
    expect(readFileSync(CONSOLE_TYPES, 'utf8')).toBe(freshConsoleTypes());
  });

  test('the committed document is what the API serves at /openapi.json', async () => {
    const { server, baseUrl } = await listenApp(new Client(), {}, new TokenStore([]));
    try {
      const served = await call<Json>(baseUrl, 'GET', '/openapi.json');
      expect(served.status).toBe(200);
      const { servers, ...document } = served.json;
      expect(servers).toEqual([{ url: baseUrl }]);
      expect(document).toEqual(snapshot);
    } finally {
      server.close();
    }
  });

  test('every example is valid against its own schema', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'doc', components: snapshot.components });
    const examples = examplesIn(snapshot, '#');
    expect(examples.length).toBeGreaterThan(10);
    const schemaRefs = (s: Json): Json => JSON.parse(JSON.stringify(s).replace(/"#\/components/g, '"doc#/components')) as Json;
    const invalid = examples.filter(({ schema, example }) => !ajv.validate(schemaRefs(schema), example)).map((e) => e.where);
    expect(invalid).toEqual([]);
    // the request bodies /docs offers as "Try it out" have whole examples of their own
    for (const name of ['StartEntryRequest', 'DecisionRequest', 'EvidenceRequest', 'AmendDeadlineRequest', 'AddRoleRequest', 'WithdrawRequest']) {
      expect(snapshot.components.schemas[name]).toHaveProperty('example');
    }
  });

  test("the decision example is one the engine takes: its outcome is one of its stage's, with the role a role-level stage needs", () => {
    const example = snapshot.components.schemas.DecisionRequest?.example as { stage: string; role?: string; outcome: string };
    const stage = getCatalogue().stages.find((s) => s.id === example.stage);
    expect(stage?.outcomes.map((o) => o.outcome)).toContain(example.outcome);
    expect(example.role !== undefined).toBe(stage?.level === 'ROLE');
    const evidence = snapshot.components.schemas.EvidenceRequest?.example as { stage: string };
    expect(getCatalogue().stages.find((s) => s.id === evidence.stage)?.partySubmitsFirst).toBe(true);
  });
});
