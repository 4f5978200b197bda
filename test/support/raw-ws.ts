import type { Socket } from 'node:net';
import WebSocket from 'ws';

export interface WsMessage {
  id?: string;
  type: string;
  payload?: unknown;
}

/**
 * A graphql-transport-ws connection spoken by hand, for tests that need what a client library
 * hides: close codes, the socket itself (to stop reading or to drop it), every message.
 */
export class RawWs {
  readonly messages: WsMessage[] = [];
  /** Resolves with the close code and reason once the connection has ended. */
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];
  private nextId = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as WsMessage);
      this.wake();
    });
    ws.on('error', () => undefined); // a dropped connection shows as `closed`
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        resolve({ code, reason: String(reason) });
        this.wake();
      }),
    );
  }

  /** Opens, sends connection_init and waits for the ack; rejects with the close code if refused. */
  static async open(url: string, authorization: string | null): Promise<RawWs> {
    const client = new RawWs(new WebSocket(url, 'graphql-transport-ws'));
    await new Promise<void>((resolve, reject) => {
      client.ws.once('open', resolve);
      client.ws.once('close', (code) =>
        reject(Object.assign(new Error(`closed ${code}`), { code })),
      );
    });
    client.ws.send(
      JSON.stringify({
        type: 'connection_init',
        payload: authorization === null ? {} : { authorization },
      }),
    );
    const acked = client.waitFor(
      (m) => m.some((x) => x.type === 'connection_ack'),
      10_000,
      'connection_ack',
    );
    const refused = client.closed.then(({ code, reason }) => {
      throw Object.assign(new Error(`refused with ${code}: ${reason}`), { code, reason });
    });
    await Promise.race([acked, refused]);
    refused.catch(() => undefined);
    return client;
  }

  /** Sends a subscribe message; returns its id. */
  subscribe(query: string, variables?: Record<string, unknown>): string {
    const id = String(++this.nextId);
    this.ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
    return id;
  }

  /** Messages of one operation (next and error). */
  of(id: string): WsMessage[] {
    return this.messages.filter((m) => m.id === id);
  }

  /** Waits until `predicate` holds over the messages; throws if the connection ends first. */
  async waitFor(
    predicate: (messages: WsMessage[]) => boolean,
    timeoutMs = 5_000,
    what = 'the expected messages',
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let ended = false;
    void this.closed.then(() => (ended = true));
    while (!predicate(this.messages)) {
      const left = deadline - Date.now();
      if (ended || left <= 0) {
        const last = JSON.stringify(this.messages.slice(-3));
        throw new Error(
          `${ended ? 'closed' : 'timed out'} before ${what} (${this.messages.length} messages); last: ${last}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The TCP socket under the WebSocket (stop reading with `.pause()`, drop with `.destroy()`). */
  get socket(): Socket {
    return (this.ws as unknown as { _socket: Socket })._socket;
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
