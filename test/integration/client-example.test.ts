import { makePng } from '../support/files';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ResolveDisputeDocument } from '../generated/graphql';
import {
  closeDb,
  count,
  createWorld,
  db,
  insertCall,
  insertDispute,
  type World,
} from '../support/seed';
import { readTestEnv, ROOT, startApiProcess, storeEnv } from '../support/services';

/** The example as a user runs it: compiled on its own, then started as a separate process. */
const MAIN = path.join(ROOT, 'dist', 'examples', 'client', 'main.js');

interface Line {
  event: string;
  [k: string]: unknown;
}

/** The running example: its JSON lines as they come, and a way to wait for one. */
function runExample(token: string, args: string[], url = readTestEnv().apiUrl) {
  const child: ChildProcess = spawn(process.execPath, [MAIN, ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      DISPUTES_URL: url,
      DISPUTES_TOKEN: token,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Line[] = [];
  const stderr: string[] = [];
  const waiters: { match: (l: Line) => boolean; resolve: (l: Line) => void }[] = [];
  let rest = '';
  child.stdout!.on('data', (d: Buffer) => {
    const parts = (rest + d.toString()).split('\n');
    rest = parts.pop()!;
    for (const p of parts) {
      const line = JSON.parse(p) as Line;
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.match(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    lines,
    exited,
    stop: () => child.kill('SIGINT'),
    waitFor(match: (l: Line) => boolean, what: string, ms = 30_000): Promise<Line> {
      const found = lines.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no ${what} within ${ms} ms; printed:\n${lines.map((l) => JSON.stringify(l)).join('\n')}\n${stderr.join('')}`,
              ),
            ),
          ms,
        );
        waiters.push({
          match,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
      });
    },
  };
}

let w: World;
let dir: string;
beforeAll(async () => {
  // `npm test` has run the codegen; this compiles the example as its docs say.
  await new Promise<void>((resolve, reject) =>
    execFile(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', 'examples/client/tsconfig.json'],
      { cwd: ROOT },
      (err, stdout, stderr) => (err ? reject(new Error(`${stdout}${stderr}`)) : resolve()),
    ),
  );
  w = await createWorld();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-example-'));
}, 120_000);
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await closeDb();
});

it('sends a dispute with evidence, prints the decision live, and catches up on the next start', async () => {
  const callId = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
  const file = path.join(dir, 'screenshot.png');
  fs.writeFileSync(file, makePng());

  const run = runExample(w.as.buyerA.token!, ['--dispute', callId, '--file', file, '--for', '60']);
  try {
    await run.waitFor((l) => l.event === 'connected', 'connection');
    const created = await run.waitFor((l) => l.event === 'disputeCreated', 'dispute');
    const dispute = created.dispute as { id: string; status: string; evidence: unknown[] };
    expect(dispute.status).toBe('PENDING');
    expect(dispute.evidence).toEqual([
      expect.objectContaining({ fileName: 'screenshot.png', contentType: 'image/png' }),
    ]);
    // Written, with its evidence attached and uploaded.
    expect(await count('disputes', 'id = $1 AND call_id = $2', [dispute.id, callId])).toBe(1);
    const { rows } = await db().query<{ n: number }>(
      'SELECT count(*)::int AS n FROM evidence WHERE dispute_id = $1',
      [dispute.id],
    );
    expect(rows[0]!.n).toBe(1);

    // The account's pending count went up with the dispute (seen before the decision: the
    // server sends only the newest count, so a decision right after could replace it).
    await run.waitFor((l) => l.event === 'pendingDisputesCount' && l.count === 1, 'count 1');

    // A manager decides while the buyer's client runs: the client prints it as it happens.
    await w.as.editManager.run(ResolveDisputeDocument, {
      input: { disputeId: dispute.id, outcome: 'REJECTED', comment: 'Caller qualified.' },
    });
    const live = await run.waitFor(
      (l) =>
        l.event === 'notification' &&
        (l.notification as { dispute: { id: string } }).dispute.id === dispute.id,
      'live notification',
    );
    expect(live).toMatchObject({
      source: 'live',
      notification: { kind: 'DISPUTE_RESOLVED', dispute: { id: dispute.id, status: 'REJECTED' } },
    });
    // And back down with the decision.
    await run.waitFor((l) => l.event === 'pendingDisputesCount' && l.count === 0, 'count 0');
  } finally {
    run.stop();
  }
  expect(await run.exited).toBe(0);

  // A second user of the account, starting later, gets the same decision from the catch-up.
  const other = runExample(w.as.buyerA2.token!, ['--for', '2']);
  const caught = await other.waitFor((l) => l.event === 'notification', 'caught-up notification');
  expect(caught).toMatchObject({ source: 'catchUp', notification: { kind: 'DISPUTE_RESOLVED' } });
  expect(await other.exited).toBe(0);
  expect(other.lines.at(-1)?.event).toBe('stopped');
});

it('exports the Call Log: started, followed until DONE, downloaded, its header printed', async () => {
  // The buyer's account holds these calls, and no other (its own world): the file lists them.
  const calls = [
    await insertCall({ buyerId: w.ids.accountB, campaignId: w.ids.campaign }),
    await insertCall({ buyerId: w.ids.accountB, campaignId: w.ids.campaign }),
  ];
  const run = runExample(w.as.buyerB.token!, ['--export', 'calls', '--for', '1']);
  expect(await run.exited).toBe(0);
  const events = run.lines.map((l) => l.event);
  expect(events).not.toContain('error');
  const started = run.lines.find((l) => l.event === 'exportStarted')!;
  expect(started.export).toMatchObject({ status: 'RUNNING', totalRows: calls.length });
  const progress = run.lines.filter((l) => l.event === 'exportProgress');
  expect(progress.at(-1)!.export).toMatchObject({
    status: 'DONE',
    rowsWritten: calls.length,
    totalRows: calls.length,
  });
  const downloaded = run.lines.find((l) => l.event === 'exportDownloaded')!;
  expect(downloaded).toMatchObject({
    fileName: expect.stringMatching(/^calls-.*\.csv$/),
    rows: calls.length,
    // The buyer's default Call Log columns (no settings saved), by their titles.
    firstLine: 'Call Date,Caller ID,Destination,Payout,Status,Duration,Disputability',
  });
  expect(events.indexOf('exportDownloaded')).toBeGreaterThan(events.lastIndexOf('exportProgress'));
});

it('exits with status 1 when the token is refused at sign-in', async () => {
  const run = runExample('not-a-token', ['--for', '30']);
  expect(await run.exited).toBe(1);
  expect(run.lines[0]).toMatchObject({ event: 'error', during: 'start' });
});

it('reconnects after its server went away and catches up on what it missed', async () => {
  const env = readTestEnv();
  const start = (port: string) =>
    startApiProcess({
      DATABASE_URL: env.databaseUrl,
      ...storeEnv(),
      PORT: port,
    });
  let api = await start('0');
  const run = runExample(w.as.buyerB.token!, ['--for', '60'], api.url);
  try {
    await run.waitFor((l) => l.event === 'caughtUp', 'first catch-up');
    await api.stop();
    await run.waitFor((l) => l.event === 'disconnected', 'disconnection');

    // Decided while the socket is down: the live event is lost, the notification is not.
    const callId = await insertCall({ buyerId: w.ids.accountB, campaignId: w.ids.campaign });
    const disputeId = await insertDispute({ callId, createdBy: w.ids.buyerB });
    await w.as.editManager.run(ResolveDisputeDocument, {
      input: { disputeId, outcome: 'ACCEPTED' },
    });

    api = await start(String(api.port));
    const caught = await run.waitFor(
      (l) =>
        l.event === 'notification' &&
        (l.notification as { dispute: { id: string } }).dispute.id === disputeId,
      'notification after the reconnection',
    );
    expect(caught).toMatchObject({ source: 'catchUp', notification: { kind: 'DISPUTE_RESOLVED' } });
    expect(run.lines.filter((l) => l.event === 'connected')).toHaveLength(2);
  } finally {
    run.stop();
    await api.stop();
  }
  expect(await run.exited).toBe(0);
}, 90_000);
