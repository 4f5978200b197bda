import { Raw, type DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { loadViewers, type Viewer } from '../auth/viewer';
import { DisputeEntity } from '../disputes/dispute.entity';
import {
  audienceOf,
  audienceReach,
  audiencesOfDispute,
  isOwn,
  isRecipient,
  mayReceive,
  mayViewNotification,
  pendingDisputesSql,
  type AudienceKey,
} from '../auth/visibility';
import { positional } from '../platform/sql-conditions';
import { DomainError, ErrorCode } from '../platform/errors';
import { liveEventsSent } from '../platform/metrics';
import type { Context, Loaders } from '../platform/context';
import { NotificationEntity } from './notification.entity';
import {
  DISPUTE_EVENT_SPECS,
  eventOfLiveChange,
  notificationKindOf,
} from '../disputes/dispute-events';
import { settingsForSubscriber } from '../settings/table-settings.service';
import type { DisputeLiveEvent, LiveBus, LiveEvent, SettingsLiveEvent } from './live-events';
import { pendingCountsSql } from './notification.queries';

/** Topics routed by audience (what a dispute event reaches). */
type AudienceTopic = 'pendingDisputesCount' | 'notificationAdded' | 'disputeChanged';
/** Topics routed by user: rows a user owns, sent to that user alone. */
type OwnTopic = 'tableSettingsChanged';
type Topic = AudienceTopic | OwnTopic;

/** Subscribers of one audience: a buyer account's users, or the managers. */
type Audience = Record<AudienceTopic, Set<Sub>>;

/** One counter child per topic, bound once: counting a value sent is then a plain increment. */
const SENT: Record<Topic, { inc(): void }> = {
  pendingDisputesCount: liveEventsSent.labels('pendingDisputesCount'),
  notificationAdded: liveEventsSent.labels('notificationAdded'),
  disputeChanged: liveEventsSent.labels('disputeChanged'),
  tableSettingsChanged: liveEventsSent.labels('tableSettingsChanged'),
};

/** Audiences counted by one statement. */
const COUNTS_PER_STATEMENT = 200;

/** A subscriber that does not read its socket is cut off rather than buffered without end. */
const MAX_QUEUED = 1_000;

/**
 * One subscription operation: an async iterator fed by the hub. When graphql-ws pulls the
 * next value, the operation's context gets the viewer as it was checked for that value and
 * fresh loaders, so field resolvers of each event see current rows and permissions.
 */
class Sub implements AsyncIterableIterator<unknown> {
  /** The last pendingDisputesCount sent, so unchanged values are not repeated. */
  lastCount: number | undefined;
  private readonly queue: { value: unknown; viewer: Viewer; loaders?: Loaders }[] = [];
  private waiting: ((r: IteratorResult<unknown>) => void) | undefined;
  private failWaiting: ((err: unknown) => void) | undefined;
  private error: unknown;
  private done = false;

  constructor(
    readonly topic: Topic,
    readonly userId: string,
    /** The user as read for this operation; only the first counter value uses it. */
    readonly openedAs: Viewer,
    public audienceKey: AudienceKey,
    private readonly ctx: Context,
    private readonly newLoaders: () => Loaders,
    private readonly onEnd: (sub: Sub) => void,
  ) {}

  /** `loaders`: one set per event, shared by all its recipients (loaders are not viewer-scoped). */
  push(value: unknown, viewer: Viewer, loaders?: Loaders): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.clearWaiting();
      this.use(viewer, loaders);
      SENT[this.topic].inc();
      resolve({ value, done: false });
      return;
    }
    const last = this.queue[this.queue.length - 1];
    if (this.topic === 'pendingDisputesCount' && last) {
      last.value = value; // only the newest count matters
      last.viewer = viewer;
      last.loaders = loaders;
      return;
    }
    if (this.queue.length >= MAX_QUEUED) {
      this.fail(
        new DomainError(
          ErrorCode.INTERNAL_SERVER_ERROR,
          'This subscription fell too far behind and was ended; subscribe again.',
        ),
      );
      return;
    }
    this.queue.push({ value, viewer, loaders });
  }

  fail(err: unknown): void {
    if (this.done) return;
    this.finish();
    if (this.failWaiting) {
      const reject = this.failWaiting;
      this.clearWaiting();
      reject(err);
    } else {
      this.error = err;
    }
  }

  next(): Promise<IteratorResult<unknown>> {
    const item = this.queue.shift();
    if (item) {
      this.use(item.viewer, item.loaders);
      SENT[this.topic].inc();
      return Promise.resolve({ value: item.value, done: false });
    }
    if (this.error !== undefined) {
      const err = this.error;
      this.error = undefined;
      return Promise.reject(err);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  return(): Promise<IteratorResult<unknown>> {
    this.finish();
    this.queue.length = 0;
    const resolve = this.waiting;
    this.clearWaiting();
    resolve?.({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err?: unknown): Promise<IteratorResult<unknown>> {
    void this.return();
    return Promise.reject(err);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  get ended(): boolean {
    return this.done;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.onEnd(this);
  }

  private clearWaiting(): void {
    this.waiting = undefined;
    this.failWaiting = undefined;
  }

  private use(viewer: Viewer, loaders?: Loaders): void {
    this.ctx.viewer = viewer;
    // A count selects no fields that load anything.
    if (loaders) this.ctx.loaders = loaders;
    else if (this.topic !== 'pendingDisputesCount') this.ctx.loaders = this.newLoaders();
  }
}

/**
 * The process-wide router between the LiveBus and subscription operations. Subscriptions are
 * indexed by audience (a buyer account's id, or "managers"), or by user for what a user owns
 * (table settings), so an event reaches only the subscriptions it is addressed to, never a
 * scan of all. Per dispute event it loads, once: the addressed users (to re-check their
 * current role, account and permissions), the dispute, the notification rows of the
 * recipients and each audience's pending count.
 *
 * Events and first values run one at a time, in arrival order, so a subscriber never sees an
 * older count after a newer one.
 */
export class LiveHub {
  private readonly audiences = new Map<AudienceKey, Audience>();
  /** Subscriptions of the per-user topics, by user ID. */
  private readonly owners = new Map<string, Set<Sub>>();
  private chain: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;
  /** Counters waiting for their first value: one task, and one count per audience, for them all. */
  private firstCounts: Sub[] = [];

  constructor(
    private readonly ds: DataSource,
    readonly bus: LiveBus,
    private readonly log: Logger,
    /** Fresh per-request loaders, from the composition root (src/app/context.ts). */
    private readonly newLoaders: () => Loaders,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = this.bus.subscribe({
      event: (e) => this.enqueue('live event', () => this.deliver(e)),
      resync: () => this.enqueue('live resync', () => this.resync()),
    });
    await this.bus.start();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    for (const audience of this.audiences.values()) {
      for (const set of Object.values(audience) as Set<Sub>[])
        for (const sub of set) void sub.return();
    }
    for (const set of this.owners.values()) for (const sub of set) void sub.return();
    await this.bus.stop();
    await this.chain;
  }

  /** The viewer's pending count at once, then each new value. */
  pendingDisputesCount(ctx: Context): Promise<AsyncIterableIterator<unknown>> {
    return this.open('pendingDisputesCount', ctx, (sub) => {
      // The task runs after the chain's earlier work, so every counter that subscribes
      // meanwhile (a reconnect storm) joins this batch.
      if (!this.firstCounts.length) {
        setImmediate(() =>
          this.enqueue('first pendingDisputesCount', () => {
            const batch = this.firstCounts;
            this.firstCounts = [];
            return this.sendFirstCounts(batch);
          }),
        );
      }
      this.firstCounts.push(sub);
    });
  }

  /** Each notification addressed to the viewer, as it is created. */
  notificationAdded(ctx: Context): Promise<AsyncIterableIterator<unknown>> {
    return this.open('notificationAdded', ctx);
  }

  /** Each dispute the viewer may see, when it is created, decided or withdrawn. */
  disputeChanged(ctx: Context): Promise<AsyncIterableIterator<unknown>> {
    return this.open('disputeChanged', ctx);
  }

  /** The viewer's table settings, each time any of its sessions saves or resets them. */
  tableSettingsChanged(ctx: Context): Promise<AsyncIterableIterator<unknown>> {
    return this.open('tableSettingsChanged', ctx);
  }

  private async open(topic: Topic, ctx: Context, first?: (sub: Sub) => void): Promise<Sub> {
    // The transport builds each operation's context from the user as read for that operation
    // (not at connection time), so the viewer is current; every event re-checks it anyway.
    const viewer = ctx.viewer;
    if (!viewer) throw gone();
    // An idle subscription holds no loaders: each event hands its recipients one shared set.
    ctx.loaders = NO_LOADERS;
    const sub = new Sub(topic, viewer.id, viewer, audienceOf(viewer), ctx, this.newLoaders, (s) =>
      this.remove(s),
    );
    if (topic === 'tableSettingsChanged') {
      const own = this.owners.get(viewer.id) ?? new Set<Sub>();
      this.owners.set(viewer.id, own.add(sub));
    } else {
      this.audience(sub.audienceKey)[topic].add(sub);
    }
    first?.(sub);
    return sub;
  }

  /** The first value of many counters: one count query per audience among them. */
  private async sendFirstCounts(batch: Sub[]): Promise<void> {
    const subs = batch.filter((s) => !s.ended);
    const keys = new Set(
      subs.filter((s) => mayReceive(s.openedAs, s.audienceKey)).map((s) => s.audienceKey),
    );
    const counts = await this.pendingCounts([...keys]);
    for (const sub of subs) {
      sub.lastCount = mayReceive(sub.openedAs, sub.audienceKey)
        ? (counts.get(sub.audienceKey) ?? 0)
        : 0;
      sub.push(sub.lastCount, sub.openedAs);
    }
  }

  private audience(key: AudienceKey): Audience {
    let a = this.audiences.get(key);
    if (!a) {
      a = {
        pendingDisputesCount: new Set(),
        notificationAdded: new Set(),
        disputeChanged: new Set(),
      };
      this.audiences.set(key, a);
    }
    return a;
  }

  private remove(sub: Sub): void {
    if (sub.topic === 'tableSettingsChanged') {
      const own = this.owners.get(sub.userId);
      own?.delete(sub);
      if (own && !own.size) this.owners.delete(sub.userId);
      return;
    }
    const a = this.audiences.get(sub.audienceKey);
    if (!a) return;
    a[sub.topic].delete(sub);
    if (!a.pendingDisputesCount.size && !a.notificationAdded.size && !a.disputeChanged.size) {
      this.audiences.delete(sub.audienceKey);
    }
  }

  /** A user whose role or account changed belongs to another audience from now on. */
  private move(sub: Sub & { topic: AudienceTopic }, key: AudienceKey): void {
    this.remove(sub);
    sub.audienceKey = key;
    this.audience(key)[sub.topic].add(sub);
  }

  private enqueue(what: string, task: () => Promise<void>): void {
    this.chain = this.chain
      .then(task)
      .catch((err: unknown) => this.log.error({ err }, `${what} failed`));
  }

  /**
   * Each audience's pending count, many audiences to a statement (a reconnect storm opens
   * counters of every account at once): one `COUNT` per audience, joined by UNION ALL.
   */
  private async pendingCounts(keys: readonly AudienceKey[]): Promise<Map<AudienceKey, number>> {
    const counts = new Map<AudienceKey, number>();
    for (let start = 0; start < keys.length; start += COUNTS_PER_STATEMENT) {
      const chunk = keys.slice(start, start + COUNTS_PER_STATEMENT);
      const params: unknown[] = [];
      const bind = positional(params);
      const sql = pendingCountsSql(
        chunk.map((key) => pendingDisputesSql(audienceReach(key), 'd', bind)),
      );
      const rows = (await this.ds.query(sql, params)) as { i: number; n: number }[];
      for (const row of rows) counts.set(chunk[row.i]!, row.n);
    }
    return counts;
  }

  /**
   * Sorts the subscriptions an event can reach into those that may receive it now. Removes
   * subscribers whose user is gone and re-files those whose audience changed.
   */
  private async recheck(
    keys: AudienceKey[],
    topics: AudienceTopic[],
  ): Promise<Map<AudienceKey, { sub: Sub; viewer: Viewer; allowed: boolean }[]>> {
    const reached = new Map<AudienceKey, (Sub & { topic: AudienceTopic })[]>();
    for (const key of keys) {
      const a = this.audiences.get(key);
      if (!a) continue;
      const subs = topics.flatMap((t) => [...a[t]] as (Sub & { topic: AudienceTopic })[]);
      if (subs.length) reached.set(key, subs);
    }
    const out = new Map<AudienceKey, { sub: Sub; viewer: Viewer; allowed: boolean }[]>();
    if (!reached.size) return out;
    const userIds = [...new Set([...reached.values()].flat().map((s) => s.userId))];
    const viewers = await loadViewers(this.ds, userIds);
    for (const [key, subs] of reached) {
      const checked: { sub: Sub; viewer: Viewer; allowed: boolean }[] = [];
      for (const sub of subs) {
        if (sub.ended) continue;
        const viewer = viewers.get(sub.userId);
        if (!viewer) {
          sub.fail(gone());
          continue;
        }
        const now = audienceOf(viewer);
        if (now !== key) {
          this.move(sub, now);
          continue;
        }
        checked.push({ sub, viewer, allowed: mayReceive(viewer, key) });
      }
      out.set(key, checked);
    }
    return out;
  }

  private async deliver(event: LiveEvent): Promise<void> {
    if (event.kind === 'settings') return this.deliverSettings(event);
    return this.deliverDispute(event);
  }

  /**
   * A user's table settings changed: to that user's subscriptions only, with the settings
   * read again for the user as it is now (its own row, by visibility.ts's rule), and nothing
   * while it may no longer use the table.
   */
  private async deliverSettings(event: SettingsLiveEvent): Promise<void> {
    const subs = [...(this.owners.get(event.userId) ?? [])].filter((s) => !s.ended);
    if (!subs.length) return;
    const viewer = (await loadViewers(this.ds, [event.userId])).get(event.userId);
    if (!viewer) {
      for (const sub of subs) sub.fail(gone());
      return;
    }
    const settings = await settingsForSubscriber(this.ds, viewer, event.table);
    if (!settings) return;
    const loaders = this.newLoaders();
    for (const sub of subs) if (isOwn(viewer, sub.userId)) sub.push(settings, viewer, loaders);
  }

  private async deliverDispute(event: DisputeLiveEvent): Promise<void> {
    const name = eventOfLiveChange(event.change);
    if (!name) return; // decodeLiveEvent lets only the changes of known events through
    const kind = notificationKindOf(name);
    // A comment changes neither the dispute nor a count: only its notifications go out.
    const comment = event.change === 'commented' ? event.comment : undefined;
    if (event.change === 'commented' && !comment) return;
    const checked = await this.recheck(
      audiencesOfDispute(event.buyerId),
      comment
        ? ['notificationAdded']
        : ['pendingDisputesCount', 'notificationAdded', 'disputeChanged'],
    );
    if (!checked.size) return;
    const all = [...checked.entries()].flatMap(([key, list]) => list.map((c) => ({ ...c, key })));

    const changed = all.filter((c) => c.allowed && c.sub.topic === 'disputeChanged');
    // The recipients the notification service wrote rows for (the same rule, in SQL).
    const notified = all.filter(
      (c) =>
        c.allowed &&
        c.sub.topic === 'notificationAdded' &&
        isRecipient(
          DISPUTE_EVENT_SPECS[name].recipients,
          c.viewer,
          event.buyerId,
          comment?.authorRole,
        ),
    );
    // Each audience's count is read alongside the rows rather than after them.
    const counted = [...checked]
      .filter(([, list]) => list.some((c) => c.allowed && c.sub.topic === 'pendingDisputesCount'))
      .map(([key]) => key);
    const [countValues, dispute, notifications] = await Promise.all([
      this.pendingCounts(counted),
      changed.length || notified.length
        ? this.ds.getRepository(DisputeEntity).findOneBy({ id: event.disputeId })
        : null,
      notified.length
        ? this.ds.getRepository(NotificationEntity).find({
            where: {
              disputeId: event.disputeId,
              kind,
              // Only this event's, not those of the dispute's earlier events of the kind.
              ...(event.eventId ? { eventId: event.eventId } : {}),
              ...(comment ? { commentId: comment.id } : {}),
              userId: Raw((column) => `${column} = ANY(CAST(:userIds AS uuid[]))`, {
                userIds: [...new Set(notified.map((c) => c.sub.userId))],
              }),
            },
            order: { createdAt: 'ASC', id: 'ASC' },
          })
        : [],
    ]);

    for (const [key, list] of checked) {
      const counting = list.filter((c) => c.sub.topic === 'pendingDisputesCount');
      if (counting.length) {
        const count = countValues.get(key) ?? 0;
        for (const c of counting) sendCount(c.sub, c.allowed ? count : 0, c.viewer, false);
      }
    }
    // The row, not the payload, says whose dispute it is: a buyer never gets another account's.
    if (!dispute || dispute.buyerId !== event.buyerId) return;
    const loaders = this.newLoaders();
    for (const c of changed) c.sub.push(dispute, c.viewer, loaders);
    const byUser = new Map<string, NotificationEntity[]>();
    for (const n of notifications) byUser.set(n.userId, [...(byUser.get(n.userId) ?? []), n]);
    for (const c of notified) {
      for (const n of byUser.get(c.sub.userId) ?? []) {
        if (mayViewNotification(c.viewer, { userId: n.userId, disputeBuyerId: dispute.buyerId }))
          c.sub.push(n, c.viewer, loaders);
      }
    }
  }

  /** After the bus reconnects: events may have been missed, so every counter gets its value again. */
  private async resync(): Promise<void> {
    const keys = [...this.audiences.keys()];
    const checked = await this.recheck(keys, ['pendingDisputesCount']);
    const counts = await this.pendingCounts(
      [...checked].filter(([, list]) => list.some((c) => c.allowed)).map(([key]) => key),
    );
    for (const [key, list] of checked) {
      const count = counts.get(key) ?? 0;
      for (const c of list) sendCount(c.sub, c.allowed ? count : 0, c.viewer, true);
    }
  }
}

/**
 * What an idle subscription's context holds instead of loaders: nothing reads them before the
 * hub hands the operation an event's set (Sub.use), and a counter's value loads nothing.
 */
const NO_LOADERS = Object.freeze({}) as Loaders;

function sendCount(sub: Sub, value: number, viewer: Viewer, force: boolean): void {
  if (!force && sub.lastCount === value) return;
  sub.lastCount = value;
  sub.push(value, viewer);
}

const gone = () =>
  new DomainError(ErrorCode.UNAUTHENTICATED, 'The signed-in user no longer exists.');

declare module '../platform/context' {
  interface App {
    /** Live events: routes committed changes from every instance to this process's subscriptions. */
    live: LiveHub;
  }
}
