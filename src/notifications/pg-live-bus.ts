import { Client, type Notification } from 'pg';
import type { Logger } from 'pino';
import { decodeLiveEvent, LIVE_CHANNEL, type LiveBus, type LiveListener } from './live-events';

/** How the listener connection shows in pg_stat_activity: `disputes-api-listener pid=<process id>`. */
export const LISTENER_APPLICATION_NAME = 'disputes-api-listener';

const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;
const HEARTBEAT_MS = 15_000;

/**
 * LiveBus over PostgreSQL LISTEN/NOTIFY. Each process holds one dedicated connection (outside
 * the pool: a pooled connection would be handed to other work and lose its LISTEN) and
 * re-establishes it with exponential backoff whenever it drops. After a reconnect the
 * listeners are told to resync, since NOTIFYs sent while nobody listened are gone.
 */
export class PgLiveBus implements LiveBus {
  private client: Client | null = null;
  private readonly listeners = new Set<LiveListener>();
  private stopped = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: { url: string; log: Logger; applicationName?: string }) {}

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once this process listens, so an instance reports ready only when it will hear events. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), HEARTBEAT_MS);
    this.heartbeatTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeatTimer);
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }

  /** True while the LISTEN connection is up. */
  get listening(): boolean {
    return this.client !== null;
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.opts.url,
      application_name:
        this.opts.applicationName ?? `${LISTENER_APPLICATION_NAME} pid=${process.pid}`,
      keepAlive: true,
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    client.on('notification', (msg) => this.dispatch(msg));
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  private dispatch(msg: Notification): void {
    if (msg.channel !== LIVE_CHANNEL) return;
    const event = decodeLiveEvent(msg.payload);
    if (!event) {
      this.opts.log.warn({ payload: msg.payload?.slice(0, 200) }, 'ignored an unknown live event');
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener.event(event);
      } catch (err) {
        this.opts.log.error({ err }, 'live listener failed');
      }
    }
  }

  /** The connection is gone (terminated, network, server restart): start reconnecting. */
  private lost(client: Client, err?: Error): void {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    if (this.stopped) return;
    this.opts.log.warn({ err }, 'live event listener lost its connection; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.attempt);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => {
      this.connect().then(
        () => {
          if (this.stopped) return;
          this.opts.log.info({ attempts: this.attempt }, 'live event listener reconnected');
          this.attempt = 0;
          for (const listener of this.listeners) {
            try {
              listener.resync();
            } catch (e) {
              this.opts.log.error({ err: e }, 'live listener resync failed');
            }
          }
        },
        (e: unknown) => {
          if (this.stopped) return;
          this.opts.log.warn(
            { err: e, attempt: this.attempt },
            'live event listener could not reconnect yet',
          );
          this.scheduleReconnect();
        },
      );
    }, delay);
    this.reconnectTimer.unref();
  }

  /** A connection can die without a word (a dropped network path); ask now and then. */
  private async heartbeat(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('listener heartbeat timed out')), 5_000).unref(),
    );
    try {
      await Promise.race([client.query('SELECT 1'), timeout]);
    } catch (err) {
      this.lost(client, err as Error);
    }
  }
}
