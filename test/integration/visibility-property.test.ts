import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  closeDb,
  db,
  insertAccount,
  insertCall,
  insertCampaign,
  insertUser,
} from '../support/seed';
import { toViewer, type Viewer } from '../../src/auth/viewer';
import { PERMISSIONS, type Role } from '../../src/accounts/permissions';
import type { UserEntity } from '../../src/accounts/user.entity';
import { DISPUTE_STATUSES } from '../../src/disputes/dispute.entity';
import { DISPUTE_EVENT_NAMES, DISPUTE_EVENT_SPECS } from '../../src/disputes/dispute-events';
import { NOTIFICATION_KINDS } from '../../src/notifications/notification.entity';
import {
  audienceOf,
  audienceReach,
  audiencesOfDispute,
  countsAsPending,
  countsAsUnread,
  isRecipient,
  mayReceive,
  mayView,
  mayViewNotification,
  isOwn,
  ownRowsSql,
  narrowTo,
  notificationScopeSql,
  pendingDisputesSql,
  reachOf,
  reachSql,
  recipientsSql,
  unreadNotificationsSql,
  type Audience,
  type Subject,
} from '../../src/auth/visibility';
import { positional, type Bind } from '../../src/platform/sql-conditions';

/**
 * auth/visibility.ts gives every rule of who-sees-what in SQL and in TypeScript; this holds the
 * two equal on generated users (any role, account and stored permissions, valid or not) and
 * rows. Each run inserts its own accounts, users, calls, disputes and notifications and reads
 * only those back, so nothing else in the shared database is touched or seen.
 */

afterAll(closeDb);

const userArb = fc.record({
  role: fc.constantFrom<Role>('BUYER', 'MANAGER'),
  account: fc.nat(),
  permissions: fc.subarray([...PERMISSIONS]),
});

