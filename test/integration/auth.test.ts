import { SignJWT } from 'jose';
import { Client } from '../support/client';
import { closeDb, createWorld, db, insertUser, type World } from '../support/seed';
import { TEST_JWT_SECRET } from '../support/services';
import { signToken } from '../../src/auth/tokens';
import { ViewerDocument } from '../generated/graphql';

const key = (s: string) => new TextEncoder().encode(s);

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(closeDb);

describe('authentication', () => {
  it('a valid token reads the viewer with permissions from the database', async () => {
    const { viewer } = await world.as.buyerA.run(ViewerDocument);
    expect(viewer).toMatchObject({
      id: world.ids.buyerA,
      role: 'BUYER',
      account: { id: world.ids.accountA, name: 'Acme Test' },
      permissions: ['DISPUTE_CALLS'],
    });
    const manager = await world.as.editManager.run(ViewerDocument);
    expect(manager.viewer).toMatchObject({
      role: 'MANAGER',
      account: null,
      permissions: ['VIEW_DISPUTES', 'EDIT_DISPUTES'],
    });
  });

  const cases: [string, () => Promise<string | null>][] = [
    ['no token', async () => null],
    ['a malformed token', async () => 'not-a-jwt'],
    [
      'a wrong signature',
      async () => signToken('another-secret-of-sufficient-length', world.ids.buyerA),
    ],
    [
      'an expired token',
      async () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(world.ids.buyerA)
          .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
          .sign(key(TEST_JWT_SECRET)),
    ],
    [
      'a token without exp',
      async () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(world.ids.buyerA)
          .sign(key(TEST_JWT_SECRET)),
    ],
    [
      'an unknown user',
      async () => signToken(TEST_JWT_SECRET, '00000000-0000-4000-8000-000000000000'),
    ],
    ['a non-UUID subject', async () => signToken(TEST_JWT_SECRET, 'robert; drop table users')],
  ];

  it.each(cases)('%s is UNAUTHENTICATED and reveals nothing', async (_name, makeToken) => {
    const client = new Client(await makeToken());
    const res = await client.raw(ViewerDocument);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.data ?? null).toBeNull();
  });

  it('a header that is not a Bearer token is UNAUTHENTICATED', async () => {
    const res = await new Client(null).raw(ViewerDocument, undefined, {
      authorization: 'Basic Zm9vOmJhcg==',
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('revoking a permission takes effect on the next request', async () => {
    const user = world.ids.buyerA2;
    const client = await Client.forUser(user);
    expect((await client.run(ViewerDocument)).viewer.permissions).toEqual(['DISPUTE_CALLS']);
    await db().query(`UPDATE users SET permissions = '{}' WHERE id = $1`, [user]);
    expect((await client.run(ViewerDocument)).viewer.permissions).toEqual([]);
    await db().query(`UPDATE users SET permissions = '{DISPUTE_CALLS}' WHERE id = $1`, [user]);
  });

  it('EDIT_DISPUTES without VIEW_DISPUTES in the database counts as no permission', async () => {
    const id = await insertUser({ role: 'MANAGER', permissions: [] });
    await db().query(`UPDATE users SET permissions = '{EDIT_DISPUTES}' WHERE id = $1`, [id]);
    const { viewer } = await (await Client.forUser(id)).run(ViewerDocument);
    expect(viewer.permissions).toEqual([]);
  });
});
