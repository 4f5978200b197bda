import { Client, type Notification } from 'pg';
import type { Logger } from 'pino';

/** How the listener connection shows in pg_stat_activity: `disputes-api-listener pid=<process id>`. */
export const LISTENER_APPLICATION_NAME = 'disputes-api-listener';

const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;
const HEARTBEAT_MS = 15_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;

/** A channel name as LISTEN takes it unquoted; NOTIFY senders spell it the same way. */
const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

export interface ChannelListener {
  /** A NOTIFY on the channel, delivered when its transaction committed, from any instance. */
  notification(payload: string): void;
  /** The connection was lost and is back: notifications sent in between are gone. */
  resync(): void;
}

/**
 * The process's one LISTEN connection. Every feature that waits for a NOTIFY (live events, the
 * job facility's queues) adds its channel here, so a process holds one connection outside its
 * pool (a pooled connection would be handed to other work and lose its LISTEN) and one
 * reconnect policy: exponential backoff with jitter, 100 ms up to 5 s, whenever the connection
 * drops (terminated, network, server restart), and a heartbeat query for connections that die
 * without a word. After a reconnect every listener is told to resync, since notifications sent
 * while nobody listened are gone.
 */
export class PgListener {
  private client: Client | null = null;
  /** Channels the current connection LISTENs on. */
  private listened = new Set<string>();
  private connecting: Promise<void> | null = null;
  /** The end of the current connection's statements: they run one at a time. */
  private serial: Promise<unknown> = Promise.resolve();
  private readonly channels = new Map<string, Set<ChannelListener>>();
  private stopped = true;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: { url: string; log: Logger; applicationName?: string }) {}

  /** True while the LISTEN connection is up. */
  get listening(): boolean {
    return this.client !== null;
  }

  /**
   * Resolves once the connection listens on every channel added so far, so an instance reports
   * ready only when it will hear events. Fails when the first connection cannot be made.
   */
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
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }

  /**
   * Adds a listener on `channel`. Resolves once the connection listens on it (at once while it
   * is down: the reconnect listens on every channel, and resyncs). Returns the removal.
   */
  async listen(channel: string, listener: ChannelListener): Promise<() => void> {
    if (!CHANNEL.test(channel)) throw new Error(`Not a channel name: ${channel}`);
    let set = this.channels.get(channel);
    if (!set) {
      set = new Set();
      this.channels.set(channel, set);
    }
    set.add(listener);
    await this.listenOn(channel);
    return () => {
      const current = this.channels.get(channel);
      if (!current?.delete(listener) || current.size > 0) return;
      this.channels.delete(channel);
      const client = this.client;
      if (client && this.listened.delete(channel)) {
        this.query(client, `UNLISTEN ${channel}`).catch(() => undefined);
      }
    };
  }

  private async listenOn(channel: string): Promise<void> {
    // A connection being made listens on the channels it found when it began.
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    if (!client || this.listened.has(channel)) return;
    this.listened.add(channel);
    try {
      await this.query(client, `LISTEN ${channel}`);
    } catch (err) {
      this.lost(client, err as Error);
    }
  }

  /** pg deprecates a statement sent while another runs on the same client: they queue here. */
  private query(client: Client, sql: string): Promise<unknown> {
    const run = this.serial.then(() => client.query(sql));
    this.serial = run.catch(() => undefined);
    return run;
  }

  private connect(): Promise<void> {
    const attempt = this.open();
    this.connecting = attempt;
    return attempt.finally(() => {
      if (this.connecting === attempt) this.connecting = null;
    });
  }

  private async open(): Promise<void> {
    const client = new Client({
      connectionString: this.opts.url,
      application_name:
        this.opts.applicationName ?? `${LISTENER_APPLICATION_NAME} pid=${process.pid}`,
      keepAlive: true,
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    client.on('notification', (msg) => this.dispatch(msg));
    const channels = [...this.channels.keys()];
    try {
      await client.connect();
      if (channels.length) await client.query(channels.map((c) => `LISTEN ${c};`).join(' '));
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.stopped) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.serial = Promise.resolve();
    this.listened = new Set(channels);
  }

  private dispatch(msg: Notification): void {
    for (const listener of this.channels.get(msg.channel) ?? []) {
      try {
        listener.notification(msg.payload ?? '');
      } catch (err) {
        this.opts.log.error({ err, channel: msg.channel }, 'notification listener failed');
      }
    }
  }

  /** The connection is gone: start reconnecting. */
  private lost(client: Client, err?: Error): void {
    if (this.client !== client) return;
    this.client = null;
    this.listened = new Set();
    client.end().catch(() => undefined);
    if (this.stopped) return;
    this.opts.log.warn({ err }, 'the LISTEN connection was lost; reconnecting');
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
          this.opts.log.info({ attempts: this.attempt }, 'the LISTEN connection is back');
          this.attempt = 0;
          this.resyncAll();
        },
        (err: unknown) => {
          if (this.stopped) return;
          this.opts.log.warn(
            { err, attempt: this.attempt },
            'the LISTEN connection could not be made yet',
          );
          this.scheduleReconnect();
        },
      );
    }, delay);
    this.reconnectTimer.unref();
  }

  private resyncAll(): void {
    for (const [channel, listeners] of this.channels) {
      for (const listener of listeners) {
        try {
          listener.resync();
        } catch (err) {
          this.opts.log.error({ err, channel }, 'notification listener resync failed');
        }
      }
    }
  }

  /** A connection can die without a word (a dropped network path); ask now and then. */
  private async heartbeat(): Promise<void> {
    const client = this.client;
    if (!client) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('LISTEN connection heartbeat timed out')),
        HEARTBEAT_TIMEOUT_MS,
      );
      timer.unref();
    });
    try {
      await Promise.race([this.query(client, 'SELECT 1'), timeout]);
    } catch (err) {
      this.lost(client, err as Error);
    } finally {
      clearTimeout(timer);
    }
  }
}
