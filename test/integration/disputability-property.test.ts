import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { CallPageDocument } from '../generated/graphql';
import { Client } from '../support/client';
import {
  closeDb,
  db,
  HOUR,
  insertAccount,
  insertCampaign,
  insertCall,
  insertUser,
} from '../support/seed';
import {
  disputabilityFacts,
  disputabilitySql,
  disputabilitySqlFacts,
  evaluateDisputability,
  type DisputabilitySources,
} from '../../src/disputes/dispute-rules';
import { CALL_STATUSES, type CallStatus } from '../../src/calls/call.entity';
import { DISPUTE_STATUSES, type DisputeStatus } from '../../src/disputes/dispute.entity';
import type { Permission } from '../../src/accounts/permissions';

/**
 * The `disputable` filter (SQL) and evaluateDisputability (TypeScript) are read off one table
 * of blocks; this holds them equal on generated rows. Every run inserts its own accounts,
 * campaigns, calls and disputes, so nothing else in the shared database is touched or seen.
 */

afterAll(closeDb);

const MINUTE = 60_000;

/** Window lengths around which the generated calls start. */
const hours = fc.integer({ min: 1, max: 240 });

const callArb = fc.record({
  account: fc.nat(),
  /** -1: a campaign without its own window; otherwise an index into the run's campaigns. */
  campaign: fc.integer({ min: -1, max: 3 }),
  status: fc.constantFrom(...CALL_STATUSES),
  /** Minutes from the end of the call's window to the clock (negative: still open). */
  fromWindowEnd: fc.oneof(
    fc.integer({ min: -3, max: 3 }),
    fc.integer({ min: -24 * 60 * 12, max: 24 * 60 * 12 }),
  ),
  disputes: fc.array(fc.constantFrom(...DISPUTE_STATUSES), { maxLength: 5 }),
});

