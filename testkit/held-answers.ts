/**
 * A TCP proxy in front of a loopback server that can hold the server's answers: requests pass,
 * answers wait until release (in order). A slow network as a client meets it: what it sent has
 * landed, and it learns so late.
 */
import { createConnection, createServer, type Socket } from 'node:net';

export interface AnswerHold {
  port: number;
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

export async function startAnswerHold(targetPort: number, host = '127.0.0.1'): Promise<AnswerHold> {
  const links = new Set<{ client: Socket; upstream: Socket; pending: Buffer[] }>();
  let held = false;
  const server = createServer((client) => {
    const upstream = createConnection({ port: targetPort, host });
    const link = { client, upstream, pending: [] as Buffer[] };
    links.add(link);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (held) link.pending.push(chunk);
      else client.write(chunk);
    });
    const drop = () => {
      client.destroy();
      upstream.destroy();
      links.delete(link);
    };
    for (const sock of [client, upstream]) {
      sock.on('error', drop);
      sock.on('close', drop);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as { port: number }).port,
    hold() {
      held = true;
    },
    release() {
      for (const link of links) for (const chunk of link.pending.splice(0)) link.client.write(chunk);
      held = false;
    },
    async close() {
      for (const link of links) {
        link.client.destroy();
        link.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
