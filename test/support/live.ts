import {
  print,
  type DocumentNode,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
} from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { signToken } from '../../src/auth/tokens';
import { readTestEnv, TEST_JWT_SECRET } from './services';

/** A subscription as a test sees it: every value received, every error, and whether it ended. */
export class Feed<T> {
  readonly values: T[] = [];
  readonly errors: GraphQLFormattedError[] = [];
  completed = false;
  private waiters: (() => void)[] = [];
  private readonly cancel: () => void;

  constructor(client: WsClient, query: string, variables?: Record<string, unknown>) {
    this.cancel = client.subscribe<T>(
      { query, variables },
      {
        next: (result: FormattedExecutionResult<T>) => {
          if (result.errors?.length) this.errors.push(...result.errors);
          if (result.data) this.values.push(result.data);
          this.wake();
        },
        error: (err: unknown) => {
          if (Array.isArray(err)) this.errors.push(...(err as GraphQLFormattedError[]));
          else this.errors.push({ message: String((err as { reason?: string })?.reason ?? err) });
          this.completed = true;
          this.wake();
        },
        complete: () => {
          this.completed = true;
          this.wake();
        },
      },
    );
  }

  /** Waits until `predicate` holds over the values received (or fails after `timeoutMs`). */
  async until(
    predicate: (values: T[]) => boolean,
    timeoutMs = 5_000,
    what = 'the expected values',
  ): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.values)) {
      if (this.completed && !predicate(this.values)) {
        throw new Error(
          `subscription ended before ${what}: ${JSON.stringify({ values: this.values, errors: this.errors })}`,
        );
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `timed out waiting for ${what}; got ${JSON.stringify({ values: this.values, errors: this.errors })}`,
        );
      }
      await this.changed(left);
    }
    return this.values;
  }

  /** Resolves when a value or error arrives or the feed ends, or after `timeoutMs`. */
  private changed(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Resolves with the n-th value (1-based) once it has arrived. */
  async nth(n: number, timeoutMs = 5_000): Promise<T> {
    await this.until((v) => v.length >= n, timeoutMs, `value #${n}`);
    return this.values[n - 1]!;
  }

  async firstError(timeoutMs = 5_000): Promise<GraphQLFormattedError> {
    const deadline = Date.now() + timeoutMs;
    while (!this.errors.length) {
      const left = deadline - Date.now();
      if (left <= 0 || this.completed)
        throw new Error(`no error arrived; values: ${JSON.stringify(this.values)}`);
      await this.changed(left);
    }
    return this.errors[0]!;
  }

  stop(): void {
    this.cancel();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** A graphql-ws connection as a client app would open it: token in connectionParams. */
export class LiveClient {
  private constructor(readonly ws: WsClient) {}

  /** Resolves once the server acknowledged the connection; rejects with the close code when refused. */
  static async connect(
    authorization: string | null,
    url = readTestEnv().wsUrl,
  ): Promise<LiveClient> {
    let settled = false;
    return new Promise<LiveClient>((resolve, reject) => {
      const ws = createClient({
        url,
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        connectionParams: authorization === null ? {} : { authorization },
        onNonLazyError: () => undefined,
        on: {
          connected: () => {
            settled = true;
            resolve(new LiveClient(ws));
          },
          closed: (event) => {
            if (settled) return;
            settled = true;
            const code = (event as { code?: number }).code;
            reject(Object.assign(new Error(`connection closed with ${code}`), { code }));
          },
        },
      });
    });
  }

  static async forUser(userId: string, url?: string): Promise<LiveClient> {
    return LiveClient.connect(`Bearer ${await signToken(TEST_JWT_SECRET, userId)}`, url);
  }

  subscribe<T, V extends Record<string, unknown>>(
    doc: TypedDocumentNode<T, V> | DocumentNode | string,
    variables?: V,
  ): Feed<T> {
    return new Feed<T>(this.ws, typeof doc === 'string' ? doc : print(doc), variables);
  }

  async close(): Promise<void> {
    await this.ws.dispose();
  }
}

/** Retries `check` until it passes (returns without throwing), or rethrows its last failure. */
export async function eventually<T>(
  check: () => Promise<T> | T,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

/** How long a feed must stay quiet after a sync point to count as silent. */
export const SILENCE_MS = 500;

/**
 * The wait a silence check cannot do without: nothing proves an event will never come, so once
 * `syncPoint` has resolved, the window in which a wrongly routed one could still arrive is waited
 * out. The sync point must be an event the same server delivered after the ones that must not
 * arrive: each API process routes events one at a time, in order, so once it is seen a wrong
 * event would already have been routed, and a stalled bus or a subscription that was never
 * registered cannot make the check pass. What is left to wait for is field resolution and the
 * socket, hence a short window.
 */
export async function silenceWindow(syncPoint: Promise<unknown>, ms = SILENCE_MS): Promise<void> {
  await syncPoint;
  await new Promise((r) => setTimeout(r, ms));
}

/**
 * Asserts that none of `feeds` receives a value or an error in the silence window after
 * `syncPoint` (see silenceWindow). What arrived before it is for the caller to check.
 */
export async function expectSilence(
  feeds: readonly Feed<unknown>[],
  syncPoint: Promise<unknown>,
  ms = SILENCE_MS,
): Promise<void> {
  await syncPoint;
  const before = feeds.map((f) => ({ values: f.values.length, errors: f.errors.length }));
  await silenceWindow(Promise.resolve(), ms);
  const late = feeds.flatMap((f, i) => [
    ...f.values.slice(before[i]!.values),
    ...f.errors.slice(before[i]!.errors),
  ]);
  expect(late).toEqual([]);
}
