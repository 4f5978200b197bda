import { buildDemoFixture, DEMO_IDS } from '../../src/dev/demo-data';
import { AUTOMATIC_REVIEW_USER_ID } from '../../src/accounts/system-user';
import {
  externalReferences,
  ImportError,
  parseFixture,
  type FixtureInput,
} from '../../src/import/fixture';

const ACME = '0b0a1a52-0c1d-4f7e-8a3b-2f6d5e4c3b2a';
const GLOBEX = '0b0a1a52-0c1d-4f7e-8a3b-2f6d5e4c3b2b';
const ANN = '9b1e4a52-0c1d-4f7e-8a3b-2f6d5e4c3b2a';
const MAX = '9b1e4a52-0c1d-4f7e-8a3b-2f6d5e4c3b2b';
const AUTO = 'c4a1e7d0-3f9b-4c2e-9d8a-1b2c3d4e5f60';
const CALL = 'ca11e7d0-3f9b-4c2e-9d8a-1b2c3d4e5f60';

/** The example of the contract README, with real ids. */
function validFile() {
  return {
    accounts: [{ id: ACME, name: 'Acme Insurance', disputeWindowHours: 72, currency: 'USD' }],
    users: [
      {
        id: ANN,
        name: 'Ann Buyer',
        email: 'ann@acme.test',
        role: 'BUYER',
        accountId: ACME,
        permissions: ['DISPUTE_CALLS'],
      },
      {
        id: MAX,
        name: 'Max Manager',
        email: 'max@platform.test',
        role: 'MANAGER',
        permissions: ['VIEW_DISPUTES', 'EDIT_DISPUTES'],
      },
    ],
    campaigns: [{ id: AUTO, name: 'Auto insurance US', disputeWindowHours: null }],
    calls: [
      {
        id: CALL,
        buyerId: ACME,
        campaignId: AUTO,
        startedAt: '2026-11-25T10:00:00Z',
        callerId: '+15551230001',
        destination: '+18005550100',
        payout: '25.00',
        durationSeconds: 95,
        status: 'COMPLETED_WITH_CONVERSION',
        hangupBy: 'CALLER',
        hangupCause: null,
        recordingPath: null,
      },
    ],
  };
}

type File = ReturnType<typeof validFile>;

/** The ImportError thrown for `json`, failing the test when there is none. */
function refusal(json: unknown): ImportError {
  try {
    parseFixture(json);
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return err as ImportError;
  }
  throw new Error('expected parseFixture to refuse the file');
}

