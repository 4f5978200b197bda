import { once } from 'node:events';
import net from 'node:net';
import { readTestEnv, startApiProcess, type ApiProcess, storeEnv } from '../support/services';

/*
 * The HTTP edge under clients that misbehave or give up: requests abandoned mid-body, and bodies
 * far over the limit sent whole before the answer is read. Against an API process of its own at
 * debug level, so every line it logs is seen.
 */

let api: ApiProcess;
beforeAll(async () => {
  const env = readTestEnv();
  api = await startApiProcess({
    DATABASE_URL: env.databaseUrl,
    ...storeEnv(),
    LOG_LEVEL: 'debug',
  });
});
afterAll(() => api?.stop());

interface LogLine {
  level: number;
  msg?: string;
  err?: unknown;
  [key: string]: unknown;
}

/** The process's log lines so far; anything that is not a JSON line counts as an error line. */
function logLines(): LogLine[] {
  return api.logs
    .join('')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as LogLine;
      } catch {
        return { level: 100, msg: l };
      }
    });
}

const errorLines = () => logLines().filter((l) => l.level >= 50);
const abortLines = () => logLines().filter((l) => l.msg === 'request aborted by the client');

/** The head of a POST /graphql whose body is announced as `bytes` long. */
const postHead = (bytes: number) =>
  [
    'POST /graphql HTTP/1.1',
    'host: 127.0.0.1',
    'content-type: application/json',
    `content-length: ${bytes}`,
    '',
    '',
  ].join('\r\n');

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Sends the head and part of a body, waits until the server is reading it, and goes away:
 * with a reset (RST) when `reset`, else with a plain close (FIN).
 */
async function abandon(port: number, reset: boolean): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  await new Promise<void>((resolve) =>
    socket.write(postHead(200_000) + '{"query":"' + 'x'.repeat(50_000), () => resolve()),
  );
  await new Promise((r) => setTimeout(r, 50));
  if (reset) socket.resetAndDestroy();
  else socket.destroy();
}

describe('requests their clients abandon mid-body', () => {
  it('are logged at debug level, one line each without a stack, never as errors', async () => {
    const before = abortLines().length;
    for (let i = 0; i < 50; i += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, j) => abandon(api.port, (i + j) % 2 === 0)));
    }
    // Settled when each abort left its line (or, failing, when nothing more comes).
    await until('every abort is logged', () => abortLines().length - before >= 50, 5_000).catch(
      () => undefined,
    );
    expect(errorLines()).toEqual([]);
    const lines = abortLines().slice(before);
    expect(lines).toHaveLength(50);
    for (const line of lines) {
      expect(line.level).toBe(20);
      expect(line).not.toHaveProperty('err');
      expect(JSON.stringify(line)).not.toMatch(/stack|\n/);
    }
    // The server is none the worse for it.
    expect((await fetch(new URL('/healthz', api.url))).status).toBe(200);
  });
});

/**
 * POSTs a body of `bytes` announced in full, as a client that writes everything before it reads
 * anything: the answer is read only once the whole body has left. Resolves with what arrived
 * before the connection ended, and the socket error if it ended in one (a reset).
 */
async function sendWholeThenRead(
  port: number,
  bytes: number,
): Promise<{ text: string; error?: string }> {
  const socket = net.connect(port, '127.0.0.1');
  socket.pause();
  let error: string | undefined;
  const ended = new Promise<void>((resolve) => {
    socket.once('error', (err: NodeJS.ErrnoException) => {
      error = err.code ?? err.message;
      resolve();
    });
    socket.once('close', () => resolve());
  });
  await once(socket, 'connect');
  socket.write(postHead(bytes));
  // In 64 KiB pieces, with a pause now and then, as a client streaming a file does.
  const piece = Buffer.alloc(64 * 1024, 'x');
  for (let sent = 0, n = 1; sent < bytes && error === undefined; sent += piece.length, n++) {
    const chunk = piece.subarray(0, Math.min(piece.length, bytes - sent));
    if (!socket.write(chunk)) await Promise.race([once(socket, 'drain'), ended]);
    if (n % 4 === 0) await new Promise((r) => setTimeout(r, 1));
  }
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.resume();
  await ended;
  return { text: Buffer.concat(chunks).toString('utf8'), error };
}

describe('a body over 1 MiB', () => {
  it('gets its 413 also when the client sends all 3 MiB before reading: 50 times in a row', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 50; i++) {
      const answer = await sendWholeThenRead(api.port, 3 * 1024 * 1024);
      outcomes.push(answer.error ?? answer.text.split('\r\n')[0] ?? '');
      if (!answer.error) expect(answer.text).toContain('"code":"BAD_USER_INPUT"');
    }
    expect(outcomes.filter((o) => o !== 'HTTP/1.1 413 Payload Too Large')).toEqual([]);
    expect(errorLines()).toEqual([]);
  });

  it('a client that trickles the rest of its body reads its 413 at once and is cut 5 s later (LINGER_MS)', async () => {
    // Half-open allowed: the server's FIN (after its answer) does not end this side.
    const socket = net.connect({ port: api.port, host: '127.0.0.1', allowHalfOpen: true });
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
    const failed = new Promise<string>((resolve) =>
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message)),
    );
    await once(socket, 'connect');
    socket.write(postHead(3 * 1024 * 1024));
    socket.write(Buffer.alloc(1536 * 1024, 'x'));
    await once(socket, 'end');
    const answered = Date.now();
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text.toLowerCase()).toContain('connection: close');
    // A byte every 100 ms: read and dropped until the bound, then refused with a reset.
    const trickle = setInterval(() => socket.write('x'), 100);
    try {
      expect(await failed).toMatch(/ECONNRESET|EPIPE/);
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
    const cutAfter = Date.now() - answered;
    expect(cutAfter).toBeGreaterThanOrEqual(4_500);
    expect(cutAfter).toBeLessThan(8_000);
  });

  it('a client that keeps sending far past the drain bound is cut off', async () => {
    const answer = await sendWholeThenRead(api.port, 40 * 1024 * 1024);
    // Cut once 16 MiB were read (MAX_DRAIN_BYTES): the rest of the 40 cannot be sent.
    expect(answer.error).toMatch(/ECONNRESET|EPIPE/);
    expect((await fetch(new URL('/healthz', api.url))).status).toBe(200);
  });
});
