/**
 * The OpenAPI 3.1 document, generated from the endpoint table (api/endpoints.ts) and its zod
 * schemas: nothing here is written by hand twice. Served at /openapi.json, rendered at /docs,
 * and snapshotted in api/openapi.snapshot.json (test/api/openapi.test.ts catches drift).
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { ALL_BODIES } from '../domain/vocabulary';
import { API_ERROR_STATUS, REFUSAL_STATUS } from './errors';
import { CONTENT_TYPE, ENDPOINTS, type Endpoint } from './endpoints';
import { ACCESS, PERMISSIONS } from './permissions';
import { ErrorResponse } from './schemas';

export const BEARER_SCHEME = 'bearerAuth';
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad input: invalid JSON, an unknown field, a wrong type (details name the fields)',
  401: 'No bearer token, or an unknown one',
  403: "The caller's body may not do this, or a Party acting for another party",
  404: 'No entry for this party, or no such route',
  409: 'Conflict: already started, stage not awaiting, entry closed, role already sought, id reused',
  413: 'The body is larger than API_BODY_LIMIT',
  415: 'The body is not application/json',
  422: 'Refused by the entry: unknown outcome, stage not applicable, role required, invalid deadline',
  500: 'Internal error (no details leave the server)',
  503: "Retry later: Temporal is unreachable or did not answer within TEMPORAL_RPC_TIMEOUT_MS (TEMPORAL_UNAVAILABLE), or the entry's workflow task is failing and Temporal is retrying it (ENTRY_NOT_READY)",
};

/** Which codes each status carries, from the two mapping tables. */
function codesFor(status: number): string[] {
  return [...Object.entries(API_ERROR_STATUS), ...Object.entries(REFUSAL_STATUS)].filter(([, s]) => s === status).map(([c]) => c);
}

function whoMay(endpoint: Endpoint): string {
  if (!endpoint.action) return 'Public: no token.';
  const table = PERMISSIONS[endpoint.action];
  const cells = ALL_BODIES.filter((b) => table[b] !== ACCESS.NONE).map((b) => (table[b] === ACCESS.OWN_PARTY ? `${b} (own party only)` : b));
  return `Allowed: ${cells.join(', ')}.`;
}

function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, '{$1}');
}

function route(endpoint: Endpoint): RouteConfig {
  const errorStatuses = new Set([...endpoint.errors, 500, ...(endpoint.action ? [401, 403, 503] : [])]);
  const responses: RouteConfig['responses'] = {
    [endpoint.success.status]: {
      description: endpoint.success.description,
      content: Object.fromEntries(
        [endpoint.success.contentType ?? CONTENT_TYPE.JSON].flat().map((type) => [type, { schema: endpoint.success.schema ?? { type: 'string' } }]),
      ),
    },
  };
  for (const status of [...errorStatuses].sort()) {
    const codes = codesFor(status);
    responses[status] = {
      description: `${STATUS_TEXT[status] ?? 'Error'}${codes.length ? ` (codes: ${codes.join(', ')})` : ''}`,
      content: { [CONTENT_TYPE.JSON]: { schema: ErrorResponse } },
    };
  }
  return {
    method: endpoint.method,
    path: toOpenApiPath(endpoint.path),
    operationId: endpoint.operationId,
    tags: [endpoint.tag],
    summary: endpoint.summary,
    description: [endpoint.description, whoMay(endpoint)].filter(Boolean).join('\n\n'),
    security: endpoint.action ? [{ [BEARER_SCHEME]: [] }] : [],
    request: {
      ...(endpoint.params ? { params: endpoint.params as never } : {}),
      ...(endpoint.query ? { query: endpoint.query as never } : {}),
      ...(endpoint.body ? { body: { required: true, content: { [CONTENT_TYPE.JSON]: { schema: endpoint.body } } } } : {}),
      ...(endpoint.rawBody
        ? { body: { required: true, description: endpoint.rawBody.description, content: Object.fromEntries(endpoint.rawBody.contentTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])) } }
        : {}),
    },
    responses,
  };
}

export function buildOpenApiDocument(serverUrl?: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', BEARER_SCHEME, {
    type: 'http',
    scheme: 'bearer',
    description: 'An opaque token minted by scripts/tokens.ts; it names a principal {body, id, partyId?} and the person who holds it, and it expires. 401 says why a token is refused: unknown, expired or revoked.',
  });
  for (const endpoint of Object.values(ENDPOINTS) as Endpoint[]) registry.registerPath(route(endpoint));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'UEP engine API',
      version: '1.0.0',
      description:
        'Runs the GB Smart Energy Code DCC User Entry Process as durable Temporal workflows, one per Party. ' +
        'Every error has one shape: { error: { code, message, details: [{ path, message }] } }.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    tags: [
      { name: 'entries', description: "A Party's entry: start, status, search, deadline, roles, withdrawal, audit trail" },
      { name: 'sign-offs', description: 'Decisions, evidence and inboxes' },
      { name: 'reports', description: 'Compliance against the mandates' },
      { name: 'catalogue', description: 'The rules of the process: stages, owners, outcomes, SLAs' },
      { name: 'operations', description: 'Health, readiness and metrics' },
    ],
  });
}
