import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/app/database';
import { PoolInTransactionError, withTransaction } from '../../src/platform/transaction';
import { DisputeEntity } from '../../src/disputes/dispute.entity';
import { CallEntity } from '../../src/calls/call.entity';
import { canMove, transition } from '../../src/disputes/dispute-transitions';
import { eventOfMove } from '../../src/disputes/dispute-events';
import { registerFeatures } from '../../src/app/registrations';
import { DomainError } from '../../src/platform/errors';
import * as disputeQueries from '../../src/disputes/dispute.queries';
import {
  closeDb,
  count,
  createWorld,
  db,
  insertCall,
  insertDispute,
  type World,
} from '../support/seed';
import { readTestEnv, ROOT } from '../support/services';

let w: World;
let ds: DataSource;
beforeAll(async () => {
  // The API process registers them at start; this test moves disputes in its own process.
  registerFeatures();
  w = await createWorld();
  ds = await openDatabase(readTestEnv().databaseUrl, pino({ level: 'silent' }), {
    size: 3,
    acquireTimeoutMs: 2000,
    statementTimeoutMs: 5000,
  });
});
afterAll(async () => {
  await ds?.destroy();
  await closeDb();
});

describe('the moves table', () => {
  it('creates PENDING from nothing, decides or withdraws PENDING, reopens a decision, and ends at WITHDRAWN', () => {
    expect(canMove('NONE', 'PENDING')).toBe(true);
    expect(canMove('NONE', 'ACCEPTED')).toBe(false);
    for (const to of ['ACCEPTED', 'ACCEPTED_PARTIAL', 'REJECTED', 'WITHDRAWN'] as const) {
      expect(canMove('PENDING', to)).toBe(true);
    }
    expect(canMove('PENDING', 'PENDING')).toBe(false);
    const all = ['PENDING', 'ACCEPTED', 'ACCEPTED_PARTIAL', 'REJECTED', 'WITHDRAWN'] as const;
    // A decision moves back to PENDING only (rule 20: REOPENED), never to another decision.
    for (const decided of ['ACCEPTED', 'ACCEPTED_PARTIAL', 'REJECTED'] as const) {
      for (const to of all) expect(canMove(decided, to)).toBe(to === 'PENDING');
      expect(eventOfMove(decided, 'PENDING')).toBe('REOPENED');
    }
    expect(eventOfMove('NONE', 'PENDING')).toBe('CREATED');
    for (const to of all) expect(canMove('WITHDRAWN', to)).toBe(false);
  });
});

/** The subject as a service would read it (no locks needed: nothing else touches these rows). */
async function load(disputeId: string) {
  const dispute = await ds.getRepository(DisputeEntity).findOneByOrFail({ id: disputeId });
  const call = await ds.getRepository(CallEntity).findOneByOrFail({ id: dispute.callId });
  return { dispute, call, currency: 'USD' };
}
const actor = () => ({ id: w.ids.editManager, at: new Date() });

