/**
 * The OpenAPI document: generated from the endpoint table, valid OpenAPI 3.1 (checked by
 * @readme/openapi-parser), and equal to the committed snapshot api/openapi.snapshot.json.
 * After an intended API change: UPDATE_OPENAPI_SNAPSHOT=1 npx jest test/api/openapi.test.ts
 */
import { validate } from '@readme/openapi-parser';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ENDPOINTS } from '../../api/endpoints';
import { buildOpenApiDocument } from '../../api/openapi';
import { ACTION } from '../../api/permissions';
import { REFUSAL } from '../../domain/types';

const SNAPSHOT = path.resolve(__dirname, '../../api/openapi.snapshot.json');

describe('OpenAPI document', () => {
  const document = buildOpenApiDocument();

  test('is valid OpenAPI 3.1', async () => {
    const result = await validate(JSON.parse(JSON.stringify(document)));
    if (!result.valid) console.error(JSON.stringify(result.errors, null, 2));
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  test('matches the committed snapshot (no drift)', () => {
    const current = JSON.stringify(document, null, 2) + '\n';
    if (process.env.UPDATE_OPENAPI_SNAPSHOT === '1') writeFileSync(SNAPSHOT, current);
    expect(current).toBe(readFileSync(SNAPSHOT, 'utf8'));
  });

  test('the audit export documents both formats it answers in (format=ndjson and format=csv)', () => {
    const ok = (document.paths?.['/v1/audit-export'] as { get?: { responses?: Record<string, { content?: object }> } }).get?.responses?.['200'];
    expect(Object.keys(ok?.content ?? {}).sort()).toEqual(['application/x-ndjson', 'text/csv']);
  });

  test('documents every endpoint of the table, with its operation id and error codes', () => {
    for (const e of Object.values(ENDPOINTS)) {
      const openApiPath = e.path.replace(/:([A-Za-z]+)/g, '{$1}');
      const op = (document.paths?.[openApiPath] as Record<string, { operationId?: string; responses?: object }> | undefined)?.[e.method];
      expect(op?.operationId).toBe(e.operationId);
      expect(Object.keys(op?.responses ?? {})).toContain(String(e.success.status));
    }
    const text = JSON.stringify(document);
    for (const code of Object.values(REFUSAL)) expect(text).toContain(code);
  });

  test('every action of the permissions table has an endpoint', () => {
    const used = new Set(Object.values(ENDPOINTS).map((e) => ('action' in e ? e.action : undefined)));
    for (const action of Object.values(ACTION)) expect(used).toContain(action);
  });

  test('request bodies refuse unknown fields (additionalProperties: false)', () => {
    const schemas = document.components?.schemas ?? {};
    for (const name of ['StartEntryRequest', 'DecisionRequest', 'EvidenceRequest', 'AmendDeadlineRequest', 'AddRoleRequest', 'WithdrawRequest']) {
      expect((schemas[name] as { additionalProperties?: unknown }).additionalProperties).toBe(false);
      expect(JSON.stringify(schemas[name])).not.toContain('principal');
    }
  });
});
