import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type Config, explainListenError } from '../config.js';
import { loopbackOrigin } from '../sandbox/index.js';

/** Listens on config.host:port and answers the loopback origin the process is reached at. */
export async function listen(server: Server, config: Readonly<Config>): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    // ws forwards the HTTP server's errors to the WebSocket server, where graphql-ws prints them with a
    // stack and closes every client: a listen error (EADDRINUSE) is this start's to report, in one line.
    server.once('error', (error) => reject(explainListenError(error, config)));
    server.listen(config.port, config.host, () => resolve());
  });
  server.removeAllListeners('error');
  return loopbackOrigin(config.host, (server.address() as AddressInfo).port);
}

/** Tracks the server's open sockets; `close()` stops listening, ends idle ones, and destroys the rest after 2 s. */
export function trackSockets(server: Server) {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  return {
    get size() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 2_000).unref();
      }),
  };
}
