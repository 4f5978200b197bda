import fs from 'node:fs';
import path from 'node:path';
import { MarkedFiles, run, scratchDir, tsc } from '../support/doc-blocks';
import { makePng } from '../support/files';
import { closeDb, count, createWorld, insertCall, type World } from '../support/seed';
import { readTestEnv, ROOT } from '../support/services';

/*
 * The client package (packages/client) as an app gets it: built on its own (no Node types, so
 * nothing of it needs Node), then imported by name from an app's folder, where the snippets of
 * its README, joined in order, are type-checked as one program and run against the suite's
 * server as a buyer.
 */

const PACKAGE = path.join(ROOT, 'packages', 'client');
const readme = new MarkedFiles(['packages/client/README.md']);

let w: World;
beforeAll(async () => {
  await tsc(path.join(PACKAGE, 'tsconfig.json'));
  w = await createWorld();
}, 120_000);
afterAll(() => closeDb());

test('the package builds to JavaScript with declarations', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE, 'package.json'), 'utf8')) as {
    main: string;
    types: string;
  };
  expect(fs.existsSync(path.join(PACKAGE, pkg.main))).toBe(true);
  expect(fs.existsSync(path.join(PACKAGE, pkg.types))).toBe(true);
});

test('the package needs nothing the repository does not install already', () => {
  const deps = (file: string) => {
    const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, string>>;
    return { ...p.dependencies, ...p.devDependencies, ...p.peerDependencies };
  };
  const root = deps(path.join(ROOT, 'package.json'));
  const mine = Object.keys(deps(path.join(PACKAGE, 'package.json'))).sort();
  expect(mine).toEqual(['@graphql-typed-document-node/core', 'graphql', 'graphql-ws']);
  for (const name of mine) expect(root).toHaveProperty([name]);
});

test("the README's snippets type-check as one program and run against the API", async () => {
  const app = scratchDir('client-readme');
  // The package installed in the app, as `npm install <tarball>` would put it.
  fs.mkdirSync(path.join(app, 'node_modules', '@disputes-api'), { recursive: true });
  fs.symlinkSync(PACKAGE, path.join(app, 'node_modules', '@disputes-api', 'client'), 'dir');
  fs.writeFileSync(path.join(app, 'app.mts'), readme.take('app.mts').code);
  fs.writeFileSync(
    path.join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023'],
        module: 'node16',
        moduleResolution: 'node16',
        strict: true,
        skipLibCheck: true,
        types: ['node'],
      },
      files: ['app.mts'],
    }),
  );
  await tsc(path.join(app, 'tsconfig.json'), app);
  fs.writeFileSync(path.join(app, 'screenshot.png'), makePng());

  // The buyer's account holds this one call, so it is the one the README's query finds.
  const callId = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
  const res = await run(process.execPath, ['app.mjs'], {
    cwd: app,
    env: { DISPUTES_URL: readTestEnv().apiUrl, DISPUTES_TOKEN: w.as.buyerA.token! },
  });
  expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' });
  const lines = res.stdout.trim().split('\n');
  expect(lines[0]).toMatch(new RegExp(`^${callId} \\S+Z 25\\.00 USD$`));
  const dispute = lines.find((l) => l.startsWith('dispute '));
  expect(dispute).toMatch(/^dispute \S+ PENDING$/);
  // The subscription's value at once, then the same count with the new dispute in it.
  expect(lines.filter((l) => l.startsWith('pending disputes:'))).toEqual([
    'pending disputes: 0',
    'pending disputes: 1',
  ]);
  expect(lines).toContain('connected');
  // The Call Log's file, followed to DONE and downloaded: the buyer's default columns' titles,
  // the byte-order mark dropped by text().
  expect(lines).toContainEqual(
    expect.stringMatching(
      /^export calls-\S+\.csv Call Date,Caller ID,Destination,Payout,Status,Duration,Disputability$/,
    ),
  );
  // Written, with the uploaded file attached.
  const disputeId = dispute!.split(' ')[1];
  expect(await count('disputes', 'id = $1 AND call_id = $2', [disputeId, callId])).toBe(1);
  expect(await count('evidence', 'dispute_id = $1', [disputeId])).toBe(1);
  fs.rmSync(app, { recursive: true, force: true });
});

test('every marked block of the README is run', () => {
  expect(readme.untaken()).toEqual([]);
});
