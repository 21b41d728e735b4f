/** Ports `npm start` is about to bind, checked before anything starts, so a clash is named, not a crash. */
import { createServer } from 'node:net';

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Throws one message naming every setting whose port is taken or given twice. */
export async function assertPortsFree(ports: Record<string, number>, host = '127.0.0.1'): Promise<void> {
  const problems: string[] = [];
  const seen = new Map<number, string>();
  for (const [name, port] of Object.entries(ports)) {
    const other = seen.get(port);
    if (other) problems.push(`  ${name}=${port}: the same port as ${other}`);
    else if (!(await isFree(port, host))) problems.push(`  ${name}=${port}: already in use on ${host} (another npm start?)`);
    seen.set(port, name);
  }
  if (problems.length > 0) throw new Error(`Ports in use; set these variables to free ports:\n${problems.join('\n')}`);
}
