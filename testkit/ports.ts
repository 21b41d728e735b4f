/** Free loopback ports for tests and local clusters: never a fixed one. */
import { createServer } from 'node:net';

function listenable(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(undefined));
    s.listen(port, '127.0.0.1', () => {
      const { port: bound } = s.address() as { port: number };
      s.close(() => resolve(bound));
    });
  });
}

/**
 * Ports this process has handed out: the OS may offer a port again once its check closed, so two
 * settings asked for in a row (LOCAL_SMTP_PORT and WORKER_METRICS_PORT) could get the same one.
 */
const handedOut = new Set<number>();

function handOut(port: number | undefined): number | undefined {
  if (port === undefined || handedOut.has(port)) return undefined;
  handedOut.add(port);
  return port;
}

/** A port free right now (the OS picks it) and not handed out before; for servers that must be told their port. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = handOut(await listenable(0));
    if (port !== undefined) return port;
  }
  throw new Error('no free port');
}

/** A free port in [lo, hi], not handed out before: for servers that store their port where ephemeral ones do not fit. */
export async function freePortBetween(lo: number, hi: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = handOut(await listenable(lo + Math.floor(Math.random() * (hi - lo + 1))));
    if (port !== undefined) return port;
  }
  throw new Error(`no free port between ${lo} and ${hi}`);
}

/**
 * A free port below Linux's ephemeral range (32768-60999), with room for a server's neighbours
 * (port + 1000): no outgoing connection is given it as its local port, so it stays free between
 * the check and the server's bind, and while a server that is restarted on it is down.
 */
export function freePortBelowEphemeral(): Promise<number> {
  return freePortBetween(20_000, 31_000);
}
