import type { DataSource } from 'typeorm';
import type { Permission, Role } from '../accounts/permissions';
import type { ObjectStore } from '../platform/object-store';
import { formatMinor } from '../platform/money';
import { windowEndsAt, windowHoursOf } from '../disputes/dispute-rules';
import { CALL_STATUSES } from '../calls/call.entity';
import type { Fixture, FixtureCall } from '../import/fixture';
import { importFixture } from '../import/import.service';
import type { ImportSummary } from '../import/import-write';
import type { InMemoryRecording } from '../import/recording-plan';
import { seedDemoDisputes, type DemoDisputePlan } from './demo-disputes';
import { seedDemoTableSettings } from './demo-table-settings';

/**
 * Demo data for a fresh local database: two buyer accounts, one user per role that the
 * integration tests and the UI need, a few campaigns and ~300 calls spread over the last ten
 * days, so that some calls are still inside their Dispute Window and some are past it.
 * Everything is deterministic for a given `now` (fixed ids, seeded pseudo-random numbers).
 */

const id = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const DEMO_IDS = {
  accounts: {
    acme: id('a0000000', 1),
    globex: id('a0000000', 2),
  },
  users: {
    /** Acme buyer with DISPUTE_CALLS. */
    ann: id('b0000000', 1),
    /** Acme buyer without permissions: sees the Call Log, may not dispute. */
    ben: id('b0000000', 2),
    /** Globex buyer with DISPUTE_CALLS. */
    gina: id('b0000000', 3),
    /** Manager with VIEW_DISPUTES only. */
    vera: id('b0000000', 4),
    /** Manager with VIEW_DISPUTES and EDIT_DISPUTES. */
    max: id('b0000000', 5),
  },
  campaigns: {
    autoInsurance: id('c0000000', 1),
    homeInsuranceFlorida: id('c0000000', 2),
    medicareAdvantage: id('c0000000', 3),
    solarCalifornia: id('c0000000', 4),
    solarTexas: id('c0000000', 5),
  },
} as const;

/** The id of demo call n (1-based). */
export function demoCallId(n: number): string {
  return id('ca110000', n);
}

export const DEMO_CALL_COUNT = 300;

const ACCOUNTS: Fixture['accounts'] = [
  {
    id: DEMO_IDS.accounts.acme,
    name: 'Acme Insurance',
    disputeWindowHours: 72,
    currency: 'USD',
    // Rule 15 in the playground: Ann's DUPLICATE_CALL disputes of the duplicate calls below
    // are accepted at once (Globex keeps them PENDING).
    autoAcceptDuplicates: true,
  },
  {
    id: DEMO_IDS.accounts.globex,
    name: 'Globex Solar',
    disputeWindowHours: 48,
    currency: 'USD',
    autoAcceptDuplicates: false,
  },
];

const USERS: Fixture['users'] = [
  {
    id: DEMO_IDS.users.ann,
    name: 'Ann Buyer',
    email: 'ann@acme.test',
    role: 'BUYER',
    accountId: DEMO_IDS.accounts.acme,
    permissions: ['DISPUTE_CALLS'],
  },
  {
    id: DEMO_IDS.users.ben,
    name: 'Ben Viewer',
    email: 'ben@acme.test',
    role: 'BUYER',
    accountId: DEMO_IDS.accounts.acme,
    permissions: [],
  },
  {
    id: DEMO_IDS.users.gina,
    name: 'Gina Buyer',
    email: 'gina@globex.test',
    role: 'BUYER',
    accountId: DEMO_IDS.accounts.globex,
    permissions: ['DISPUTE_CALLS'],
  },
  {
    id: DEMO_IDS.users.vera,
    name: 'Vera Viewer',
    email: 'vera@platform.test',
    role: 'MANAGER',
    accountId: null,
    permissions: ['VIEW_DISPUTES'],
  },
  {
    id: DEMO_IDS.users.max,
    name: 'Max Manager',
    email: 'max@platform.test',
    role: 'MANAGER',
    accountId: null,
    permissions: ['VIEW_DISPUTES', 'EDIT_DISPUTES'],
  },
];

interface DemoCampaign {
  id: string;
  name: string;
  disputeWindowHours: number | null;
  buyerId: string;
  /** The tracking number callers dial. */
  destination: string;
}

