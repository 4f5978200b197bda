import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { signToken } from '../../src/auth/tokens';
import { readTestEnv, TEST_JWT_SECRET } from './services';

export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [k: string]: unknown };
}

export interface GqlResponse<T> {
  status: number;
  data: T | null | undefined;
  errors?: GqlError[];
  extensions?: { sqlStatements?: number; [k: string]: unknown };
}

export type Variables = Record<string, unknown>;

/** A client as a frontend would be: HTTP POST to /graphql with a bearer token. */
export class Client {
  constructor(
    readonly token: string | null,
    readonly url = readTestEnv().apiUrl,
  ) {}

  static async forUser(userId: string, url?: string): Promise<Client> {
    return new Client(await signToken(TEST_JWT_SECRET, userId), url);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async raw<T = any, V extends Variables = Variables>(
    query: string | TypedDocumentNode<T, V> | DocumentNode,
    variables?: V,
    headers: Record<string, string> = {},
    operationName?: string,
  ): Promise<GqlResponse<T>> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: JSON.stringify({
        query: typeof query === 'string' ? query : print(query),
        variables,
        operationName,
      }),
    });
    const body = (await res.json()) as Omit<GqlResponse<T>, 'status'>;
    return { status: res.status, ...body };
  }

  /** Runs a typed operation and fails loudly if it returned errors. */
  async run<T, V extends Variables>(doc: TypedDocumentNode<T, V>, variables?: V): Promise<T> {
    const res = await this.raw<T>(doc, variables);
    if (res.errors?.length) {
      throw new Error(`GraphQL errors: ${JSON.stringify(res.errors, null, 2)}`);
    }
    return res.data as T;
  }

  /** Runs an operation expected to fail; returns the first error's code. */
  async errorCode<T, V extends Variables>(
    doc: TypedDocumentNode<T, V> | string,
    variables?: V,
  ): Promise<string | undefined> {
    const res = await this.raw<T>(doc, variables);
    return res.errors?.[0]?.extensions?.code;
  }
}
