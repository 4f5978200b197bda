import type http from 'node:http';
import { ErrorCode } from './errors';

/** The largest request body (and WebSocket message) accepted. */
export const MAX_BODY_BYTES = 1024 * 1024;

export function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

/** A GraphQL-shaped error answer for requests that never reach the GraphQL pipeline. */
export function jsonError(
  res: http.ServerResponse,
  status: number,
  message: string,
  code: ErrorCode,
): void {
  json(res, status, { errors: [{ message, extensions: { code } }] });
}

/** Bytes of an oversized body still read (and dropped) so the 413 reaches the client. */
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES;
/** How long the rest of an oversized body may take to arrive after its 413 before the cut. */
const LINGER_MS = 5_000;

/** The body as text; rejects with `status: 413` past MAX_BODY_BYTES. */
export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    let refused = false;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (refused) {
        if (size > MAX_DRAIN_BYTES) req.destroy();
      } else if (size <= MAX_BODY_BYTES) {
        chunks.push(c);
      } else {
        // Refused, but read on (answerTooLarge): a client still sending would see a reset, not the 413.
        refused = true;
        chunks.length = 0;
        reject(Object.assign(new Error('body too large'), { status: 413 }));
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Answers 413 so that every client can read it, as nginx's lingering close does. The answer
 * says `Connection: close`, and Node then closes the socket as soon as the answer is written
 * (`destroySoon`); a close with unread bytes in the receive buffer makes Linux send a reset,
 * and a reset makes the client drop the answer if it had not read it yet: every client that
 * sends its whole body before reading. So the socket is half-closed instead (the answer and a
 * FIN leave at once), readBody reads on and drops the rest of the body (up to MAX_DRAIN_BYTES,
 * then it cuts), and the socket closes once the body has all arrived, or after LINGER_MS.
 */
export function answerTooLarge(req: http.IncomingMessage, res: http.ServerResponse): void {
  const socket = req.socket;
  const destroySoon = socket.destroySoon.bind(socket);
  socket.destroySoon = () => {
    socket.end();
    // Nothing left unread once the parser has seen the body's last byte.
    if (req.complete) return destroySoon();
    req.once('end', destroySoon);
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
  res.setHeader('connection', 'close');
  jsonError(res, 413, 'The request body is too large.', ErrorCode.BAD_USER_INPUT);
}

/** How Node reports a request whose client went away before its body had arrived. */
const ABORT_CODES = new Set(['ECONNRESET', 'ERR_STREAM_PREMATURE_CLOSE', 'EPIPE']);

/**
 * True when `err` is the request's client closing its connection mid-request: routine (a
 * browser tab closed, a mobile network gone), so it is logged at debug level, not as an error.
 * The request must be gone too: the same codes from elsewhere (a store, the database) are errors.
 */
export function isClientAbort(err: unknown, req: http.IncomingMessage): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  const abortLike = (typeof code === 'string' && ABORT_CODES.has(code)) || message === 'aborted';
  return abortLike && (req.destroyed || req.socket.destroyed);
}

/** CORS for browser clients on other origins; answers preflights itself (returns true then). */
export function applyCors(
  allowed: string[],
  req: http.IncomingMessage,
  res: http.ServerResponse,
): boolean {
  const origin = req.headers.origin;
  if (!origin || allowed.length === 0) return false;
  if (!allowed.includes('*') && !allowed.includes(origin)) return false;
  res.setHeader('access-control-allow-origin', allowed.includes('*') ? '*' : origin);
  res.setHeader('vary', 'Origin');
  res.setHeader('access-control-expose-headers', 'x-request-id');
  if (req.method !== 'OPTIONS') return false;
  res.writeHead(204, {
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers':
      'authorization, content-type, x-request-id, apollo-require-preflight, x-apollo-operation-name',
    'access-control-max-age': '600',
  });
  res.end();
  return true;
}