const CAMPAIGNS: DemoCampaign[] = [
  {
    id: DEMO_IDS.campaigns.autoInsurance,
    name: 'Auto Insurance US',
    disputeWindowHours: null,
    buyerId: DEMO_IDS.accounts.acme,
    destination: '+18005550100',
  },
  {
    id: DEMO_IDS.campaigns.homeInsuranceFlorida,
    name: 'Home Insurance Florida',
    disputeWindowHours: 24,
    buyerId: DEMO_IDS.accounts.acme,
    destination: '+18885550142',
  },
  {
    id: DEMO_IDS.campaigns.medicareAdvantage,
    name: 'Medicare Advantage',
    disputeWindowHours: null,
    buyerId: DEMO_IDS.accounts.acme,
    destination: '+18775550123',
  },
  {
    id: DEMO_IDS.campaigns.solarCalifornia,
    name: 'Residential Solar California',
    disputeWindowHours: 168,
    buyerId: DEMO_IDS.accounts.globex,
    destination: '+18665550199',
  },
  {
    id: DEMO_IDS.campaigns.solarTexas,
    name: 'Solar Leads Texas',
    disputeWindowHours: null,
    buyerId: DEMO_IDS.accounts.globex,
    destination: '+18445550110',
  },
];

const ACCOUNT_WINDOW = new Map(ACCOUNTS.map((a) => [a.id, a.disputeWindowHours]));

/** Hours a call of this campaign stays disputable, by the same rule the API applies. */
function campaignWindowHours(campaign: DemoCampaign): number {
  const accountHours = ACCOUNT_WINDOW.get(campaign.buyerId);
  if (accountHours === undefined) throw new Error(`demo campaign ${campaign.id} has no account`);
  return windowHoursOf(campaign.disputeWindowHours, accountHours);
}

// ---------------------------------------------------------------- audio

/** A mono 16-bit PCM WAV of a sine tone, with short fades so it does not click. */
export function sineWav(opts: {
  frequencyHz: number;
  seconds: number;
  sampleRate?: number;
  amplitude?: number;
}): Buffer {
  const sampleRate = opts.sampleRate ?? 8000;
  const amplitude = opts.amplitude ?? 0.4;
  const samples = Math.round(sampleRate * opts.seconds);
  const dataSize = samples * 2;
  const buf = Buffer.alloc(44 + dataSize);
  buf.write('RIFF', 0, 'latin1');
  buf.writeUInt32LE(36 + dataSize, 4);
  buf.write('WAVE', 8, 'latin1');
  buf.write('fmt ', 12, 'latin1');
  buf.writeUInt32LE(16, 16); // fmt chunk size
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28); // byte rate
  buf.writeUInt16LE(2, 32); // block align
  buf.writeUInt16LE(16, 34); // bits per sample
  buf.write('data', 36, 'latin1');
  buf.writeUInt32LE(dataSize, 40);
  const fade = Math.max(1, Math.round(sampleRate * 0.02));
  for (let i = 0; i < samples; i++) {
    const envelope = Math.min(1, i / fade, (samples - 1 - i) / fade);
    const v = Math.sin((2 * Math.PI * opts.frequencyHz * i) / sampleRate) * amplitude * envelope;
    buf.writeInt16LE(Math.round(v * 32767), 44 + i * 2);
  }
  return buf;
}

// ---------------------------------------------------------------- calls

/** How many of Acme's open calls repeat an earlier caller (rule 15's Call.duplicateOf). */
const DEMO_DUPLICATE_CALLS = 3;
/** Below the default DUPLICATE_WINDOW_HOURS, so the demo shows duplicates with the default. */
const DEMO_DUPLICATE_GAP_HOURS = 20;
/**
 * Acme's newest disputable calls that stay as they are: the playground's "send a dispute"
 * example takes the newest, and each of Acme's six demo disputed calls skips one more of those
 * still disputable (seedDemoDisputes), so they reach the twelfth newest.
 */
const DEMO_NEWEST_LEFT_ALONE = 12;

/**
 * Gives a few open converted calls the caller of their account's previous call, so their
 * duplicateOf is set. The newest ones are left alone (DEMO_NEWEST_LEFT_ALONE; a disputable
 * call among the newest disputable ones is among the newest of these, a subset). A call copied
 * from is never changed afterwards.
 */
function markDuplicateCalls(calls: FixtureCall[], open: FixtureCall[]): void {
  const time = (c: FixtureCall) => Date.parse(c.startedAt);
  const newestFirst = (a: FixtureCall, b: FixtureCall) => time(b) - time(a);
  const copiedFrom = new Set<string>();
  let marked = 0;
  for (const c of [...open].sort(newestFirst).slice(DEMO_NEWEST_LEFT_ALONE)) {
    if (marked === DEMO_DUPLICATE_CALLS) break;
    if (copiedFrom.has(c.id)) continue;
    const earlier = calls
      .filter((e) => e.buyerId === c.buyerId && time(e) < time(c))
      .sort(newestFirst)[0];
    if (!earlier || time(c) - time(earlier) > DEMO_DUPLICATE_GAP_HOURS * HOUR) continue;
    c.callerId = earlier.callerId;
    copiedFrom.add(earlier.id);
    marked++;
  }
}

