import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, readTestEnv, startApiProcess, storeEnv, type ApiProcess } from '../support/services';
import { waitFor } from '../support/webhooks';

/*
 * The development harness (src/dev/: embedded PostgreSQL, the embedded store and its signature
 * gate, the playground, the demo data) is loaded by the composition root only where its default
 * is in use. Each process here runs dist/src/main.js as deployed, with a preload
 * (test/support/loaded-modules.js) that reports the files it has loaded: a production process
 * loads none of src/dev/, even after a browser asked it for the playground; a development
 * process on the defaults loads all of it, so the check can tell.
 */

const DEV = path.join(ROOT, 'dist', 'src', 'dev');
const HARNESS = fs
  .readdirSync(DEV)
  .filter((f) => f.endsWith('.js'))
  .map((f) => path.join(DEV, f));
/** Packages only the harness loads. */
const HARNESS_PACKAGES = ['s3rver', '@graphql-yoga/render-graphiql'].map((p) =>
  path.join('node_modules', p, path.sep),
);
const PRELOAD = {
  NODE_OPTIONS: `--require ${JSON.stringify(path.join(ROOT, 'test', 'support', 'loaded-modules.js'))}`,
};

/** The files the process has loaded, from its preload. */
function loadedModules(api: ApiProcess): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the process did not report')), 10_000);
    const onMessage = (m: { loadedModules?: string[] }) => {
      if (!m.loadedModules) return;
      clearTimeout(timer);
      api.child.off('message', onMessage);
      resolve(m.loadedModules);
    };
    api.child.on('message', onMessage);
    api.child.send({ loadedModules: true });
  });
}

const origin = (api: ApiProcess) => new URL(api.url).origin;
const asBrowser = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('a production process', () => {
  let api: ApiProcess;
  beforeAll(async () => {
    api = await startApiProcess({
      NODE_ENV: 'production',
      DATABASE_URL: readTestEnv().databaseUrl,
      ...storeEnv(),
      ...PRELOAD,
    });
  }, 90_000);
  afterAll(() => api?.stop());

  it('loads none of the development harness, also after a browser asked for the playground', async () => {
    const page = await fetch(api.url, { headers: asBrowser });
    expect(page.status).toBe(404);
    expect((await fetch(`${origin(api)}/graphql/assets/graphiql.js`)).status).toBe(404);
    const typename = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(typename.status).toBe(200);

    const loaded = await loadedModules(api);
    // The report is the real one: the server's own modules are in it.
    expect(loaded).toContain(path.join(ROOT, 'dist', 'src', 'app', 'server.js'));
    expect(loaded.filter((f) => HARNESS.includes(f))).toEqual([]);
    expect(loaded.filter((f) => HARNESS_PACKAGES.some((p) => f.includes(p)))).toEqual([]);
  });
});

describe('a development process on the defaults', () => {
  let dataDir: string;
  let api: ApiProcess;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-harness-'));
    // The embedded PostgreSQL runs as `postgres` when the suite runs as root.
    fs.chmodSync(dataDir, 0o755);
    // No DATABASE_URL, no S3_ENDPOINT: embedded PostgreSQL and store, demo data, playground.
    api = await startApiProcess({
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      DEMO_DATA: 'true',
      ...PRELOAD,
    });
  }, 180_000);
  afterAll(async () => {
    await api?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('serves the playground, with the demo tabs, and its assets', async () => {
    const page = await fetch(api.url, { headers: asBrowser });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('Bearer ');
    const asset = await fetch(`${origin(api)}/graphql/assets/graphiql.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
  });

  it('prints the demo users’ tokens on every start, also on the data an earlier start kept', async () => {
    // stdout may arrive just after the process reports that it listens.
    const printed = (from: ApiProcess) =>
      waitFor('the demo users printed', () => {
        const out = from.logs.join('');
        return out.includes('Max Manager') && [...out.matchAll(/^ {2}(\w+ \w+) .*\n {4}(\S+)$/gm)];
      });
    const first = await printed(api);
    expect(first.map(([, name]) => name)).toContain('Ann Buyer');
    await api.stop();
    api = await startApiProcess({
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      DEMO_DATA: 'true',
      ...PRELOAD,
    });
    const again = await printed(api);
    expect(again.map(([, name]) => name)).toEqual(first.map(([, name]) => name));
    const ann = again.find(([, name]) => name === 'Ann Buyer')![2]!;
    const res = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ann}` },
      body: JSON.stringify({ query: '{ viewer { name } }' }),
    });
    expect(await res.json()).toMatchObject({ data: { viewer: { name: 'Ann Buyer' } } });
  }, 180_000);

  it('loads every module of the development harness', async () => {
    // The playground's bundle is read on first use.
    expect((await fetch(`${origin(api)}/graphql/assets/graphiql.css`)).status).toBe(200);
    const loaded = await loadedModules(api);
    expect(HARNESS.filter((f) => !loaded.includes(f))).toEqual([]);
    expect(HARNESS_PACKAGES.filter((p) => !loaded.some((f) => f.includes(p)))).toEqual([]);
  });
});
