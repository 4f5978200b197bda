import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { signToken } from '../../src/auth/tokens';
import { DEMO_IDS } from '../../src/dev/demo-data';
import { loadExamples } from '../../src/dev/examples';
import {
  ROOT,
  startApiProcess,
  storeEnv,
  TEST_JWT_SECRET,
  type ApiProcess,
} from '../support/services';

/*
 * The playground in a real browser, as a visitor of `npm start` sees it: an API process of its
 * own on the demo data (embedded PostgreSQL under a temporary DATA_DIR), the Debian Chromium
 * driven by playwright-core (no browser download). It runs the Call Log tab and sees calls in
 * the result pane, starts the manager's pendingDisputesCount tab and sees the count move when
 * the demo buyer sends a dispute over HTTP. On failure a screenshot and the page's HTML go to
 * test-results/. Without a Chromium executable the file is skipped, saying so.
 */

/** CHROMIUM_PATH, else the Debian and Ubuntu names of the system Chromium. */
function findChromium(): string | undefined {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    ...(process.env.PATH ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .flatMap((dir) => [path.join(dir, 'chromium'), path.join(dir, 'chromium-browser')]),
  ];
  return candidates.find((p): p is string => {
    if (!p) return false;
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  });
}

/** The page's document, in functions that run in the browser (the suite's types have no DOM). */
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

const CHROMIUM = findChromium();
const RESULTS = path.join(ROOT, 'test-results');
/** Generous: two cores shared with the rest of the suite, and a 9 MB page to parse. */
const UI_TIMEOUT_MS = 45_000;
const TEST_TIMEOUT_MS = 180_000;

if (!CHROMIUM) {
  // Printed by jest under the file's name; .ci/run installs Chromium so CI never lands here.
  console.warn(
    'SKIPPED the playground browser test: no Chromium found (set CHROMIUM_PATH, or install ' +
      'the `chromium` package: `apt-get install -y chromium`).',
  );
}

(CHROMIUM ? describe : describe.skip)('the playground in Chromium', () => {
  let dataDir: string;
  let api: ApiProcess;
  let browser: Browser;
  let page: Page;
  let buyerToken: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-browser-'));
    // The embedded PostgreSQL runs as `postgres` when the suite runs as root.
    fs.chmodSync(dataDir, 0o755);
    api = await startApiProcess({ DATA_DIR: dataDir, DEMO_DATA: 'true', ...storeEnv() });
    buyerToken = await signToken(TEST_JWT_SECRET, DEMO_IDS.users.ann);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 60_000 });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(UI_TIMEOUT_MS);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  /** Saves what the page showed when a step failed, then fails with the step's error. */
  async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      fs.mkdirSync(RESULTS, { recursive: true });
      const base = path.join(RESULTS, `playground-browser-${name}`);
      await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => undefined);
      fs.writeFileSync(`${base}.html`, await page.content().catch(() => ''));
      throw new Error(
        `${name}: ${(err as Error).message}\n(screenshot: ${path.relative(ROOT, base)}.png)`,
        { cause: err },
      );
    }
  }

  const tab = (name: string): Locator =>
    page.locator('.graphiql-tab-button', { hasText: new RegExp(`^${name}$`) });
  /**
   * Opens a tab from the keyboard. The tab strip scrolls when a tab takes focus, so a mouse
   * click on a tab that moves between press and release can land on the strip instead.
   */
  async function openTab(name: string): Promise<void> {
    await tab(name).press('Enter');
    await page
      .locator('.graphiql-tab[aria-selected="true"] .graphiql-tab-button', {
        hasText: new RegExp(`^${name}$`),
      })
      .waitFor();
    // The editor shows the tab's operation before it runs.
    await page.waitForFunction(
      (op) => document.querySelector('.graphiql-query-editor')?.textContent?.includes(op),
      name,
      { timeout: UI_TIMEOUT_MS, polling: 100 },
    );
  }

  /**
   * Waits until the result pane shows text matching `pattern`, and returns that text. Monaco
   * draws each token in its own element with non-breaking spaces, so the pane's text is read
   * whole rather than searched element by element.
   */
  async function waitForResponse(pattern: RegExp): Promise<string> {
    const handle = await page.waitForFunction(
      (source) => {
        const text = (document.querySelector('.graphiql-response')?.textContent ?? '').replace(
          /\u00a0/g,
          ' ',
        );
        return new RegExp(source).test(text) ? text : false;
      },
      pattern.source,
      { timeout: UI_TIMEOUT_MS, polling: 100 },
    );
    return (await handle.jsonValue()) as string;
  }
  const execute = (): Locator => page.locator('button.graphiql-execute-button');

  async function graphql<T>(
    query: string,
    variables: Record<string, unknown>,
  ): Promise<{ data?: T; errors?: { message: string }[] }> {
    const res = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${buyerToken}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: T; errors?: { message: string }[] };
  }

  test(
    'runs the Call Log example and shows calls in the result pane',
    async () => {
      await step('open', async () => {
        const res = await page.goto(api.url, { waitUntil: 'load' });
        expect(res?.status()).toBe(200);
        // Pre-loaded tabs, named after their operations, one per example of both roles.
        await tab('BuyerCallLog').waitFor();
        await tab('ManagerPendingDisputesCount').waitFor();
        expect(await page.locator('.graphiql-tab-button').count()).toBe(loadExamples().length);
      });
      await step('call-log', async () => {
        // The first tab, open already; its variables keep the disputable calls only.
        await openTab('BuyerCallLog');
        await execute().click();
        // Rows of the Call Log (Monaco draws only the lines in view: the first rows).
        const text = await waitForResponse(/"nodes": \[\s*\{\s*"id": "[0-9a-f-]{36}"/);
        expect(text).not.toContain('"errors"');
        // As many as the buyer's disputable calls: the tab ran with its variables.
        const disputable = await graphql<{ calls: { totalCount: number } }>(
          'query { calls(first: 1, filter: { disputable: true }) { totalCount } }',
          {},
        );
        const total = disputable.data!.calls.totalCount;
        expect(total).toBeGreaterThan(0);
        expect(text).toMatch(new RegExp(`"calls": \\{\\s*"totalCount": ${total},`));
      });
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'the manager pendingDisputesCount tab moves when the buyer sends a dispute',
    async () => {
      const before = await step('subscribe', async () => {
        await openTab('ManagerPendingDisputesCount');
        await execute().click();
        const text = await waitForResponse(/"pendingDisputesCount": \d+/);
        return Number(/"pendingDisputesCount": (\d+)/.exec(text)![1]);
      });
      expect(Number.isInteger(before)).toBe(true);

      await step('send-dispute', async () => {
        // As the demo buyer, on a call the Call Log offers for a dispute.
        const calls = await graphql<{ calls: { nodes: { id: string }[] } }>(
          'query($f: CallFilter) { calls(first: 1, filter: $f) { nodes { id } } }',
          { f: { disputable: true } },
        );
        expect(calls.errors).toBeUndefined();
        const callId = calls.data!.calls.nodes[0]!.id;
        const sent = await graphql(
          'mutation($input: CreateDisputeInput!) { createDispute(input: $input) { id status } }',
          { input: { callId, reason: 'INVALID_CALLER' } },
        );
        expect(sent.errors).toBeUndefined();
      });

      await step('counter', async () => {
        await waitForResponse(new RegExp(`"pendingDisputesCount": ${before + 1}(?!\\d)`));
      });
      // Stops the subscription (the button toggles while it runs).
      await execute().click();
    },
    TEST_TIMEOUT_MS,
  );
});
