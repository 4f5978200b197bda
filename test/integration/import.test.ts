import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CallsDocument, ViewerDocument } from '../generated/graphql';
import { Client } from '../support/client';
import { runCli } from '../support/cli';
import { closeDb, count, db, HOUR } from '../support/seed';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'disputes-import-'));
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await closeDb();
});

function fixture() {
  const ids = {
    account: randomUUID(),
    buyer: randomUUID(),
    manager: randomUUID(),
    campaign: randomUUID(),
    calls: [randomUUID(), randomUUID()],
  };
  const data = {
    accounts: [{ id: ids.account, name: 'Importly Inc', disputeWindowHours: 72, currency: 'USD' }],
    users: [
      {
        id: ids.buyer,
        name: 'Ivy Importer',
        email: `${ids.buyer}@import.test`,
        role: 'BUYER',
        accountId: ids.account,
        permissions: ['DISPUTE_CALLS'],
      },
      {
        id: ids.manager,
        name: 'Mo Manager',
        email: `${ids.manager}@platform.test`,
        role: 'MANAGER',
        permissions: ['VIEW_DISPUTES', 'EDIT_DISPUTES'],
      },
    ],
    campaigns: [{ id: ids.campaign, name: 'Imported campaign', disputeWindowHours: null }],
    calls: ids.calls.map((id, i) => ({
      id,
      buyerId: ids.account,
      campaignId: ids.campaign,
      startedAt: new Date(Date.now() - (i + 1) * HOUR).toISOString(),
      callerId: `+1555123000${i}`,
      destination: '+18005550100',
      payout: '25.00',
      durationSeconds: 95,
      status: 'COMPLETED_WITH_CONVERSION',
      hangupBy: 'CALLER',
      hangupCause: null,
      recordingPath: null,
    })),
  };
  return { ids, data };
}

function write(data: unknown): string {
  const file = path.join(dir, `${randomUUID()}.json`);
  fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
  return file;
}

const rowsOf = async (ids: ReturnType<typeof fixture>['ids']) => ({
  accounts: await count('accounts', 'id = $1', [ids.account]),
  users: await count('users', 'id = ANY($1)', [[ids.buyer, ids.manager]]),
  campaigns: await count('campaigns', 'id = $1', [ids.campaign]),
  calls: await count('calls', 'id = ANY($1)', [ids.calls]),
});

describe('npm run import', () => {
  it('upserts a fixture that the API then serves, and a second run changes nothing', async () => {
    const { ids, data } = fixture();
    const file = write(data);
    const first = await runCli(['import', file]);
    expect(first.code).toBe(0);
    expect(await rowsOf(ids)).toEqual({ accounts: 1, users: 2, campaigns: 1, calls: 2 });

    const buyer = await Client.forUser(ids.buyer);
    const { calls } = await buyer.run(CallsDocument, { first: 10 });
    expect(calls.nodes.map((n) => n.id).sort()).toEqual([...ids.calls].sort());
    expect(calls.edges[0]?.node.payout).toEqual({ amount: '25.00', currency: 'USD' });
    const manager = await Client.forUser(ids.manager);
    expect((await manager.run(ViewerDocument)).viewer.permissions).toEqual([
      'VIEW_DISPUTES',
      'EDIT_DISPUTES',
    ]);

    const before = await db().query('SELECT * FROM calls WHERE id = ANY($1) ORDER BY id', [
      ids.calls,
    ]);
    const second = await runCli(['import', file]);
    expect(second.code).toBe(0);
    const summary = JSON.parse(second.stdout.slice(second.stdout.indexOf('{'))) as Record<
      string,
      { inserted: number; updated: number }
    >;
    for (const kind of ['accounts', 'users', 'campaigns', 'calls']) {
      expect(summary[kind]).toMatchObject({ inserted: 0, updated: 0 });
    }
    const after = await db().query('SELECT * FROM calls WHERE id = ANY($1) ORDER BY id', [
      ids.calls,
    ]);
    expect(after.rows).toEqual(before.rows);
  });

  it('writes autoAcceptDuplicates (false when absent) and counts its change as an update', async () => {
    const { ids, data } = fixture();
    const autoOf = async () =>
      (await db().query('SELECT auto_accept_duplicates FROM accounts WHERE id = $1', [ids.account]))
        .rows[0];
    expect((await runCli(['import', write(data)])).code).toBe(0);
    expect(await autoOf()).toEqual({ auto_accept_duplicates: false });
    const changed = {
      ...data,
      accounts: [{ ...data.accounts[0]!, autoAcceptDuplicates: true }],
    };
    const run = await runCli(['import', write(changed)]);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as Record<
      string,
      { inserted: number; updated: number }
    >;
    expect(summary.accounts).toMatchObject({ inserted: 0, updated: 1 });
    expect(await autoOf()).toEqual({ auto_accept_duplicates: true });
  });

  it('sets the original payout again but keeps adjustments already made by decisions', async () => {
    const { ids, data } = fixture();
    expect((await runCli(['import', write(data)])).code).toBe(0);
    // A decision took 5.00 off the first call.
    await db().query('UPDATE calls SET payout_minor = payout_minor - 500 WHERE id = $1', [
      ids.calls[0],
    ]);
    data.calls[0]!.payout = '30.00';
    expect((await runCli(['import', write(data)])).code).toBe(0);
    const { rows } = await db().query<{ original: string; payout: string }>(
      'SELECT original_payout_minor AS original, payout_minor AS payout FROM calls WHERE id = $1',
      [ids.calls[0]],
    );
    expect(rows[0]).toEqual({ original: '3000', payout: '2500' });
  });

  const bad: [string, (d: ReturnType<typeof fixture>['data']) => unknown, RegExp][] = [
    [
      'EDIT_DISPUTES without VIEW_DISPUTES',
      (d) => ((d.users[1]!.permissions = ['EDIT_DISPUTES']), d),
      /users\[1\].*permissions.*VIEW_DISPUTES/,
    ],
    [
      'a payout with three decimals',
      (d) => ((d.calls[1]!.payout = '1.234'), d),
      /calls\[1\].*payout/,
    ],
    ['an unknown status', (d) => ((d.calls[0]!.status = 'GREAT'), d), /calls\[0\].*status/],
    [
      'a call of a campaign that exists nowhere',
      (d) => ((d.calls[1]!.campaignId = randomUUID()), d),
      /calls\[1\].*campaignId/,
    ],
    [
      'a buyer without an account',
      (d) => (delete (d.users[0] as { accountId?: string }).accountId, d),
      /users\[0\].*accountId/,
    ],
    ['a file that is not JSON', () => '{"accounts": [', /JSON/],
  ];

  it.each(bad)(
    'refuses %s whole, naming record and field, and writes nothing',
    async (_name, spoil, message) => {
      const { ids, data } = fixture();
      const res = await runCli(['import', write(spoil(data))]);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(message);
      expect(await rowsOf(ids)).toEqual({ accounts: 0, users: 0, campaigns: 0, calls: 0 });
    },
  );
});
