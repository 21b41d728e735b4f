/**
 * A TCP gate in front of a loopback server: while open it forwards every connection to the
 * target; closed, it stops listening (connections are refused) and cuts the ones in flight. The
 * port stays the same across close() and open(), so a configured URL keeps working after.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpGate {
  port: number;
  isOpen(): boolean;
  open(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpGate(targetPort: number, host = '127.0.0.1'): Promise<TcpGate> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = createConnection({ port: targetPort, host });
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on('close', () => sockets.delete(sock));
          sock.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      s.once('error', reject);
      s.listen(port, host, () => {
        port = (s.address() as { port: number }).port;
        server = s;
        resolve();
      });
    });

  await listen();
  return {
    get port() {
      return port;
    },
    isOpen: () => server !== undefined,
    async open() {
      if (!server) await listen();
    },
    async close() {
      const s = server;
      if (!s) return;
      server = undefined;
      for (const sock of sockets) sock.destroy();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}