/** mulberry32: a tiny seeded generator, so the demo is the same on every machine. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AREA_CODES = [
  '212',
  '213',
  '305',
  '312',
  '404',
  '415',
  '469',
  '512',
  '602',
  '617',
  '702',
  '713',
  '786',
  '818',
  '904',
  '954',
];

type Status = FixtureCall['status'];

const STATUS_WEIGHTS: [Status, number][] = [
  ['COMPLETED_WITH_CONVERSION', 45],
  ['COMPLETED_NO_CONVERSION', 22],
  ['CALL_NOT_CONNECTED_WITH_CONVERSION', 12],
  ['CALL_NOT_CONNECTED_NO_CONVERSION', 17],
  ['IN_PROGRESS', 4],
];

const HOUR = 3_600_000;

export interface DemoData {
  fixture: Fixture;
  /** WAV recordings of a few calls, stored as `recordings/<callId>` by applyDemoData. */
  recordings: InMemoryRecording[];
}

export function buildDemoFixture(now: Date): DemoData {
  const rand = seeded(20261125);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const between = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const nowMs = Math.floor(now.getTime() / 1000) * 1000;
  const acmeCampaigns = CAMPAIGNS.filter((c) => c.buyerId === DEMO_IDS.accounts.acme);
  const globexCampaigns = CAMPAIGNS.filter((c) => c.buyerId === DEMO_IDS.accounts.globex);

  const weightedStatus = (): Status => {
    const total = STATUS_WEIGHTS.reduce((s, [, w]) => s + w, 0);
    let r = rand() * total;
    for (const [status, w] of STATUS_WEIGHTS) {
      if ((r -= w) < 0) return status;
    }
    return 'COMPLETED_WITH_CONVERSION';
  };

  /**
   * The first calls are placed on purpose: every status for each buyer, and calls whose window
   * ends in half an hour or ended half an hour ago. The rest are random.
   */
  const planned: { campaign: DemoCampaign; status: Status; hoursAgo: number }[] = [];
  for (const campaigns of [acmeCampaigns, globexCampaigns]) {
    const main = campaigns[0] as DemoCampaign;
    CALL_STATUSES.forEach((status, i) => {
      planned.push({ campaign: main, status, hoursAgo: status === 'IN_PROGRESS' ? 0.1 : 2 + i });
    });
    for (const c of campaigns) {
      const w = campaignWindowHours(c);
      planned.push({ campaign: c, status: 'COMPLETED_WITH_CONVERSION', hoursAgo: w - 0.5 });
      planned.push({
        campaign: c,
        status: 'CALL_NOT_CONNECTED_WITH_CONVERSION',
        hoursAgo: w + 0.5,
      });
    }
  }

  const calls: FixtureCall[] = [];
  for (let n = 1; n <= DEMO_CALL_COUNT; n++) {
    const fixed = planned[n - 1];
    const campaign = fixed?.campaign ?? pick(rand() < 0.6 ? acmeCampaigns : globexCampaigns);
    const status = fixed?.status ?? weightedStatus();
    let startedMs: number;
    if (fixed) startedMs = nowMs - Math.round(fixed.hoursAgo * HOUR);
    else if (status === 'IN_PROGRESS') startedMs = nowMs - between(20, 1800) * 1000;
    else startedMs = nowMs - between(600, 240 * 3600) * 1000;

    let durationSeconds: number;
    let hangupBy: FixtureCall['hangupBy'] = null;
    let hangupCause: string | null = null;
    switch (status) {
      case 'IN_PROGRESS':
        durationSeconds = Math.round((nowMs - startedMs) / 1000);
        break;
      case 'COMPLETED_WITH_CONVERSION':
      case 'COMPLETED_NO_CONVERSION': {
        durationSeconds =
          status === 'COMPLETED_WITH_CONVERSION' ? between(90, 1200) : between(4, 240);
        const r = rand();
        if (r < 0.55) [hangupBy, hangupCause] = ['CALLER', 'NORMAL_CLEARING'];
        else if (r < 0.92) [hangupBy, hangupCause] = ['TARGET', 'NORMAL_CLEARING'];
        else if (r < 0.96) [hangupBy, hangupCause] = ['SYSTEM', 'MAX_DURATION_REACHED'];
        else [hangupBy, hangupCause] = ['CALLER', null];
        break;
      }
      default: {
        durationSeconds = between(0, 35);
        const r = rand();
        if (r < 0.35) [hangupBy, hangupCause] = ['SYSTEM', 'NO_ANSWER'];
        else if (r < 0.6) [hangupBy, hangupCause] = ['SYSTEM', 'USER_BUSY'];
        else if (r < 0.75) [hangupBy, hangupCause] = ['SYSTEM', 'NO_ROUTE_DESTINATION'];
        else [hangupBy, hangupCause] = ['CALLER', 'ORIGINATOR_CANCEL'];
      }
    }

    // 5.00 to 80.00 in quarter steps, the way buyers price calls.
    const payoutMinor = between(20, 320) * 25;
    calls.push({
      id: demoCallId(n),
      buyerId: campaign.buyerId,
      campaignId: campaign.id,
      startedAt: new Date(startedMs).toISOString(),
      callerId: `+1${pick(AREA_CODES)}5550${String(between(100, 199))}`,
      destination: campaign.destination,
      payout: formatMinor(payoutMinor),
      durationSeconds,
      status,
      hangupBy,
      hangupCause,
      recordingPath: null,
    });
  }

  // Recordings on a few converted calls of each buyer, inside and past their windows.
  const campaignById = new Map(CAMPAIGNS.map((c) => [c.id, c]));
  const inWindow = (c: FixtureCall) => {
    const campaign = campaignById.get(c.campaignId) as DemoCampaign;
    return windowEndsAt(new Date(c.startedAt), campaignWindowHours(campaign)).getTime() > nowMs;
  };
  const converted = (buyerId: string, open: boolean) =>
    calls.filter(
      (c) =>
        c.buyerId === buyerId && c.status === 'COMPLETED_WITH_CONVERSION' && inWindow(c) === open,
    );
  markDuplicateCalls(calls, converted(DEMO_IDS.accounts.acme, true));

  const withRecording = [
    converted(DEMO_IDS.accounts.acme, true)[0],
    converted(DEMO_IDS.accounts.acme, true)[1],
    converted(DEMO_IDS.accounts.acme, false)[0],
    converted(DEMO_IDS.accounts.globex, true)[0],
  ].filter((c): c is FixtureCall => c !== undefined);
  const tones = [
    { frequencyHz: 440, seconds: 1 },
    { frequencyHz: 523.25, seconds: 1.5 },
    { frequencyHz: 659.25, seconds: 2 },
    { frequencyHz: 392, seconds: 1 },
  ];
  const recordings = withRecording.map((c, i) => ({
    callId: c.id,
    bytes: sineWav(tones[i % tones.length] ?? { frequencyHz: 440, seconds: 1 }),
    contentType: 'audio/wav',
  }));

  return {
    fixture: {
      accounts: ACCOUNTS.map((a) => ({ ...a })),
      users: USERS.map((u) => ({ ...u, permissions: [...u.permissions] })),
      campaigns: CAMPAIGNS.map((c) => ({
        id: c.id,
        name: c.name,
        disputeWindowHours: c.disputeWindowHours,
      })),
      calls,
    },
    recordings,
  };
}

