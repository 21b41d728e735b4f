/**
 * The floor for `npm run bench:files`: a bare node:http server that does the least a file service
 * can do, in a process of its own. A POST's body is hashed (SHA-256) and dropped; a GET streams the first
 * `bytes` of the file named by FLOOR_FILE from disk. Its RSS growth is what Node's own streaming costs on this
 * machine, measured in the same run as the engine's. Prints `ready <port>` once listening.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import { pipeline } from 'node:stream/promises';

const file = process.env.FLOOR_FILE ?? '';

const server = http.createServer((req, res) => {
  void (async () => {
    if (req.method === 'POST') {
      const hash = createHash('sha256');
      for await (const chunk of req as AsyncIterable<Buffer>) hash.update(chunk);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'floor', sha256: hash.digest('hex') }));
      return;
    }
    const bytes = Number(new URL(req.url ?? '/', 'http://floor').searchParams.get('bytes') ?? statSync(file).size);
    res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(bytes) });
    await pipeline(createReadStream(file, { end: bytes - 1 }), res);
  })().catch(() => res.destroy());
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`ready ${typeof address === 'object' && address ? address.port : ''}\n`);
});
