// @ts-check
// Plain JavaScript, run by node itself: the limits are measured without a transpiler, as the built gateway runs.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

/** The limit for fan-out: POST /publish broadcasts the body as one frame to every raw WebSocket client. */
const server = createServer((req, res) => {
  /** @type {Buffer[]} */
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const frame = Buffer.concat(chunks).toString('utf8');
    for (const client of wss.clients) client.send(frame);
    res.writeHead(200).end();
  });
});
const wss = new WebSocketServer({ server });
server.listen(0, '127.0.0.1', () => {
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  process.stdout.write(`listening on http://127.0.0.1:${address.port}\n`);
});