const scenarioArb = fc.record({
  /** The last account holds no rows: its buyers see nothing of the others. */
  accounts: fc.integer({ min: 2, max: 3 }),
  users: fc.array(userArb, { minLength: 1, maxLength: 6 }),
  disputes: fc.array(
    fc.record({ account: fc.nat(), status: fc.constantFrom(...DISPUTE_STATUSES) }),
    { maxLength: 6 },
  ),
  notifications: fc.array(
    fc.record({
      user: fc.nat(),
      dispute: fc.nat(),
      // A DISPUTE_COMMENTED row names its comment; the scope reads no kind, so it is left out.
      kind: fc.constantFrom(...NOTIFICATION_KINDS.filter((k) => k !== 'DISPUTE_COMMENTED')),
      read: fc.boolean(),
    }),
    { maxLength: 10 },
  ),
  /** A manager's `filter.buyerId`: none, or an index into the accounts. */
  filterAccount: fc.option(fc.nat(), { nil: null }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

interface World {
  accountIds: string[];
  users: { row: Pick<UserEntity, 'id' | 'name' | 'role' | 'accountId' | 'permissions'> }[];
  calls: { id: string; buyerId: string }[];
  disputes: { id: string; buyerId: string; status: string }[];
  notifications: { id: string; userId: string; disputeBuyerId: string; readAt: Date | null }[];
}

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

async function insertWorld(s: Scenario): Promise<World> {
  const accountIds: string[] = [];
  for (let i = 0; i < s.accounts; i++) accountIds.push(await insertAccount());
  const withRows = accountIds.slice(0, -1);
  const campaign = await insertCampaign();
  const w: World = { accountIds, users: [], calls: [], disputes: [], notifications: [] };
  for (const u of s.users) {
    const accountId = u.role === 'BUYER' ? pick(accountIds, u.account) : null;
    const id = await insertUser({ role: u.role, accountId, permissions: u.permissions });
    w.users.push({
      row: { id, name: 'x', role: u.role, accountId, permissions: [...u.permissions] },
    });
  }
  const creator = await insertUser({ role: 'BUYER', accountId: withRows[0]! });
  for (const d of s.disputes) {
    const buyerId = pick(withRows, d.account);
    const callId = await insertCall({ buyerId, campaignId: campaign });
    w.calls.push({ id: callId, buyerId });
    const id = randomUUID();
    // WITHDRAWN has no decision, and records who withdrew it.
    const withdrawn = d.status === 'WITHDRAWN';
    const decided = d.status !== 'PENDING' && !withdrawn;
    await db().query(
      `INSERT INTO disputes (id, call_id, buyer_id, status, reason, call_started_at, created_by,
         decided_at, decided_by, adjustment_minor, review_due_at, withdrawn_at, withdrawn_by)
       SELECT $1, c.id, c.buyer_id, $3, 'OTHER', c.started_at, $4, $5, $6, $7,
         clock_timestamp() + interval '48 hours', $8, $9 FROM calls c WHERE c.id = $2`,
      [
        id,
        callId,
        d.status,
        creator,
        decided ? new Date() : null,
        decided ? creator : null,
        decided ? 0 : null,
        withdrawn ? new Date() : null,
        withdrawn ? creator : null,
      ],
    );
    w.disputes.push({ id, buyerId, status: d.status });
  }
  // A call without a dispute, so call visibility is not only seen through disputes.
  const lone = pick(withRows, s.disputes.length);
  w.calls.push({ id: await insertCall({ buyerId: lone, campaignId: campaign }), buyerId: lone });
  if (w.disputes.length) {
    for (const n of s.notifications) {
      const user = pick(w.users, n.user).row;
      const dispute = pick(w.disputes, n.dispute);
      const id = randomUUID();
      const readAt = n.read ? new Date() : null;
      await db().query(
        `INSERT INTO notifications (id, user_id, kind, dispute_id, message, read_at)
         VALUES ($1, $2, $3, $4, 'generated', $5)`,
        [id, user.id, n.kind, dispute.id, readAt],
      );
      w.notifications.push({ id, userId: user.id, disputeBuyerId: dispute.buyerId, readAt });
    }
  }
  return w;
}

/** Ids of the run's rows of `table` (alias `t`) that match `where`, sorted. */
async function idsWhere(
  table: string,
  ids: string[],
  where: (bind: Bind) => string,
): Promise<string[]> {
  const params: unknown[] = [ids];
  const sql = where(positional(params));
  const res = await db().query<{ id: string }>(
    `SELECT t.id FROM ${table} t WHERE t.id = ANY ($1::uuid[]) AND ${sql}`,
    params,
  );
  return res.rows.map((r) => r.id).sort();
}

const sorted = (ids: string[]) => [...ids].sort();

it('the SQL scopes, counters and recipients equal their predicates on generated users and rows', async () => {
  let checked = 0;
  let visibleSeen = 0;
  let recipientsSeen = 0;
  await fc.assert(
    fc.asyncProperty(scenarioArb, async (s) => {
      const w = await insertWorld(s);
      const disputeIds = w.disputes.map((d) => d.id);
      const notificationIds = w.notifications.map((n) => n.id);
      const userIds = w.users.map((u) => u.row.id);
      const filter = s.filterAccount === null ? null : pick(w.accountIds, s.filterAccount);

      for (const { row } of w.users) {
        const viewer: Viewer = toViewer(row as UserEntity);

        // Calls, recordings, disputes and evidence: by the row's buyer account.
        const subjects: [Subject, string, { id: string; buyerId: string }[]][] = [
          ['call', 'calls', w.calls],
          ['recording', 'calls', w.calls],
          ['dispute', 'disputes', w.disputes],
          ['evidence', 'disputes', w.disputes],
        ];
        for (const [subject, table, rows] of subjects) {
          const ids = rows.map((r) => r.id);
          const reach = reachOf(viewer, subject);
          expect(await idsWhere(table, ids, (b) => reachSql(reach, 't.buyer_id', b))).toEqual(
            sorted(rows.filter((r) => mayView(viewer, subject, r.buyerId)).map((r) => r.id)),
          );
          const narrowed = narrowTo(reach, filter);
          expect(await idsWhere(table, ids, (b) => reachSql(narrowed, 't.buyer_id', b))).toEqual(
            sorted(
              rows
                .filter((r) => mayView(viewer, subject, r.buyerId))
                .filter((r) => !filter || viewer.role === 'BUYER' || r.buyerId === filter)
                .map((r) => r.id),
            ),
          );
        }
        visibleSeen += w.disputes.filter((d) => mayView(viewer, 'dispute', d.buyerId)).length;

        // pendingDisputesCount: the query's count, and the count its live audience is sent.
        const reach = reachOf(viewer, 'dispute');
        const pending = sorted(
          w.disputes.filter((d) => countsAsPending(reach, d)).map((d) => d.id),
        );
        expect(
          await idsWhere('disputes', disputeIds, (b) => pendingDisputesSql(reach, 't', b)),
        ).toEqual(pending);
        const audience = audienceOf(viewer);
        const live = mayReceive(viewer, audience)
          ? await idsWhere('disputes', disputeIds, (b) =>
              pendingDisputesSql(audienceReach(audience), 't', b),
            )
          : [];
        expect(live).toEqual(pending);

        // Rows a user owns (over notifications' user_id): the viewer's own, whatever its role.
        expect(
          await idsWhere('notifications', notificationIds, (b) =>
            ownRowsSql(viewer, 't.user_id', b),
          ),
        ).toEqual(sorted(w.notifications.filter((n) => isOwn(viewer, n.userId)).map((n) => n.id)));

        // Notifications and unreadNotificationsCount.
        expect(
          await idsWhere('notifications', notificationIds, (b) =>
            notificationScopeSql(viewer, 't', b),
          ),
        ).toEqual(
          sorted(w.notifications.filter((n) => mayViewNotification(viewer, n)).map((n) => n.id)),
        );
        expect(
          await idsWhere('notifications', notificationIds, (b) =>
            unreadNotificationsSql(viewer, 't', b),
          ),
        ).toEqual(
          sorted(w.notifications.filter((n) => countsAsUnread(viewer, n)).map((n) => n.id)),
        );

        // Live audiences: an event about a dispute reaches exactly those who may see it.
        for (const d of w.disputes) {
          const receives =
            audiencesOfDispute(d.buyerId).includes(audience) && mayReceive(viewer, audience);
          expect(receives).toBe(mayView(viewer, 'dispute', d.buyerId));
        }
        checked++;
      }

      // Rule 8: the users the notification service writes rows for are those the hub sends to.
      for (const d of w.disputes) {
        // Each event's audience; a comment's notification goes to the other side than its
        // author's: each author role.
        const cases = DISPUTE_EVENT_NAMES.flatMap<{
          audience: Audience;
          authorRole: 'BUYER' | 'MANAGER' | undefined;
        }>((event) => {
          const audience = DISPUTE_EVENT_SPECS[event].recipients;
          return audience === 'other side'
            ? (['BUYER', 'MANAGER'] as const).map((authorRole) => ({ audience, authorRole }))
            : [{ audience, authorRole: undefined }];
        });
        for (const { audience: kind, authorRole } of cases) {
          const expected = sorted(
            w.users
              .filter((u) =>
                isRecipient(kind, toViewer(u.row as UserEntity), d.buyerId, authorRole),
              )
              .map((u) => u.row.id),
          );
          expect(
            await idsWhere('users', userIds, (b) =>
              recipientsSql(kind, 't', d.buyerId, b, authorRole),
            ),
          ).toEqual(expected);
          recipientsSeen += expected.length;
          // A recipient may always see the dispute its notification is about.
          for (const id of expected) {
            const u = toViewer(w.users.find((x) => x.row.id === id)!.row as UserEntity);
            expect(mayView(u, 'dispute', d.buyerId)).toBe(true);
          }
        }
      }
    }),
    { numRuns: 60 },
  );
  expect(checked).toBeGreaterThanOrEqual(60);
  // The generator reaches both sides of the rules.
  expect(visibleSeen).toBeGreaterThan(0);
  expect(recipientsSeen).toBeGreaterThan(0);
});