describe('transition', () => {
  it('refuses a move out of a final status with DISPUTE_ALREADY_RESOLVED, writing nothing', async () => {
    const callId = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
    const id = await insertDispute({ callId, createdBy: w.ids.buyerA, status: 'REJECTED' });
    const subject = await load(id);
    const err = await withTransaction(ds, (em) =>
      transition(em, subject, { to: 'ACCEPTED', adjustmentMinor: 2500, comment: null }, actor()),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('DISPUTE_ALREADY_RESOLVED');
    expect(await count('dispute_events', 'dispute_id = $1', [id])).toBe(0);
    expect(
      (await db().query('SELECT payout_minor FROM calls WHERE id = $1', [callId])).rows[0],
    ).toEqual({ payout_minor: '2500' });
  });

  it('writes status, payout, history event and notifications together', async () => {
    const callId = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
    const id = await insertDispute({ callId, createdBy: w.ids.buyerA });
    const subject = await load(id);
    const decided = await withTransaction(ds, (em) =>
      transition(
        em,
        subject,
        { to: 'ACCEPTED_PARTIAL', adjustmentMinor: 500, comment: 'x' },
        actor(),
      ),
    );
    expect(decided).toMatchObject({ status: 'ACCEPTED_PARTIAL', adjustmentMinor: 500 });
    const events = await db().query(
      'SELECT type, status_before, status_after, payout_before_minor, payout_after_minor FROM dispute_events WHERE dispute_id = $1',
      [id],
    );
    expect(events.rows).toEqual([
      {
        type: 'RESOLVED',
        status_before: 'PENDING',
        status_after: 'ACCEPTED_PARTIAL',
        payout_before_minor: '2500',
        payout_after_minor: '2000',
      },
    ]);
    expect(await count('calls', 'id = $1 AND payout_minor = 2000', [callId])).toBe(1);
    expect(
      await count('notifications', `dispute_id = $1 AND kind = 'DISPUTE_RESOLVED'`, [id]),
    ).toBeGreaterThan(0);
  });

  it('tells a reopening from a creation by where it starts, and refuses the other shape', async () => {
    const callId = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
    const id = await insertDispute({
      callId,
      createdBy: w.ids.buyerA,
      status: 'REJECTED',
      decidedBy: w.ids.editManager,
    });
    const subject = await load(id);
    const due = new Date(Date.now() + 3_600_000);
    // A creation's move from a decided dispute is no event the list names.
    const asCreation = await withTransaction(ds, (em) =>
      transition(
        em,
        subject,
        { to: 'PENDING', reason: 'OTHER', additionalInfo: null, reviewDueAt: due },
        actor(),
      ),
    ).catch((e: unknown) => e);
    expect(String(asCreation)).toMatch(/is REOPENED, not what was asked/);
    expect(await count('dispute_events', 'dispute_id = $1', [id])).toBe(0);

    const reopened = await withTransaction(ds, (em) =>
      transition(
        em,
        subject,
        { to: 'PENDING', reopen: { note: 'Look again.', payoutMinor: 2500 }, reviewDueAt: due },
        actor(),
      ),
    );
    expect(reopened).toMatchObject({ status: 'PENDING', decidedAt: null, reviewDueAt: due });
    const events = await db().query(
      'SELECT type, status_before, status_after, note FROM dispute_events WHERE dispute_id = $1',
      [id],
    );
    expect(events.rows).toEqual([
      { type: 'REOPENED', status_before: 'REJECTED', status_after: 'PENDING', note: 'Look again.' },
    ]);
  });

  it('runs only inside a transaction', async () => {
    const callId = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
    const id = await insertDispute({ callId, createdBy: w.ids.buyerA });
    const subject = await load(id);
    await expect(
      transition(
        ds.manager,
        subject,
        { to: 'REJECTED', adjustmentMinor: 0, comment: null },
        actor(),
      ),
    ).rejects.toThrow(/inside the caller’s transaction/);
    expect(await count('disputes', `id = $1 AND status = 'PENDING'`, [id])).toBe(1);
  });
});

describe('the transaction travels explicitly', () => {
  it('fails work that reaches for the pool while its transaction is open, and rolls it back', async () => {
    const callId = await insertCall({ buyerId: w.ids.accountA, campaignId: w.ids.campaign });
    const id = await insertDispute({ callId, createdBy: w.ids.buyerA });
    const subject = await load(id);
    const err = await withTransaction(ds, async (em) => {
      await transition(em, subject, { to: 'REJECTED', adjustmentMinor: 0, comment: null }, actor());
      // A helper that uses the DataSource instead of the EntityManager it was not given.
      await ds.getRepository(DisputeEntity).findOneBy({ id });
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PoolInTransactionError);
    expect(await count('disputes', `id = $1 AND status = 'PENDING'`, [id])).toBe(1);
    expect(await count('dispute_events', 'dispute_id = $1', [id])).toBe(0);
  });

  it('lets the same reads through the EntityManager, and the pool outside any transaction', async () => {
    const n = await withTransaction(ds, async (em) => {
      const [row] = (await em.query('SELECT 1 AS n')) as { n: number }[];
      return row!.n;
    });
    expect(n).toBe(1);
    // Work started after the transaction, even from its continuation, may use the pool again.
    expect(await ds.query('SELECT 2 AS n')).toEqual([{ n: 2 }]);
  });
});

describe('one module holds the statements writing dispute statuses and the history, run by one module each', () => {
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
    });
  // Whitespace collapsed so a chained call split over lines still reads as one.
  const WRITES = [
    /getRepository\((?:DisputeEntity|DisputeEventEntity)\)[^;]*?\.(?:insert|update|save|upsert|delete|remove)\(/,
    /\b(?:INSERT INTO|DELETE FROM)\s+(?:disputes|dispute_events)\b/i,
    /\bUPDATE\s+(?:disputes|dispute_events)\b[^;`]*\bSET\b[^;`]*\bstatus\b/i,
  ];

  const QUERIES = 'src/disputes/dispute.queries.ts';
  const sources = () =>
    files(path.join(ROOT, 'src')).map((f) => ({
      file: path.relative(ROOT, f),
      text: fs.readFileSync(f, 'utf8').replace(/\s+/g, ' '),
    }));

  it('finds the statements in the disputes queries module only', () => {
    const writers = sources()
      .filter(({ text }) => WRITES.some((re) => re.test(text)))
      .map(({ file }) => file);
    expect(writers).toEqual([QUERIES]);
  });

  it('finds them run by the transition and the one fan-out only', () => {
    const writing = Object.entries(disputeQueries)
      .filter(([, sql]) => typeof sql === 'string' && WRITES.some((re) => re.test(sql)))
      .map(([name]) => name);
    expect(writing).toEqual(
      expect.arrayContaining(['INSERT_PENDING_DISPUTE', 'DECIDE_DISPUTE', 'INSERT_DISPUTE_EVENT']),
    );
    const users = sources()
      .filter(({ file }) => file !== QUERIES)
      .filter(({ text }) => writing.some((name) => new RegExp(`\\b${name}\\b`).test(text)))
      .map(({ file }) => file);
    expect(users).toEqual([
      'src/disputes/dispute-fan-out.ts',
      'src/disputes/dispute-transitions.ts',
    ]);
  });
});