const scenarioArb = fc.record({
  accountWindows: fc.array(hours, { minLength: 1, maxLength: 2 }),
  campaignWindows: fc.array(fc.option(hours, { nil: null }), { minLength: 1, maxLength: 4 }),
  calls: fc.array(callArb, { minLength: 1, maxLength: 8 }),
  viewer: fc.record({
    role: fc.constantFrom('BUYER', 'MANAGER') as fc.Arbitrary<'BUYER' | 'MANAGER'>,
    /** An index into the run's accounts, or one past them: another account altogether. */
    account: fc.nat(),
    permissions: fc.subarray(['DISPUTE_CALLS', 'VIEW_DISPUTES', 'EDIT_DISPUTES'] as Permission[]),
  }),
  /** The clock: ms away from the first call's window end (0 is exactly there). */
  clockJitterMs: fc.constantFrom(-1, 0, 1, 59_999, -59_999),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

interface Inserted {
  ids: string[];
  sources: Omit<DisputabilitySources, 'viewer' | 'now'>[];
}

/** Writes a scenario with the clock `now`; every start is placed relative to it. */
async function insertScenario(s: Scenario, now: number): Promise<Inserted> {
  const accounts = await Promise.all(
    s.accountWindows.map(async (windowHours) => ({
      id: await insertAccount({ windowHours }),
      disputeWindowHours: windowHours,
    })),
  );
  const campaigns = await Promise.all(
    [null, ...s.campaignWindows].map(async (windowHours) => ({
      id: await insertCampaign({ windowHours }),
      disputeWindowHours: windowHours,
    })),
  );
  const disputer = await insertUser({ role: 'BUYER', accountId: accounts[0]!.id });
  const out: Inserted = { ids: [], sources: [] };
  for (const c of s.calls) {
    const account = accounts[c.account % accounts.length]!;
    const campaign = campaigns[(c.campaign + 1) % campaigns.length]!;
    const windowHours = campaign.disputeWindowHours ?? account.disputeWindowHours;
    const startedAt = new Date(now - windowHours * HOUR - c.fromWindowEnd * MINUTE);
    const id = await insertCall({
      buyerId: account.id,
      campaignId: campaign.id,
      status: c.status,
      startedAt,
    });
    // The partial unique index allows one PENDING dispute per call: keep the first.
    const disputes = c.disputes.filter(
      (d, i) => d !== 'PENDING' || c.disputes.indexOf('PENDING') === i,
    );
    for (const status of disputes) {
      // WITHDRAWN has no decision, and records who withdrew it.
      const withdrawn = status === 'WITHDRAWN';
      const decided = status !== 'PENDING' && !withdrawn;
      await db().query(
        `INSERT INTO disputes (id, call_id, buyer_id, status, reason, call_started_at, created_by,
           decided_at, decided_by, adjustment_minor, review_due_at, withdrawn_at, withdrawn_by)
         VALUES ($1, $2, $3, $4, 'OTHER', $5, $6, $7, $8, $9, clock_timestamp() + interval '48 hours',
           $10, $11)`,
        [
          randomUUID(),
          id,
          account.id,
          status,
          startedAt,
          disputer,
          decided ? new Date(now) : null,
          decided ? disputer : null,
          decided ? 0 : null,
          withdrawn ? new Date(now) : null,
          withdrawn ? disputer : null,
        ],
      );
    }
    out.ids.push(id);
    out.sources.push({
      call: { buyerId: account.id, status: c.status as CallStatus, startedAt },
      campaign,
      account,
      disputes: disputes.map((status) => ({ status: status as DisputeStatus })),
    });
  }
  return out;
}

/** The rules' SQL run straight against the rows, with pg's positional parameters. */
async function sqlVerdicts(
  ids: string[],
  viewer: DisputabilitySources['viewer'],
  now: Date,
): Promise<Map<string, { allowed: boolean; blockedBy: string | null }>> {
  const params: unknown[] = [ids];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const columns = {
    id: 'c.id',
    buyerId: 'c.buyer_id',
    campaignId: 'c.campaign_id',
    status: 'c.status',
    startedAt: 'c.started_at',
  };
  const sql = disputabilitySql(disputabilitySqlFacts(columns, viewer, now, bind));
  const res = await db().query<{ id: string; allowed: boolean; blocked_by: string | null }>(
    `SELECT c.id, ${sql.allowed} AS allowed, ${sql.blockedBy} AS blocked_by
       FROM calls c WHERE c.id = ANY ($1::uuid[])`,
    params,
  );
  return new Map(res.rows.map((r) => [r.id, { allowed: r.allowed, blockedBy: r.blocked_by }]));
}

it('the SQL of the rules equals evaluateDisputability on every generated row, viewer and clock', async () => {
  let rows = 0;
  await fc.assert(
    fc.asyncProperty(scenarioArb, async (s) => {
      // A fixed instant, so that the clock can sit on a window's very edge.
      const base = Date.UTC(2026, 5, 1, 12);
      const inserted = await insertScenario(s, base);
      const first = inserted.sources[0]!;
      const firstWindow = first.campaign.disputeWindowHours ?? first.account.disputeWindowHours;
      const now = new Date(first.call.startedAt.getTime() + firstWindow * HOUR + s.clockJitterMs);
      const accountIds = [...new Set(inserted.sources.map((x) => x.call.buyerId))];
      const viewer = {
        accountId:
          s.viewer.role === 'MANAGER'
            ? null
            : (accountIds[s.viewer.account % (accountIds.length + 1)] ?? randomUUID()),
        permissions: new Set(s.viewer.permissions),
      };
      const fromSql = await sqlVerdicts(inserted.ids, viewer, now);
      inserted.ids.forEach((id, i) => {
        const ts = evaluateDisputability(
          disputabilityFacts({ ...inserted.sources[i]!, viewer, now }),
        );
        expect({ id, ...fromSql.get(id) }).toEqual({
          id,
          allowed: ts.allowed,
          blockedBy: ts.blockedBy,
        });
        rows++;
      });
    }),
    { numRuns: 60 },
  );
  expect(rows).toBeGreaterThanOrEqual(60);
});

it('calls(filter: { disputable }) splits the Call Log exactly as evaluateDisputability does', async () => {
  let allowedSeen = 0;
  let blockedSeen = 0;
  await fc.assert(
    fc.asyncProperty(
      // The API's clock is the real one: keep every window edge at least a minute away.
      scenarioArb.map((s) => ({
        ...s,
        accountWindows: s.accountWindows.slice(0, 1),
        calls: s.calls.map((c) => ({
          ...c,
          fromWindowEnd: Math.abs(c.fromWindowEnd) < 2 ? c.fromWindowEnd * 5 || 5 : c.fromWindowEnd,
        })),
      })),
      fc.boolean(),
      async (s, holdsPermission) => {
        const now = Date.now();
        const inserted = await insertScenario(s, now);
        const accountId = inserted.sources[0]!.call.buyerId;
        const permissions: Permission[] = holdsPermission ? ['DISPUTE_CALLS'] : [];
        const user = await insertUser({ role: 'BUYER', accountId, permissions });
        const client = await Client.forUser(user);
        const page = async (disputable: boolean) =>
          (await client.run(CallPageDocument, { first: 100, filter: { disputable } })).calls.nodes
            .map((n) => n.id)
            .sort();
        const [yes, no] = [await page(true), await page(false)];
        // Call.disputability (the loaders' path to the same facts) splits the log the same way.
        const shown = (await client.run(CallPageDocument, { first: 100 })).calls.nodes;
        expect(
          shown
            .filter((n) => n.disputability.allowed)
            .map((n) => n.id)
            .sort(),
        ).toEqual(yes);
        const viewer = { accountId, permissions: new Set(permissions) };
        const expectedYes = inserted.ids
          .filter((_, i) => {
            const v = evaluateDisputability(
              disputabilityFacts({ ...inserted.sources[i]!, viewer, now: new Date() }),
            );
            return v.allowed;
          })
          .sort();
        const expectedNo = inserted.ids.filter((id) => !expectedYes.includes(id)).sort();
        expect({ yes, no }).toEqual({ yes: expectedYes, no: expectedNo });
        allowedSeen += yes.length;
        blockedSeen += no.length;
      },
    ),
    {
      numRuns: 40,
      // One disputable call for certain, so both sides of the filter are always reached.
      examples: [
        [
          {
            accountWindows: [48],
            campaignWindows: [null],
            calls: [
              {
                account: 0,
                campaign: -1,
                status: 'COMPLETED_WITH_CONVERSION',
                fromWindowEnd: -600,
                disputes: [],
              },
              {
                account: 0,
                campaign: -1,
                status: 'IN_PROGRESS',
                fromWindowEnd: -600,
                disputes: [],
              },
            ],
            viewer: { role: 'BUYER', account: 0, permissions: ['DISPUTE_CALLS'] },
            clockJitterMs: 0,
          },
          true,
        ],
      ],
    },
  );
  // The generator reaches both sides of the filter.
  expect(allowedSeen).toBeGreaterThan(0);
  expect(blockedSeen).toBeGreaterThan(0);
});
