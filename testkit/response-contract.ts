/**
 * Every JSON answer a test (or the bench) gets through `call` is checked against the contract
 * (api/endpoints.ts): the endpoint's success schema for its success status, ErrorResponse for an
 * error. An answer built as text (the inbox, the compliance report) cannot drift from its schema
 * unnoticed, whichever test happens to read it.
 */
import { ENDPOINTS, type Endpoint } from '../api/endpoints';
import { ErrorResponse } from '../api/schemas';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const ROUTES = (Object.values(ENDPOINTS) as Endpoint[]).map((endpoint) => ({
  endpoint,
  pattern: new RegExp(`^${endpoint.path.split(/:[A-Za-z]+/).map(escape).join('[^/]+')}$`),
}));

/** Why a JSON answer breaks its endpoint's contract, or undefined when it keeps it (or is no JSON answer of a known endpoint). */
export function contractProblem(method: string, url: string, status: number, contentType: string | null, json: unknown): string | undefined {
  if (json === undefined || !contentType?.startsWith('application/json')) return undefined;
  const pathname = new URL(url, 'http://x').pathname;
  const route = ROUTES.find((r) => r.endpoint.method === method.toLowerCase() && r.pattern.test(pathname));
  if (!route) return undefined;
  const schema = status === route.endpoint.success.status ? route.endpoint.success.schema : status >= 400 ? ErrorResponse : undefined;
  const checked = schema?.safeParse(json);
  if (!checked || checked.success) return undefined;
  return `${method} ${pathname} answered ${status} with JSON that is not its documented ${status >= 400 ? 'ErrorResponse' : (route.endpoint.success.schema?.meta()?.id ?? 'schema')}: ${checked.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.')}: ${i.message}`)
    .join('; ')}`;
}
