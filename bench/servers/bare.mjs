// @ts-check
// Plain JavaScript, run by node itself: the limits are measured without a transpiler, as the built gateway runs.
import { createServer } from 'node:http';

/** The machine's limit for ingest: a bare Node server that reads the body and answers 200. */
const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' });
    res.end('{}');
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  process.stdout.write(`listening on http://127.0.0.1:${address.port}\n`);
});
