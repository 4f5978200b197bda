/**
 * A typed client of the Disputes API, as an integrator would write one (docs/integrating.md,
 * "A typed client"). It signs in with a token, keeps `notificationAdded` and
 * `pendingDisputesCount` open over graphql-ws with reconnection, catches up on every
 * (re)connection as docs/live-updates.md describes, optionally sends a dispute with an
 * evidence file through the signed upload, and prints everything as JSON lines on stdout.
 *
 *   DISPUTES_URL=http://localhost:4000/graphql DISPUTES_TOKEN=... \
 *     node dist/examples/client/main.js [--dispute CALL_ID --file PATH] [--for SECONDS]
 *
 * The documents below are typed by GraphQL Codegen's client preset (`npm run codegen`
 * writes examples/client/gql/).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { graphql } from './gql';
import type { ClientCatchUpQuery, DisputeReason } from './gql/graphql';

type Notification = ClientCatchUpQuery['notifications']['nodes'][number];

const SignIn = graphql(`
  query ClientSignIn {
    viewer {
      id
      name
      role
      permissions
    }
  }
`);

const CatchUp = graphql(`
  query ClientCatchUp {
    viewer {
      unreadNotificationsCount
    }
    notifications(unreadOnly: true, first: 50) {
      nodes {
        id
        kind
        message
        createdAt
        dispute {
          id
          status
        }
      }
    }
  }
`);

const NotificationAdded = graphql(`
  subscription ClientNotificationAdded {
    notificationAdded {
      id
      kind
      message
      createdAt
      dispute {
        id
        status
      }
    }
  }
`);

const PendingCount = graphql(`
  subscription ClientPendingDisputesCount {
    pendingDisputesCount
  }
`);

const StartUpload = graphql(`
  mutation ClientCreateEvidenceUpload($input: CreateEvidenceUploadInput!) {
    createEvidenceUpload(input: $input) {
      evidenceId
      method
      uploadUrl
      headers {
        name
        value
      }
      formFields {
        name
        value
      }
    }
  }
`);

const SendDispute = graphql(`
  mutation ClientCreateDispute($input: CreateDisputeInput!) {
    createDispute(input: $input) {
      id
      status
      reason
      createdAt
      evidence {
        id
        fileName
        contentType
      }
    }
  }
`);

/** The content types createEvidenceUpload accepts, by file extension. */
const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
};

/** The socket close code of a refused token (docs/live-updates.md). */
const UNAUTHORIZED_CLOSE = 4403;

