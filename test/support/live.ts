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
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.values;
  }

  /** Resolves with the n-th value (1-based) once it has arrived. */
  async nth(n: number, timeoutMs = 5_000): Promise<T> {
    await this.until((v) => v.length >= n, timeoutMs, `value #${n}`);
    return this.values[n - 1]!;
  }

  async firstError(timeoutMs = 5_000): Promise<GraphQLFormattedError> {
    const deadline = Date.now() + timeoutMs;
    while (!this.errors.length) {
      if (Date.now() > deadline)
        throw new Error(`no error arrived; values: ${JSON.stringify(this.values)}`);
      await new Promise((r) => setTimeout(r, 20));
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

/** Lets events that would (wrongly) arrive have their chance to, before asserting that none did. */
export const settle = (ms = 750) => new Promise((r) => setTimeout(r, ms));
