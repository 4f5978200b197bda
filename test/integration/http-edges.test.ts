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
