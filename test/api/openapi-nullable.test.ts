/**
 * A nullable field that refers to a named schema must accept null in the document: `allOf` with
 * the $ref would refuse every null (schemathesis found GET /v1/entries/:id answering
 * mandateDeadline: null against such a schema). Static: no server needed.
 */
import { buildOpenApiDocument } from '../../api/openapi';

function allOfWithNull(node: unknown, at: string, found: string[]): string[] {
  if (Array.isArray(node)) node.forEach((v, i) => allOfWithNull(v, `${at}[${i}]`, found));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    const parts = Array.isArray(o.allOf) ? (o.allOf as { $ref?: unknown; type?: unknown }[]) : [];
    const allowsNull = (t: unknown) => t === 'null' || (Array.isArray(t) && t.includes('null'));
    if (parts.some((p) => p.$ref !== undefined) && parts.some((p) => allowsNull(p.type))) found.push(at);
    for (const [k, v] of Object.entries(o)) allOfWithNull(v, `${at}/${k}`, found);
  }
  return found;
}

test('no nullable $ref is rendered as an allOf that no null satisfies', () => {
  const doc = buildOpenApiDocument('http://127.0.0.1:3000');
  expect(allOfWithNull(doc, '', [])).toEqual([]);
  const schemas = (doc.components?.schemas ?? {}) as Record<string, { properties?: Record<string, unknown> }>;
  expect(schemas.EntrySummary?.properties?.mandateDeadline).toEqual({ anyOf: [{ $ref: '#/components/schemas/CalendarDate' }, { type: 'null' }] });
});
