import type { Logger } from 'pino';
import type { PgListener } from '../platform/pg-listener';
import { decodeLiveEvent, LIVE_CHANNEL, type LiveBus, type LiveListener } from './live-events';

/**
 * LiveBus over PostgreSQL LISTEN/NOTIFY, on the process's one LISTEN connection
 * (platform/pg-listener.ts), which reconnects on its own; after a reconnect the listeners are
 * told to resync, since NOTIFYs sent while nobody listened are gone.
 */
export class PgLiveBus implements LiveBus {
  private readonly listeners = new Set<LiveListener>();
  private unlisten: (() => void) | undefined;

  constructor(private readonly opts: { listener: PgListener; log: Logger }) {}

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once this process listens, so an instance reports ready only when it will hear events. */
  async start(): Promise<void> {
    this.unlisten = await this.opts.listener.listen(LIVE_CHANNEL, {
      notification: (payload) => this.dispatch(payload),
      resync: () => this.resync(),
    });
  }

  /** Stops hearing events; the connection is the process's, closed by whoever started it. */
  async stop(): Promise<void> {
    this.unlisten?.();
    this.unlisten = undefined;
  }

  /** True while the LISTEN connection is up. */
  get listening(): boolean {
    return this.unlisten !== undefined && this.opts.listener.listening;
  }

  private dispatch(payload: string): void {
    const event = decodeLiveEvent(payload);
    if (!event) {
      this.opts.log.warn({ payload: payload.slice(0, 200) }, 'ignored an unknown live event');
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

  private resync(): void {
    for (const listener of this.listeners) {
      try {
        listener.resync();
      } catch (err) {
        this.opts.log.error({ err }, 'live listener resync failed');
      }
    }
  }
}
