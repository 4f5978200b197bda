/**
 * A typed client of the Disputes API, as an integrator would write one (docs/integrating.md,
 * "A typed client"), on the client package of this repository (packages/client). It signs in
 * with a token, keeps `notificationAdded` and `pendingDisputesCount` open over graphql-ws with
 * reconnection, catches up on every (re)connection as docs/live-updates.md describes,
 * optionally sends a dispute with an evidence file through the signed upload, optionally
 * exports the Call Log or the Disputes page as a CSV file (started, followed with
 * `exportProgress` until DONE, then downloaded from its signed `url`), and prints everything as
 * JSON lines on stdout.
 *
 *   DISPUTES_URL=http://localhost:4000/graphql DISPUTES_TOKEN=... \
 *     node dist/examples/client/main.js [--dispute CALL_ID --file PATH] [--export calls|disputes]
 *       [--for SECONDS]
 *
 * The documents are the package's, typed by GraphQL Codegen's client preset (`npm run codegen`
 * writes packages/client/src/gql/).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
// In an app that installed the package: from '@disputes-api/client'.
import {
  createDisputesClient,
  CreateDisputeDocument,
  ExportCallsDocument,
  ExportDisputesDocument,
  ExportProgressDocument,
  NotificationAddedDocument,
  PendingDisputesCountDocument,
  UNAUTHORIZED_CLOSE,
  UnreadNotificationsDocument,
  ViewerDocument,
  type DisputeReason,
  type ExportItemFragment,
  type NotificationItemFragment,
} from '../../packages/client/src';

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

/** One JSON line per event, so another program can read the output. */
function emit(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ event, at: new Date().toISOString(), ...fields })}\n`);
}

function options() {
  const { values } = parseArgs({
    options: {
      dispute: { type: 'string' },
      file: { type: 'string' },
      reason: { type: 'string', default: 'INVALID_CALLER' },
      export: { type: 'string' },
      for: { type: 'string', default: '30' },
    },
  });
  const url = process.env.DISPUTES_URL ?? 'http://localhost:4000/graphql';
  const token = process.env.DISPUTES_TOKEN;
  if (!token) throw new Error('Set DISPUTES_TOKEN (e.g. from `npm run token -- <user id>`).');
  if (values.dispute && !values.file) throw new Error('--dispute needs --file PATH.');
  if (values.export !== undefined && values.export !== 'calls' && values.export !== 'disputes')
    throw new Error('--export takes calls (the Call Log) or disputes (the Disputes page).');
  const seconds = Number(values.for);
  if (!(seconds > 0)) throw new Error('--for takes a number of seconds above 0.');
  return {
    url,
    token,
    seconds,
    callId: values.dispute,
    file: values.file,
    reason: values.reason as DisputeReason,
    exportTable: values.export as 'calls' | 'disputes' | undefined,
  };
}

async function main(): Promise<number> {
  const opts = options();

  let refused = false;
  let stop = () => undefined as void;
  let catchingUp = false;
  const client = createDisputesClient({
    url: opts.url,
    token: opts.token,
    webSocketImpl: WebSocket,
    // After the first connection and every reconnection. The subscriptions are sent on the
    // new socket right after this, so the query goes out a tick later: subscribe, then query.
    onConnected: () => {
      emit('connected');
      setTimeout(() => void catchUp(), 0);
    },
    onClosed: (code) => {
      emit('disconnected', { code });
      // A refused token will be refused again; the package does not retry it.
      if (code === UNAUTHORIZED_CLOSE) {
        refused = true;
        setTimeout(() => stop(), 0);
      }
    },
  });

  // Signing in is sending the token; this checks it before anything else.
  const { viewer } = await client.request(ViewerDocument);
  emit('signedIn', {
    viewer: {
      id: viewer.id,
      name: viewer.name,
      role: viewer.role,
      permissions: viewer.permissions,
    },
  });

  // Notifications arrive live and from catch-up; one id is printed once.
  const seen = new Set<string>();
  const showNotification = (n: NotificationItemFragment, source: 'live' | 'catchUp') => {
    if (seen.has(n.id)) return;
    seen.add(n.id);
    emit('notification', { source, notification: n });
  };

  async function catchUp() {
    if (catchingUp) return;
    catchingUp = true;
    try {
      const data = await client.request(UnreadNotificationsDocument, { first: 50 });
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
  }

  const onError = (e: Error) => emit('error', { during: 'subscription', message: e.message });
  client.subscribe(NotificationAddedDocument, {
    next: (d) => showNotification(d.notificationAdded, 'live'),
    error: onError,
  });
  let lastCount: number | undefined;
  client.subscribe(PendingDisputesCountDocument, {
    next: (d) => {
      // The same value again means the server re-synchronised: events may have been missed.
      if (d.pendingDisputesCount === lastCount) void catchUp();
      lastCount = d.pendingDisputesCount;
      emit('pendingDisputesCount', { count: d.pendingDisputesCount });
    },
    error: onError,
  });

  let status = 0;
  if (opts.callId && opts.file) {
    try {
      const fileName = path.basename(opts.file);
      const contentType =
        CONTENT_TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';
      // The bytes go straight to the object store, as the signed upload says.
      const evidenceId = await client.uploadEvidence({
        fileName,
        contentType,
        data: await readFile(opts.file),
      });
      emit('evidenceUploaded', { evidenceId, fileName, contentType });
      const { createDispute } = await client.request(CreateDisputeDocument, {
        input: { callId: opts.callId, reason: opts.reason, evidenceIds: [evidenceId] },
      });
      emit('disputeCreated', { dispute: createDispute });
    } catch (e) {
      emit('error', { during: 'dispute', message: (e as Error).message });
      status = 1;
    }
  }

  if (opts.exportTable) {
    try {
      await exportFile(opts.exportTable);
    } catch (e) {
      emit('error', { during: 'export', message: (e as Error).message });
      status = 1;
    }
  }

  /**
   * Starts an export of the page as the viewer's table settings show it (no filter, the
   * default order and the saved columns), follows it to DONE and downloads the file.
   */
  async function exportFile(table: 'calls' | 'disputes') {
    const started =
      table === 'calls'
        ? (await client.request(ExportCallsDocument, { input: {} })).exportCalls
        : (await client.request(ExportDisputesDocument, { input: {} })).exportDisputes;
    const summary = (e: ExportItemFragment) => ({
      id: e.id,
      status: e.status,
      rowsWritten: e.rowsWritten,
      totalRows: e.totalRows,
    });
    emit('exportStarted', { export: { ...summary(started), fileName: started.fileName } });
    // The export at once, then its progress; the subscription completes after DONE or FAILED.
    let done: ExportItemFragment | undefined;
    for await (const { exportProgress } of client.iterate(ExportProgressDocument, {
      id: started.id,
    })) {
      emit('exportProgress', { export: summary(exportProgress) });
      if (exportProgress.status === 'FAILED') throw new Error(`export: ${exportProgress.error}`);
      if (exportProgress.status === 'DONE') done = exportProgress;
    }
    if (!done?.url) throw new Error('the export ended without a file');
    // Signed for at most 15 minutes: downloaded at once (ExportDocument signs a fresh one).
    const res = await fetch(done.url);
    if (!res.ok) throw new Error(`the download answered HTTP ${res.status}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    // UTF-8 with a byte-order mark and CRLF line ends; the first line holds the columns' titles.
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    emit('exportDownloaded', {
      fileName: done.fileName,
      bytes: bytes.length,
      rows: done.totalRows,
      firstLine: text.slice(0, text.indexOf('\r\n')),
    });
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
  await client.dispose();
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