/** One JSON line per event, so another program can read the output. */
function emit(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ event, at: new Date().toISOString(), ...fields })}\n`);
}

class ApiError extends Error {
  constructor(readonly errors: { message: string; extensions?: { code?: string } }[]) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  }
}

function options() {
  const { values } = parseArgs({
    options: {
      dispute: { type: 'string' },
      file: { type: 'string' },
      reason: { type: 'string', default: 'INVALID_CALLER' },
      for: { type: 'string', default: '30' },
    },
  });
  const url = process.env.DISPUTES_URL ?? 'http://localhost:4000/graphql';
  const token = process.env.DISPUTES_TOKEN;
  if (!token) throw new Error('Set DISPUTES_TOKEN (e.g. from `npm run token -- <user id>`).');
  if (values.dispute && !values.file) throw new Error('--dispute needs --file PATH.');
  const seconds = Number(values.for);
  if (!(seconds > 0)) throw new Error('--for takes a number of seconds above 0.');
  return {
    url,
    token,
    seconds,
    callId: values.dispute,
    file: values.file,
    reason: values.reason as DisputeReason,
  };
}

async function main(): Promise<number> {
  const opts = options();

  /** One HTTP POST per operation, typed by its document. */
  async function request<R, V>(doc: TypedDocumentNode<R, V>, variables?: V): Promise<R> {
    const res = await fetch(opts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
      body: JSON.stringify({ query: print(doc), variables }),
    });
    const body = (await res.json()) as { data?: R; errors?: ApiError['errors'] };
    if (body.errors?.length) throw new ApiError(body.errors);
    return body.data as R;
  }

  // Signing in is sending the token; this checks it before anything else.
  const { viewer } = await request(SignIn);
  emit('signedIn', { viewer });

  // Notifications arrive live and from catch-up; one id is printed once.
  const seen = new Set<string>();
  const showNotification = (n: Notification, source: 'live' | 'catchUp') => {
    if (seen.has(n.id)) return;
    seen.add(n.id);
    emit('notification', { source, notification: n });
  };

  let catchingUp = false;
  const catchUp = async () => {
    if (catchingUp) return;
    catchingUp = true;
    try {
      const data = await request(CatchUp);
      emit('caughtUp', {
        unreadNotificationsCount: data.viewer.unreadNotificationsCount,
        unread: data.notifications.nodes.length,
      });
      // Oldest first, so the printed order matches the order they happened in.
      for (const n of [...data.notifications.nodes].reverse()) showNotification(n, 'catchUp');
    } catch (e) {
      emit('error', { during: 'catchUp', message: (e as Error).message });
    } finally {
      catchingUp = false;
    }
  };

  let refused = false;
  let stop = () => undefined as void;
  const ws = createClient({
    url: opts.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    // A function, so a reconnect would send a refreshed token if this program renewed it.
    connectionParams: () => ({ authorization: `Bearer ${opts.token}` }),
    retryAttempts: Infinity,
    shouldRetry: (e) => {
      const code = (e as { code?: number } | undefined)?.code;
      if (code === UNAUTHORIZED_CLOSE) {
        refused = true;
        setTimeout(() => stop(), 0);
      }
      // A refused token will be refused again; get a fresh one instead.
      return code !== UNAUTHORIZED_CLOSE;
    },
    on: {
      // After the first connection and every reconnection. The subscriptions are sent on the
      // new socket right after this, so the query goes out a tick later: subscribe, then query.
      connected: () => {
        emit('connected');
        setTimeout(() => void catchUp(), 0);
      },
      closed: (e) => emit('disconnected', { code: (e as { code?: number }).code }),
    },
  });

  function subscribe<R>(doc: TypedDocumentNode<R, Record<string, never>>, next: (d: R) => void) {
    return ws.subscribe<R>(
      { query: print(doc) },
      {
        next: (r) => (r.errors?.length ? emit('error', { errors: r.errors }) : next(r.data as R)),
        error: (e) => emit('error', { during: 'subscription', message: String(e) }),
        complete: () => undefined,
      },
    );
  }

  subscribe(NotificationAdded, (d) => showNotification(d.notificationAdded, 'live'));
  let lastCount: number | undefined;
  subscribe(PendingCount, (d) => {
    // The same value again means the server re-synchronised: events may have been missed.
    if (d.pendingDisputesCount === lastCount) void catchUp();
    lastCount = d.pendingDisputesCount;
    emit('pendingDisputesCount', { count: d.pendingDisputesCount });
  });

  let status = 0;
  if (opts.callId && opts.file) {
    try {
      const bytes = await readFile(opts.file);
      const fileName = path.basename(opts.file);
      const contentType =
        CONTENT_TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';
      const { createEvidenceUpload: upload } = await request(StartUpload, {
        input: { fileName, contentType, sizeBytes: bytes.length },
      });
      // The bytes go straight to the object store, as the signed upload says.
      const sent =
        upload.method === 'PUT'
          ? await fetch(upload.uploadUrl, {
              method: 'PUT',
              headers: Object.fromEntries(upload.headers.map((h) => [h.name, h.value])),
              body: bytes,
            })
          : await fetch(upload.uploadUrl, {
              method: 'POST',
              body: (() => {
                const form = new FormData();
                for (const f of upload.formFields) form.append(f.name, f.value);
                form.append('file', new Blob([bytes], { type: contentType }), fileName);
                return form;
              })(),
            });
      if (!sent.ok) throw new Error(`upload refused: HTTP ${sent.status} ${await sent.text()}`);
      emit('evidenceUploaded', { evidenceId: upload.evidenceId, fileName, contentType });
      const { createDispute } = await request(SendDispute, {
        input: {
          callId: opts.callId,
          reason: opts.reason,
          evidenceIds: [upload.evidenceId],
        },
      });
      emit('disputeCreated', { dispute: createDispute });
    } catch (e) {
      emit('error', { during: 'dispute', message: (e as Error).message });
      status = 1;
    }
  }

  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, opts.seconds * 1000);
    stop = () => {
      clearTimeout(timer);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (refused) stop();
  });
  await ws.dispose();
  emit('stopped');
  return refused ? 2 : status;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    emit('error', { during: 'start', message: (e as Error).message });
    process.exit(1);
  },
);