describe('parseFixture accepts', () => {
  it('the example file of the contract', () => {
    const f = parseFixture(validFile());
    expect(f.accounts).toHaveLength(1);
    expect(f.users[1]).toMatchObject({ role: 'MANAGER', accountId: null });
    expect(f.calls[0]).toMatchObject({
      payout: '25.00',
      startedAt: '2026-11-25T10:00:00.000Z',
      hangupBy: 'CALLER',
      recordingPath: null,
    });
  });

  it('an empty object: every array defaults to []', () => {
    expect(parseFixture({})).toEqual({ accounts: [], users: [], campaigns: [], calls: [] });
  });

  it('fills defaults for optional fields', () => {
    const file = validFile();
    const { hangupBy, hangupCause, recordingPath, ...call } = file.calls[0]!;
    void hangupBy;
    void hangupCause;
    void recordingPath;
    const f = parseFixture({
      campaigns: [{ id: AUTO, name: 'Auto' }],
      users: [{ id: MAX, name: 'Max', email: 'max@platform.test', role: 'MANAGER' }],
      calls: [call],
    });
    expect(f.campaigns[0]?.disputeWindowHours).toBeNull();
    expect(f.users[0]).toMatchObject({ accountId: null, permissions: [] });
    expect(f.calls[0]).toMatchObject({ hangupBy: null, hangupCause: null, recordingPath: null });
  });

  it.each(['25', '25.5', '25.00', '0', '0.01', '80.00'])('payout %p', (payout) => {
    const file = validFile();
    file.calls[0]!.payout = payout;
    expect(parseFixture(file).calls[0]?.payout).toBe(payout);
  });

  it('instants with an offset, normalized to UTC', () => {
    const file = validFile();
    file.calls[0]!.startedAt = '2026-11-25T12:00:00+02:00';
    expect(parseFixture(file).calls[0]?.startedAt).toBe('2026-11-25T10:00:00.000Z');
  });

  it('uppercase ids, stored lowercase; permissions in canonical order without repeats', () => {
    const file = validFile();
    file.users[1]!.id = MAX.toUpperCase();
    file.users[1]!.permissions = ['EDIT_DISPUTES', 'VIEW_DISPUTES', 'EDIT_DISPUTES'];
    const f = parseFixture(file);
    expect(f.users[1]?.id).toBe(MAX);
    expect(f.users[1]?.permissions).toEqual(['VIEW_DISPUTES', 'EDIT_DISPUTES']);
  });

  it('its own output (parsing is idempotent)', () => {
    const once = parseFixture(validFile());
    expect(parseFixture(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });

  it('the demo data', () => {
    const { fixture } = buildDemoFixture(new Date('2026-11-26T12:00:00Z'));
    expect(parseFixture(JSON.parse(JSON.stringify(fixture)))).toEqual(fixture);
  });

  it('autoAcceptDuplicates, false when absent', () => {
    expect(parseFixture(validFile()).accounts[0]?.autoAcceptDuplicates).toBe(false);
    const file = validFile();
    (file.accounts[0] as Record<string, unknown>).autoAcceptDuplicates = true;
    expect(parseFixture(file).accounts[0]?.autoAcceptDuplicates).toBe(true);
  });

  it('demo data where Acme auto-accepts and a few of its open converted calls repeat a caller', () => {
    const now = new Date('2026-11-26T12:00:00Z');
    const { fixture } = buildDemoFixture(now);
    const acme = DEMO_IDS.accounts.acme;
    expect(fixture.accounts.find((a) => a.id === acme)?.autoAcceptDuplicates).toBe(true);
    const t = (c: { startedAt: string }) => Date.parse(c.startedAt);
    const ofAcme = fixture.calls.filter((c) => c.buyerId === acme);
    // Started in the last two days, with a call of the same caller in the day before it.
    const duplicates = ofAcme.filter(
      (c) =>
        c.status === 'COMPLETED_WITH_CONVERSION' &&
        t(c) > now.getTime() - 48 * 3_600_000 &&
        ofAcme.some(
          (e) => e.callerId === c.callerId && t(e) < t(c) && t(e) >= t(c) - 24 * 3_600_000,
        ),
    );
    expect(duplicates.length).toBeGreaterThanOrEqual(3);
  });
});

describe('parseFixture refuses', () => {
  const userPrefix = `users[0] (id ${ANN}): `;
  const callPrefix = `calls[0] (id ${CALL}): `;
  const accountPrefix = `accounts[0] (id ${ACME}): `;

  // [case, change to the valid file, a line the message must contain]
  // prettier-ignore
  const cases: [string, (f: File) => void, string][] = [
    ['EDIT_DISPUTES without VIEW_DISPUTES', (f) => { f.users[1]!.permissions = ['EDIT_DISPUTES']; },
      `users[1] (id ${MAX}): permissions: EDIT_DISPUTES requires VIEW_DISPUTES`],
    ['a buyer without accountId', (f) => { delete (f.users[0] as { accountId?: string }).accountId; },
      `${userPrefix}accountId: is required for role BUYER`],
    ['a buyer with a manager permission', (f) => { f.users[0]!.permissions = ['DISPUTE_CALLS', 'VIEW_DISPUTES']; },
      `${userPrefix}permissions: a BUYER may hold only DISPUTE_CALLS`],
    ['a manager with an account', (f) => { (f.users[1] as { accountId?: string }).accountId = ACME; },
      `users[1] (id ${MAX}): accountId: must be null or absent for role MANAGER`],
    ['a manager with DISPUTE_CALLS', (f) => { f.users[1]!.permissions = ['DISPUTE_CALLS']; },
      `users[1] (id ${MAX}): permissions: a MANAGER may hold only VIEW_DISPUTES and EDIT_DISPUTES`],
    ['an unknown permission', (f) => { f.users[0]!.permissions = ['DISPUTE_EVERYTHING']; },
      `${userPrefix}permissions[0]: must be one of DISPUTE_CALLS, VIEW_DISPUTES, EDIT_DISPUTES`],
    ['an unknown role', (f) => { f.users[0]!.role = 'ADMIN'; }, `${userPrefix}role: must be one of BUYER, MANAGER`],
    ['a bad email', (f) => { f.users[0]!.email = 'ann-at-acme'; }, `${userPrefix}email: must be an email address`],
    ['an empty user name', (f) => { f.users[0]!.name = '  '; }, `${userPrefix}name: must not be empty`],
    ['a bad UUID', (f) => { f.users[0]!.id = 'ann'; }, 'users[0] (id ann): id: must be a UUID'],
    ['a missing id', (f) => { delete (f.accounts[0] as { id?: string }).id; }, 'accounts[0]: id: is required'],
    ['an empty account name', (f) => { f.accounts[0]!.name = ''; }, `${accountPrefix}name: must not be empty`],
    ['a zero window', (f) => { f.accounts[0]!.disputeWindowHours = 0; }, `${accountPrefix}disputeWindowHours: must be a positive`],
    ['a fractional window', (f) => { f.accounts[0]!.disputeWindowHours = 1.5; }, `${accountPrefix}disputeWindowHours: must be a whole number`],
    ['an account without window', (f) => { (f.accounts[0] as { disputeWindowHours: number | null }).disputeWindowHours = null; },
      `${accountPrefix}disputeWindowHours: must be a number, not null`],
    ['a negative campaign window', (f) => { (f.campaigns[0] as { disputeWindowHours: number | null }).disputeWindowHours = -24; },
      `campaigns[0] (id ${AUTO}): disputeWindowHours: must be a positive`],
    ['a lowercase currency', (f) => { f.accounts[0]!.currency = 'usd'; }, `${accountPrefix}currency: must be a 3-letter ISO 4217 code`],
    ['a 4-letter currency', (f) => { f.accounts[0]!.currency = 'USDT'; }, `${accountPrefix}currency: must be a 3-letter`],
    ['a negative payout', (f) => { f.calls[0]!.payout = '-1'; }, `${callPrefix}payout: must be a non-negative decimal`],
    ['a payout with 3 decimals', (f) => { f.calls[0]!.payout = '1.234'; }, `${callPrefix}payout: must be a non-negative decimal`],
    ['a non-numeric payout', (f) => { f.calls[0]!.payout = 'abc'; }, `${callPrefix}payout: must be a non-negative decimal`],
    ['a numeric payout', (f) => { (f.calls[0] as { payout: unknown }).payout = 25; }, `${callPrefix}payout: must be a decimal string`],
    ['a startedAt without zone', (f) => { f.calls[0]!.startedAt = '2026-11-25T10:00:00'; }, `${callPrefix}startedAt: must be an ISO-8601 instant`],
    ['an impossible date', (f) => { f.calls[0]!.startedAt = '2026-02-30T10:00:00Z'; }, `${callPrefix}startedAt: must be an ISO-8601 instant`],
    ['an unknown status', (f) => { f.calls[0]!.status = 'DONE'; }, `${callPrefix}status: must be one of IN_PROGRESS,`],
    ['an unknown hangupBy', (f) => { f.calls[0]!.hangupBy = 'NOBODY'; }, `${callPrefix}hangupBy: must be one of CALLER, TARGET, SYSTEM`],
    ['a hangupCause without hangupBy', (f) => { (f.calls[0] as { hangupBy: string | null }).hangupBy = null; (f.calls[0] as { hangupCause: string | null }).hangupCause = 'NO_ANSWER'; },
      `${callPrefix}hangupCause: requires hangupBy`],
    ['a negative duration', (f) => { f.calls[0]!.durationSeconds = -1; }, `${callPrefix}durationSeconds: must not be negative`],
    ['a fractional duration', (f) => { f.calls[0]!.durationSeconds = 9.5; }, `${callPrefix}durationSeconds: must be a whole number`],
    ['an empty callerId', (f) => { f.calls[0]!.callerId = ''; }, `${callPrefix}callerId: must not be empty`],
    ['an empty destination', (f) => { f.calls[0]!.destination = ' '; }, `${callPrefix}destination: must not be empty`],
    ['a missing buyerId', (f) => { delete (f.calls[0] as { buyerId?: string }).buyerId; }, `${callPrefix}buyerId: is required`],
    ['a bad campaignId', (f) => { f.calls[0]!.campaignId = 'auto'; }, `${callPrefix}campaignId: must be a UUID`],
    ['an empty recordingPath', (f) => { (f.calls[0] as { recordingPath: string | null }).recordingPath = ''; },
      `${callPrefix}recordingPath: must not be empty`],
    ['an unknown field', (f) => { (f.calls[0] as Record<string, unknown>).payot = '1.00'; }, `${callPrefix}payot: unknown field`],
    ['a non-boolean autoAcceptDuplicates', (f) => { (f.accounts[0] as Record<string, unknown>).autoAcceptDuplicates = 'yes'; },
      `${accountPrefix}autoAcceptDuplicates: must be`],
    ["the system user's id", (f) => { f.users[1]!.id = AUTOMATIC_REVIEW_USER_ID.toUpperCase(); },
      `users[1] (id ${AUTOMATIC_REVIEW_USER_ID.toUpperCase()}): id: is reserved for the system user`],
    ['a duplicate account id', (f) => { f.accounts.push({ ...f.accounts[0]!, name: 'Other' }); },
      `accounts[1] (id ${ACME}): id: duplicates accounts[0]`],
    ['a duplicate id differing in case', (f) => { f.calls.push({ ...f.calls[0]!, id: CALL.toUpperCase() }); },
      `calls[1] (id ${CALL}): id: duplicates calls[0]`],
    ['a duplicate email', (f) => { f.users[1]!.email = 'ANN@acme.test'; },
      `users[1] (id ${MAX}): email: ANN@acme.test is also the email of users[0] (id ${ANN})`],
  ];

  it.each(cases)('%s', (_name, change, expected) => {
    const file = validFile();
    change(file);
    const err = refusal(file);
    expect(err.problems).toContainEqual(expect.stringContaining(expected));
    expect(err.message).toContain(expected);
  });

  it.each([
    ['not an object', 42, 'the file: must be a JSON object'],
    ['an array', [], 'the file: must be a JSON object'],
    ['null', null, 'the file: must be a JSON object'],
    ['a non-array kind', { accounts: {} }, 'accounts: must be an array, not an object'],
    ['an unknown top-level key', { disputes: [] }, 'the file: disputes: unknown field'],
  ])('%s', (_name, json, expected) => {
    expect(refusal(json).message).toContain(expected);
  });

  it('names every bad record, not only the first', () => {
    const file = validFile();
    file.accounts[0]!.currency = 'us';
    file.calls[0]!.payout = '1.999';
    file.users[1]!.permissions = ['EDIT_DISPUTES'];
    const err = refusal(file);
    expect(err.problems).toEqual([
      `${accountPrefix}currency: must be a 3-letter ISO 4217 code, e.g. USD`,
      `users[1] (id ${MAX}): permissions: EDIT_DISPUTES requires VIEW_DISPUTES`,
      `${callPrefix}payout: must be a non-negative decimal with at most two fraction digits, e.g. "25.00"`,
    ]);
    expect(err.message.split('\n')).toEqual(err.problems);
  });
});

describe('externalReferences', () => {
  it('lists only references the file itself does not satisfy', () => {
    const file: FixtureInput = validFile() as FixtureInput;
    expect(externalReferences(parseFixture(file))).toEqual([]);

    const partial = validFile();
    partial.accounts = [];
    partial.users[0]!.accountId = GLOBEX;
    partial.campaigns = [];
    expect(externalReferences(parseFixture(partial))).toEqual([
      { record: `users[0] (id ${ANN})`, field: 'accountId', target: 'accounts', targetId: GLOBEX },
      { record: `calls[0] (id ${CALL})`, field: 'buyerId', target: 'accounts', targetId: ACME },
      { record: `calls[0] (id ${CALL})`, field: 'campaignId', target: 'campaigns', targetId: AUTO },
    ]);
  });
});
