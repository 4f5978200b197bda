import type http from 'node:http';
import net from 'node:net';
import { ErrorCode } from './errors';

/** What the process is going through, as far as answering requests is concerned. */
export class Lifecycle {
  /** Set on SIGTERM/SIGINT: no new work is taken. */
  draining = false;
  /** Set while the embedded PostgreSQL is known to be dead (between its exit and its restart). */
  databaseDown = false;
  /** Run when shutdown's grace ends with requests still in flight, before they are cut off. */
  onGraceExpired: (() => Promise<void>) | undefined;
}

/** After the grace, how long aborted requests get to send their error before the cut. */
const LAST_WORDS_MS = 1_000;

const DRAINING_BODY = JSON.stringify({
  errors: [
    {
      message: 'The server is shutting down; retry on another instance.',
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    },
  ],
});

/**
 * Graceful shutdown of the HTTP side. The listener closes at once, but connections already open
 * stay open while in-flight requests finish: a request that still arrives on a kept-alive
 * connection is answered 503 with `connection: close`, and never starts work that its client
 * could not hear about. Closing idle connections at once (as `server.close()` does) would race
 * with a client reusing one, which then sees a reset and cannot know whether its mutation ran.
 */
export class HttpDrain {
  private readonly inFlight = new Set<http.ServerResponse>();
  private settled: (() => void) | undefined;

  constructor(
    private readonly server: http.Server,
    readonly lifecycle: Lifecycle,
  ) {
    server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
      this.inFlight.add(res);
      res.once('close', () => {
        this.inFlight.delete(res);
        if (this.inFlight.size === 0) this.settled?.();
      });
    });
  }

  /**
   * Answers a request the process must not serve now; true when it did. Called first thing for
   * every request: while draining everything is 503, and `/healthz` is 503 while the embedded
   * database is dead.
   */
  answered(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    if (this.lifecycle.draining) {
      req.resume();
      res.writeHead(503, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'close',
      });
      res.end(DRAINING_BODY);
      return true;
    }
    if (this.lifecycle.databaseDown && req.url?.split('?')[0] === '/healthz') {
      res.writeHead(503, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(JSON.stringify({ status: 'unavailable', database: 'down' }));
      return true;
    }
    return false;
  }

  /**
   * Stops accepting connections and waits up to `graceMs` for in-flight requests; then closes
   * every HTTP connection (WebSockets are left to their server). False when the deadline cut
   * requests off.
   */
  async drain(graceMs: number): Promise<boolean> {
    this.lifecycle.draining = true;
    // net.Server's close stops the listener only; http.Server's would also drop idle connections.
    net.Server.prototype.close.call(this.server);
    for (const res of this.inFlight) {
      if (!res.headersSent) res.setHeader('connection', 'close');
    }
    const finished = await this.settle(graceMs);
    if (!finished) {
      await this.lifecycle.onGraceExpired?.().catch(() => undefined);
      await this.settle(LAST_WORDS_MS);
    }
    this.server.closeIdleConnections();
    this.server.closeAllConnections();
    return finished;
  }

  /** True once no request is in flight, false if `ms` passed first. */
  private async settle(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const settled = await new Promise<boolean>((resolve) => {
      if (this.inFlight.size === 0) return resolve(true);
      this.settled = () => resolve(true);
      timer = setTimeout(() => resolve(false), ms);
    });
    clearTimeout(timer);
    this.settled = undefined;
    return settled;
  }
}
