import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An HTTP proxy in front of the test store that passes every request through, except those
 * `stalls` picks: it accepts them and never answers, the way a hung store does. `stalled` counts
 * them; `close` drops the held sockets.
 */
export async function startStallingStore(
  target: string,
  stalls: (req: http.IncomingMessage) => boolean,
) {
  const upstream = new URL(target);
  const held = new Set<Socket>();
  let stalled = 0;
  const server = http.createServer((req, res) => {
    if (stalls(req)) {
      stalled += 1;
      held.add(req.socket);
      return;
    }
    const out = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get stalled() {
      return stalled;
    },
    close: async () => {
      for (const s of held) s.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