export interface DemoUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  accountId: string | null;
  /** The buyer account's name; null for managers. */
  accountName: string | null;
  permissions: Permission[];
}

/** The demo users, for printing a token per user. */
export function demoUsers(): DemoUser[] {
  const accountName = new Map(ACCOUNTS.map((a) => [a.id, a.name]));
  return USERS.map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    accountId: u.accountId,
    accountName: u.accountId ? (accountName.get(u.accountId) ?? null) : null,
    permissions: [...u.permissions],
  }));
}

/**
 * Acme's disputes on six calls (five pending, one of them with a conversation; one partially
 * accepted; one call disputed again after a withdrawn dispute) and two of Globex: one overdue,
 * one accepted and then reopened by Max (pending again, its payout back).
 */
const DEMO_DISPUTES: DemoDisputePlan[] = [
  // The two oldest PENDING ones are the playground's withdrawal and comment examples
  // (demo-playground.ts); the newer three are its decision examples.
  {
    accountId: DEMO_IDS.accounts.acme,
    buyerId: DEMO_IDS.users.ann,
    reason: 'CALL_NOT_CONNECTED',
    additionalInfo: 'The line stayed silent; no one answered.',
  },
  {
    accountId: DEMO_IDS.accounts.acme,
    buyerId: DEMO_IDS.users.ann,
    reason: 'DID_NOT_MEET_QUALIFICATION',
    additionalInfo: 'The caller already has a policy with us.',
    comments: [
      {
        authorId: DEMO_IDS.users.max,
        authorRole: 'MANAGER',
        visibility: 'SHARED',
        body: 'Did the caller say which company holds the policy?',
      },
      {
        authorId: DEMO_IDS.users.max,
        authorRole: 'MANAGER',
        visibility: 'INTERNAL',
        body: "Second claim like this from Acme this week; check the campaign's qualifying questions.",
      },
      {
        authorId: DEMO_IDS.users.ann,
        authorRole: 'BUYER',
        visibility: 'SHARED',
        body: 'Yes, at 0:40 in the recording: they have been insured with us since 2023.',
      },
    ],
  },
  {
    accountId: DEMO_IDS.accounts.acme,
    buyerId: DEMO_IDS.users.ann,
    reason: 'CALLER_HUNG_UP_IMMEDIATELY',
    additionalInfo: null,
    acceptedPartially: {
      managerId: DEMO_IDS.users.max,
      adjustmentMinor: 500,
      comment: 'The caller stayed long enough to qualify for part of the payout.',
    },
  },
  {
    accountId: DEMO_IDS.accounts.acme,
    buyerId: DEMO_IDS.users.ann,
    reason: 'DUPLICATE_CALL',
    additionalInfo: 'Same caller twice within ten minutes.',
  },
  {
    accountId: DEMO_IDS.accounts.acme,
    buyerId: DEMO_IDS.users.ann,
    reason: 'OTHER',
    additionalInfo: 'Wrong state: the caller lives outside our licensed area.',
    // Ann first sent it as a technical issue, withdrew it and sent it again: rule 12.
    withdrawnFirst: {
      reason: 'TECHNICAL_ISSUES',
      additionalInfo: 'No audio for the first minute.',
    },
  },
  {
    accountId: DEMO_IDS.accounts.acme,
    buyerId: DEMO_IDS.users.ann,
    reason: 'INVALID_CALLER',
    additionalInfo: 'The caller asked for a different company.',
  },
  {
    accountId: DEMO_IDS.accounts.globex,
    buyerId: DEMO_IDS.users.gina,
    reason: 'DID_NOT_MEET_QUALIFICATION',
    additionalInfo: 'Renter, not a homeowner.',
    // Past its review deadline: overdueDisputesCount, `filter: { overdue: true }` (rule 14).
    sentHoursAgo: 50,
  },
  {
    accountId: DEMO_IDS.accounts.globex,
    buyerId: DEMO_IDS.users.gina,
    reason: 'CALLER_HUNG_UP_IMMEDIATELY',
    additionalInfo: 'The caller hung up before the agent answered.',
    // Rule 20: decided, then taken back; Gina gets DISPUTE_RESOLVED, then DISPUTE_REOPENED.
    acceptedThenReopened: {
      managerId: DEMO_IDS.users.max,
      comment: 'The call lasted 4 seconds; refunded in full.',
      reason: 'The campaign log shows a 95-second call; the short recording was cut off.',
    },
  },
];

