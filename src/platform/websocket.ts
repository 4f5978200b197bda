import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import {
  execute,
  subscribe,
  type ExecutionArgs,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { Logger } from 'pino';
import type { Socket } from 'node:net';
import type { WebSocket, WebSocketServer } from 'ws';
import { clientAddress } from './client-address';
import { DomainError, ErrorCode } from './errors';
import { LIMITS } from './limits';
import { jsonShapeError } from './nesting';
import {
  countOperation,
  operationLabel,
  outcomeCode,
  websocketConnections,
  websocketSubscriptions,
} from './metrics';
import { checkOperation, type CheckedOperation, type OperationRequest } from './operation-checks';
import { startOperationTrace, tracingOn, type OperationTrace } from './tracing';

/** Sockets whose writes are held until the current turn of the event loop has sent all it will. */
const held = new Set<Socket>();

function releaseWrites(): void {
  for (const raw of held) raw.uncork();
  held.clear();
}

/**
 * One event reaches a subscriber as several messages sent in the same turn of the event loop
 * (a notification, a counter): held (corked) until that turn ends, they leave in one write (one
 * system call) instead of one each.
 */
function holdWrites(socket: WebSocket): void {
  // ws keeps its TCP socket private; without one (never in practice) nothing is held.
  const raw = (socket as unknown as { _socket?: Socket })._socket;
  if (!raw || held.has(raw)) return;
  if (held.size === 0) setImmediate(releaseWrites);
  held.add(raw);
  raw.cork();
}

/**
 * Close codes this server uses besides graphql-ws's own (4400, 4401, 4403 Forbidden at
 * connection, 4408, 4409, 4429 too many initialisation requests).
 */
export const WsCloseCode = {
  /** The token expired while the connection was open. */
  TokenExpired: 4403,
  /** Over a connection cap, or the client does not read what is sent to it. */
  TooManyOrTooSlow: 4429,
  /** The server is shutting down. */
  GoingAway: 1001,
} as const;

/** Ping every 12 s; a peer that does not answer by the next ping is cut. */
const KEEPALIVE_MS = 12_000;
/** Subscription documents kept checked, by text (variables-free ones only). */
const MAX_CACHED_DOCUMENTS = 200;
/** setTimeout's longest delay; a later expiry is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface WsLimits {
  maxConnectionsPerUser: number;
  maxConnectionsPerAddress: number;
  maxBufferedBytes: number;
}

/** An operation of a socket until its outcome is counted (its answer, or a subscription's start). */
interface WsOperation {
  started: bigint;
  type?: string;
  name?: string;
  trace?: OperationTrace;
}

/** Per socket; the upgrade request is not kept (its headers would stay as long as the socket). */
interface Extra {
  socket: WebSocket;
  userId?: string;
  subscriptions: number;
  expiry?: NodeJS.Timeout;
  /** By graphql-ws operation id. */
  operations: Map<string, WsOperation>;
}

type Formatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** What the server needs from the application: who is connecting, and a context per operation. */
export interface WsSessions {
  /** The user a connection's `authorization` parameter names and when its token expires; null or a throw refuses it. */
  authenticate(authorization: unknown): Promise<{ userId: string; expiresAt: Date } | null>;
  /** A fresh context for one operation of this user, or null when the user no longer exists. */
  contextFor(userId: string): Promise<unknown>;
}

/**
 * graphql-ws on a `ws` server, in place of graphql-ws's stock adapter, to bound what one client
 * can hold: connections per user and per remote address, a send buffer per socket, and the
 * token's lifetime. Operations pass the same checks as over HTTP (operation-checks.ts) and
 * their errors the same formatter. A peer that vanishes is routine: it is logged at debug level,
 * never as an error.
 */
export function serveGraphqlWs(
  sessions: WsSessions,
  schema: GraphQLSchema,
  wsServer: WebSocketServer,
  opts: { log: Logger; formatError: Formatter; production: boolean; limits: WsLimits },
): { dispose(): Promise<void> } {
  const { log, formatError, production, limits } = opts;
  const perAddress = new Map<string, number>();
  const perUser = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string, by: number): number => {
    const n = (map.get(key) ?? 0) + by;
    if (n > 0) map.set(key, n);
    else map.delete(key);
    return n;
  };

  // Clients send the same few subscription documents over and over (a reconnect storm sends
  // thousands): checked once per text, they also share one parsed document in memory.
  const checkedDocuments = new Map<string, CheckedOperation & { ok: true }>();
  const checkCached = (payload: OperationRequest): CheckedOperation => {
    const { query, variables, operationName } = payload;
    const cacheable =
      typeof query === 'string' &&
      (variables == null ||
        (typeof variables === 'object' &&
          !Array.isArray(variables) &&
          Object.keys(variables as object).length === 0)) &&
      (operationName == null || typeof operationName === 'string');
    const key = cacheable ? `${String(operationName ?? '')}\n${query}` : undefined;
    const hit = key === undefined ? undefined : checkedDocuments.get(key);
    if (hit) return hit;
    const checked = checkOperation(schema, payload, { production });
    if (checked.ok && key !== undefined) {
      if (checkedDocuments.size >= MAX_CACHED_DOCUMENTS) {
        // Oldest first: Map iteration follows insertion order.
        checkedDocuments.delete(checkedDocuments.keys().next().value!);
      }
      checkedDocuments.set(key, checked);
    }
    return checked;
  };

  /** Counts an operation as over HTTP (graphql-http.ts), and ends its span. */
  const finish = (extra: Extra, id: string, code: string) => {
    const op = extra.operations.get(id);
    if (!op) return;
    extra.operations.delete(id);
    const operation = op.type ? operationLabel(op.name) : 'unresolved';
    const seconds = Number(process.hrtime.bigint() - op.started) / 1e9;
    countOperation({ transport: 'ws', operation, type: op.type ?? 'unknown', code, seconds });
    op.trace?.end({ type: op.type, name: op.name, code });
  };
  // The span of each operation's execution arguments, so its SQL nests under it.
  const traced = new WeakMap<object, OperationTrace>();
  const inTrace = <T>(args: ExecutionArgs, run: () => T): T => {
    const trace = traced.get(args);
    return trace ? trace.run(run) : run();
  };

  const options: ServerOptions<Record<string, unknown>, Extra> = {
    schema,
    // Only with tracing on: graphql's own functions, run under the operation's span.
    ...(tracingOn()
      ? {
          execute: (args: ExecutionArgs) => inTrace(args, () => execute(args)),
          subscribe: (args: ExecutionArgs) => inTrace(args, () => subscribe(args)),
        }
      : {}),
    async onConnect(ctx) {
      const { socket } = ctx.extra;
      let session;
      try {
        session = await sessions.authenticate(ctx.connectionParams?.authorization);
      } catch {
        return false;
      }
      if (!session || socket.readyState !== socket.OPEN) return false;
      const { userId, expiresAt } = session;
      if (bump(perUser, userId, 1) > limits.maxConnectionsPerUser) {
        bump(perUser, userId, -1);
        socket.close(
          WsCloseCode.TooManyOrTooSlow,
          `At most ${limits.maxConnectionsPerUser} connections per user; close one first.`,
        );
        return false;
      }
      ctx.extra.userId = userId;
      armExpiry(ctx.extra, expiresAt);
      return true;
    },
    async onSubscribe(ctx, id, payload) {
      const op: WsOperation = {
        started: process.hrtime.bigint(),
        trace: startOperationTrace('ws'),
      };
      ctx.extra.operations.set(id, op);
      if (ctx.extra.subscriptions >= LIMITS.maxSubscriptionsPerSocket) {
        return [
          new DomainError(
            ErrorCode.QUERY_TOO_COMPLEX,
            `A connection may hold at most ${LIMITS.maxSubscriptionsPerSocket} subscriptions; complete one first.`,
          ),
        ];
      }
      const checked = checkCached(payload);
      if (!checked.ok) return checked.errors;
      op.type = checked.operation.operation;
      op.name = checked.operation.name?.value;
      // The slot is taken before the await below and given back if the operation does not
      // start: subscribe messages sent back to back must not all pass the check above.
      reserve(ctx.extra);
      // Permissions and account are read anew for each operation, as over HTTP: a socket
      // opened before a change of the user must not keep what the user had then.
      const userId = ctx.extra.userId!;
      let contextValue: unknown;
      try {
        contextValue = await (op.trace
          ? op.trace.run(() => sessions.contextFor(userId))
          : sessions.contextFor(userId));
      } catch (err) {
        release(ctx.extra);
        throw err;
      }
      if (!contextValue) {
        release(ctx.extra);
        return [new DomainError(ErrorCode.UNAUTHENTICATED, 'The token names no existing user.')];
      }
      const args = {
        schema,
        document: checked.document,
        variableValues: checked.variables,
        operationName: checked.operationName,
        contextValue,
      };
      if (op.trace) traced.set(args, op.trace);
      return args;
    },
    onOperation(ctx, id, _payload, _args, result) {
      // A subscription counts once, when it starts; a query's or a refused subscription's
      // outcome is its one result (onNext).
      if (Symbol.asyncIterator in result) finish(ctx.extra, id, 'OK');
    },
    onComplete(ctx, id) {
      // Ended before any answer (the client completed it first): nothing to count.
      ctx.extra.operations.delete(id);
      release(ctx.extra);
    },
    onError(ctx, id, _payload, errors) {
      const formatted = errors.map((e) => formatError(e.toJSON(), e));
      finish(ctx.extra, id, outcomeCode(formatted, formatted[0]?.extensions?.code));
      return formatted;
    },
    onNext(ctx, id, _payload, _args, result) {
      const formatted = result.errors?.map((e) => formatError(e.toJSON(), e));
      finish(ctx.extra, id, outcomeCode(formatted, formatted?.[0]?.extensions?.code));
      if (!formatted) return;
      return { ...result, errors: formatted };
    },
  };
  const server = makeServer(options);
  wsServer.options.handleProtocols = handleProtocols;
  wsServer.on('error', (err) => log.error({ err }, 'WebSocket server error'));

  wsServer.on('connection', (socket, request) => {
    // An abrupt disconnect (ECONNRESET, EPIPE) is ordinary; it ends the socket and nothing else.
    socket.on('error', (err: NodeJS.ErrnoException) => {
      log.debug({ code: err.code }, 'WebSocket peer error');
      socket.terminate();
    });
    const address = clientAddress(request);
    const extra: Extra = { socket, subscriptions: 0, operations: new Map() };
    if (bump(perAddress, address, 1) > limits.maxConnectionsPerAddress) {
      socket.once('close', () => bump(perAddress, address, -1));
      socket.close(
        WsCloseCode.TooManyOrTooSlow,
        `At most ${limits.maxConnectionsPerAddress} connections per address; close one first.`,
      );
      return;
    }

    websocketConnections.inc();
    const pinger = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      const wait = setTimeout(() => socket.terminate(), KEEPALIVE_MS);
      socket.once('pong', () => clearTimeout(wait));
      socket.ping();
    }, KEEPALIVE_MS);

    const closed = server.opened(
      {
        protocol: socket.protocol,
        // Not waiting for the bytes to leave keeps one slow reader from stalling its
        // operations; the buffer it leaves behind is what is bounded instead.
        send(data) {
          if (socket.readyState !== socket.OPEN) return;
          if (socket.bufferedAmount > limits.maxBufferedBytes) {
            // Closing makes the socket CLOSING, so this happens once per socket.
            log.info(
              { userId: extra.userId, bufferedBytes: socket.bufferedAmount },
              'WebSocket client too slow; closing',
            );
            socket.close(
              WsCloseCode.TooManyOrTooSlow,
              'The client did not read its messages; reconnect and subscribe again.',
            );
            return;
          }
          holdWrites(socket);
          socket.send(data, (err) => {
            if (err) log.debug({ code: (err as NodeJS.ErrnoException).code }, 'WebSocket send');
          });
        },
        close: (code, reason) => socket.close(code, reason),
        onMessage(cb) {
          socket.on('message', (data) => {
            const text = String(data);
            // Bounded before graphql-ws's JSON.parse builds it, as over HTTP (nesting.ts).
            const shapeError = jsonShapeError(text);
            if (shapeError) {
              socket.close(CloseCode.BadRequest, shapeError);
              return;
            }
            cb(text).catch((err: unknown) => {
              log.error({ err, userId: extra.userId }, 'WebSocket message failed');
              socket.close(1011, 'Internal server error');
            });
          });
        },
      },
      extra,
    );
    socket.once('close', (code, reason) => {
      clearInterval(pinger);
      clearTimeout(extra.expiry);
      bump(perAddress, address, -1);
      if (extra.userId) bump(perUser, extra.userId, -1);
      websocketConnections.dec();
      closed(code, String(reason))
        .catch((err: unknown) => log.error({ err }, 'WebSocket close handling failed'))
        .finally(() => {
          // Operations whose end graphql-ws did not report (one that threw) leave with the socket.
          websocketSubscriptions.dec(extra.subscriptions);
          extra.subscriptions = 0;
        });
    });
  });

  return {
    async dispose() {
      for (const client of wsServer.clients) client.close(WsCloseCode.GoingAway, 'Going away');
      wsServer.removeAllListeners();
      await new Promise<void>((resolve, reject) =>
        wsServer.close((err) => (err ? reject(err) : resolve())),
      );
    },
  };
}

/** Takes one of a socket's operation slots (LIMITS.maxSubscriptionsPerSocket). */
function reserve(extra: Extra): void {
  extra.subscriptions += 1;
  websocketSubscriptions.inc();
}

/** Gives a slot back; after a close, an operation's end may come after the close took all back. */
function release(extra: Extra): void {
  if (extra.subscriptions <= 0) return;
  extra.subscriptions -= 1;
  websocketSubscriptions.dec();
}

/** Closes the socket with 4403 when the token's `exp` passes (in steps past setTimeout's range). */
function armExpiry(extra: Extra, expiresAt: Date): void {
  const left = expiresAt.getTime() - Date.now();
  extra.expiry = setTimeout(
    () => {
      if (left > MAX_TIMER_MS) return armExpiry(extra, expiresAt);
      extra.socket.close(
        WsCloseCode.TokenExpired,
        'The token has expired; reconnect with a new one.',
      );
    },
    Math.max(0, Math.min(left, MAX_TIMER_MS)),
  );
  extra.expiry.unref();
}
