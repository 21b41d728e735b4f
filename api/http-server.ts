/**
 * The API's HTTP server, the same in production and under test.
 *
 * Keep-alive: a client reuses an idle connection until its own idle timer fires; Node's fetch
 * (undici) takes the server's advertised `Keep-Alive: timeout=N` less a 2 s margin. If the
 * server closes first, a request written on the closing socket meets ECONNRESET. Node's default
 * (5 s) made that race easy to hit: once the event loop is held (a synchronous child process, a
 * long GC, a loaded machine) past 5 s, both idle timers are overdue, the client writes its next
 * request before the timers run, and the server's overdue timer then destroys the socket with the
 * request unread (a reset). Idle connections live 65 s here, past any pause a busy process sees
 * and past common proxies' 60 s upstream idle timeout; headersTimeout stays above it (Node's
 * advice, so a kept-alive socket is never cut by the headers timer).
 */
import { createServer, type RequestListener, type Server } from 'node:http';

export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
export const HEADERS_TIMEOUT_MS = KEEP_ALIVE_TIMEOUT_MS + 1_000;

export function createApiServer(app?: RequestListener): Server {
  const server = createServer(app);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  return server;
}