/**
 * Loads the demo data through the regular import (one transaction, idempotent). Recordings go
 * to the object store when there is one; without a store the calls simply have none.
 */
export async function applyDemoData(
  ds: DataSource,
  store: ObjectStore | null,
  now: Date = new Date(),
): Promise<DemoUser[]> {
  await applyDemoDataWithSummary(ds, store, now);
  return demoUsers();
}

/** Same as applyDemoData, also returning what the import did. */
export async function applyDemoDataWithSummary(
  ds: DataSource,
  store: ObjectStore | null,
  now: Date = new Date(),
): Promise<{ users: DemoUser[]; summary: ImportSummary }> {
  const { fixture, recordings } = buildDemoFixture(now);
  const summary = await importFixture(ds, store, fixture, { recordings: store ? recordings : [] });
  // Once only, so that applying the demo again stays idempotent.
  const disputed = (await ds.query('SELECT 1 FROM disputes WHERE buyer_id = ANY($1) LIMIT 1', [
    ACCOUNTS.map((a) => a.id),
  ])) as unknown[];
  if (disputed.length === 0) await seedDemoDisputes(ds, DEMO_DISPUTES, now);
  await seedDemoTableSettings(ds, DEMO_IDS.users.ann, now);
  return { users: demoUsers(), summary };
}
