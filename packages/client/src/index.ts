/**
 * A typed client of the Disputes API: operations over HTTP (`request`), subscriptions over one
 * graphql-ws socket (`subscribe`), and evidence uploads through the signed upload
 * (`uploadEvidence`). The operations of `operations.graphql` are exported as typed documents
 * (`CallLogDocument`, …, from `./gql/graphql`); any other TypedDocumentNode works too, e.g. one
 * your own GraphQL Codegen run made (docs/integrating.md).
 *
 * Runs in browsers and in Node 20.19+ (global fetch, FormData and Blob). Node before 22 has no
 * global WebSocket: pass one as `webSocketImpl` (e.g. the `ws` package's).
 */
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client as SocketClient } from 'graphql-ws';
import { CreateEvidenceUploadDocument } from './gql/graphql';

export * from './gql/graphql';

/** The socket close code of a refused or expired token (docs/live-updates.md). */
export const UNAUTHORIZED_CLOSE = 4403;

export interface ApiErrorItem {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

/** The `errors` of an answer, with the HTTP status it came with (0 for a subscription). */
export class DisputesApiError extends Error {
  constructor(
    readonly errors: readonly ApiErrorItem[],
    readonly status: number,
  ) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
    this.name = 'DisputesApiError';
  }

  /** The first error's code (`UNAUTHENTICATED`, `NOT_FOUND`, …): the one to act on. */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

export interface DisputesClientOptions {
  /** The API's endpoint, e.g. `https://api.example.com/graphql`; the socket uses its ws(s) twin. */
  url: string;
  /**
   * The bearer token, or a function that returns the current one: it is read for every request
   * and on every (re)connection of the socket, so a refreshed token is used from then on.
   */
  token: string | (() => string | Promise<string>);
  /** A WebSocket implementation where there is no global one (Node 20: `ws`). */
  webSocketImpl?: unknown;
  /** After the socket's first connection and every reconnection: the moment to catch up. */
  onConnected?: () => void;
  /** The socket closed (`code` 4403: the token was refused; it is not retried). */
  onClosed?: (code: number | undefined) => void;
}

export interface SubscriptionHandlers<R> {
  next(data: R): void;
  /** A GraphQL error of this subscription, or the socket's refusal. */
  error?(error: DisputesApiError | Error): void;
  complete?(): void;
}

/** A file to upload as evidence: a browser `File`/`Blob`, or bytes. */
export interface EvidenceFile {
  fileName: string;
  /** One of the types createEvidenceUpload accepts (image/png, application/pdf, …). */
  contentType: string;
  data: Blob | Uint8Array;
}

/** `[]` when an operation takes no variables or only optional ones, `[variables]` otherwise. */
type VariablesArg<V> = Record<string, never> extends V ? [variables?: V] : [variables: V];

export interface DisputesClient {
  /** Runs a query or mutation over HTTP; throws DisputesApiError when the answer has errors. */
  request<R, V extends Record<string, unknown>>(
    document: TypedDocumentNode<R, V>,
    ...variables: VariablesArg<V>
  ): Promise<R>;
  /** Starts a subscription on the shared socket; returns the function that stops it. */
  subscribe<R, V extends Record<string, unknown>>(
    document: TypedDocumentNode<R, V>,
    handlers: SubscriptionHandlers<R>,
    ...variables: VariablesArg<V>
  ): () => void;
  /**
   * The same as an async iterator: each value in turn (`for await`, or `next()`); `return()`
   * stops the subscription. A GraphQL error is thrown as DisputesApiError.
   */
  iterate<R, V extends Record<string, unknown>>(
    document: TypedDocumentNode<R, V>,
    ...variables: VariablesArg<V>
  ): AsyncGenerator<R, undefined>;
  /**
   * Uploads one evidence file straight to the object store (createEvidenceUpload, then the
   * signed POST or PUT) and returns its `evidenceId`, for `createDispute`'s `evidenceIds`.
   */
  uploadEvidence(file: EvidenceFile): Promise<string>;
  /** Closes the socket; HTTP requests keep working. */
  dispose(): Promise<void>;
  /** The graphql-ws client underneath, for what the methods above do not cover. */
  readonly socket: SocketClient;
}

export function createDisputesClient(options: DisputesClientOptions): DisputesClient {
  const token = async () =>
    typeof options.token === 'function' ? await options.token() : options.token;

  async function request<R, V extends Record<string, unknown>>(
    document: TypedDocumentNode<R, V>,
    ...[variables]: VariablesArg<V>
  ): Promise<R> {
    const res = await fetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await token()}`,
      },
      body: JSON.stringify({ query: print(document), variables }),
    });
    let body: { data?: R | null; errors?: ApiErrorItem[] };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new DisputesApiError(
        [{ message: `HTTP ${res.status} without a JSON body` }],
        res.status,
      );
    }
    if (body.errors?.length) throw new DisputesApiError(body.errors, res.status);
    return body.data as R;
  }

  const socket = createClient({
    url: options.url.replace(/^http/, 'ws'),
    webSocketImpl: options.webSocketImpl,
    // A function, so every (re)connection sends the current token.
    connectionParams: async () => ({ authorization: `Bearer ${await token()}` }),
    retryAttempts: Infinity,
    // A refused token will be refused again: get a new one, then subscribe again.
    shouldRetry: (e) => (e as { code?: number } | undefined)?.code !== UNAUTHORIZED_CLOSE,
    on: {
      connected: () => options.onConnected?.(),
      closed: (e) => options.onClosed?.((e as { code?: number } | undefined)?.code),
    },
  });

  function subscribe<R, V extends Record<string, unknown>>(
    document: TypedDocumentNode<R, V>,
    handlers: SubscriptionHandlers<R>,
    ...[variables]: VariablesArg<V>
  ): () => void {
    return socket.subscribe<R>(
      { query: print(document), variables },
      {
        next: (result) => {
          if (result.errors?.length) {
            handlers.error?.(new DisputesApiError(result.errors as ApiErrorItem[], 0));
          } else if (result.data) {
            handlers.next(result.data as R);
          }
        },
        error: (e) => {
          const code = (e as { code?: number } | undefined)?.code;
          handlers.error?.(
            Array.isArray(e)
              ? new DisputesApiError(e as ApiErrorItem[], 0)
              : e instanceof Error
                ? e
                : new Error(`The socket closed${code ? ` with ${code}` : ''}.`),
          );
        },
        complete: () => handlers.complete?.(),
      },
    );
  }

  async function* iterate<R, V extends Record<string, unknown>>(
    document: TypedDocumentNode<R, V>,
    ...[variables]: VariablesArg<V>
  ): AsyncGenerator<R, undefined> {
    const results = socket.iterate<R>({ query: print(document), variables });
    try {
      for await (const result of results) {
        if (result.errors?.length) throw new DisputesApiError(result.errors as ApiErrorItem[], 0);
        if (result.data) yield result.data as R;
      }
    } finally {
      // Stopped early (return(), break, an error): the server is told to stop too.
      await results.return?.();
    }
    return undefined;
  }

  async function uploadEvidence(file: EvidenceFile): Promise<string> {
    // A copy in a plain ArrayBuffer: Blob takes no view of a shared or resizable buffer.
    const blob =
      file.data instanceof Uint8Array
        ? new Blob([new Uint8Array(file.data)], { type: file.contentType })
        : file.data;
    const { createEvidenceUpload: upload } = await request(CreateEvidenceUploadDocument, {
      input: { fileName: file.fileName, contentType: file.contentType, sizeBytes: blob.size },
    });
    let sent: Response;
    if (upload.method === 'PUT') {
      sent = await fetch(upload.uploadUrl, {
        method: 'PUT',
        headers: Object.fromEntries(upload.headers.map((h) => [h.name, h.value])),
        body: blob,
      });
    } else {
      // Every signed field in order, the file last: the store ignores fields after it.
      const form = new FormData();
      for (const f of upload.formFields) form.append(f.name, f.value);
      form.append('file', blob, file.fileName);
      sent = await fetch(upload.uploadUrl, { method: 'POST', body: form });
    }
    if (!sent.ok) {
      throw new Error(
        `The object store refused the upload: HTTP ${sent.status} ${await sent.text()}`,
      );
    }
    return upload.evidenceId;
  }

  const dispose = async () => {
    await socket.dispose();
  };
  return { request, subscribe, iterate, uploadEvidence, dispose, socket };
}
