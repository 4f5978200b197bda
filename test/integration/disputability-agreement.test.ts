import fc from 'fast-check';
import { CallDocument, CreateDisputeIdDocument } from '../generated/graphql';
import {
  closeDb,
  createWorld,
  insertCall,
  insertCampaign,
  insertDispute,
  type World,
} from '../support/seed';

/** createDispute's answer for each DisputeBlock: the action is offered exactly where the mutation succeeds. */
const EXPECTED_CODE: Record<string, string> = {
  NO_PERMISSION: 'FORBIDDEN',
  STATUS_NOT_DISPUTABLE: 'CALL_NOT_DISPUTABLE',
  WINDOW_EXPIRED: 'DISPUTE_WINDOW_EXPIRED',
  DISPUTE_PENDING: 'DISPUTE_ALREADY_ACTIVE',
  ALREADY_ADJUSTED: 'CALL_ALREADY_ADJUSTED',
};

let w: World;
let campaigns: Record<'none' | 'short' | 'long', string>;
beforeAll(async () => {
  w = await createWorld();
  campaigns = {
    none: w.ids.campaign,
    short: await insertCampaign({ windowHours: 24 }),
    long: await insertCampaign({ windowHours: 168 }),
  };
});
afterAll(closeDb);

it('Call.disputability and createDispute never disagree, over generated calls, histories and clocks', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        status: fc.constantFrom(
          'IN_PROGRESS',
          'COMPLETED_WITH_CONVERSION',
          'COMPLETED_NO_CONVERSION',
          'CALL_NOT_CONNECTED_WITH_CONVERSION',
          'CALL_NOT_CONNECTED_NO_CONVERSION',
        ),
        // How long before the server's clock the call started: around every window's edge.
        ageMinutes: fc.oneof(
          fc.integer({ min: 1, max: 200 * 60 }),
          fc.constantFrom(
            24 * 60 - 2,
            24 * 60 + 2,
            72 * 60 - 2,
            72 * 60 + 2,
            168 * 60 - 2,
            168 * 60 + 2,
          ),
        ),
        campaign: fc.constantFrom('none', 'short', 'long') as fc.Arbitrary<
          'none' | 'short' | 'long'
        >,
        history: fc.array(fc.constantFrom('PENDING', 'ACCEPTED', 'ACCEPTED_PARTIAL', 'REJECTED'), {
          maxLength: 3,
        }),
        user: fc.constantFrom('buyerA', 'buyerANoPerm') as fc.Arbitrary<'buyerA' | 'buyerANoPerm'>,
      }),
      async (c) => {
        const callId = await insertCall({
          buyerId: w.ids.accountA,
          campaignId: campaigns[c.campaign],
          status: c.status,
          startedAt: new Date(Date.now() - c.ageMinutes * 60_000),
        });
        // At most one PENDING dispute per call can exist: the database says so.
        const history = c.history.filter(
          (s, i) => s !== 'PENDING' || c.history.indexOf('PENDING') === i,
        );
        for (const status of history) {
          await insertDispute({
            callId,
            createdBy: w.ids.buyerA2,
            status,
            decidedBy: w.ids.editManager,
          });
        }
        const client = w.as[c.user];
        const { call } = await client.run(CallDocument, { id: callId });
        const res = await client.raw(CreateDisputeIdDocument, {
          input: { callId, reason: 'OTHER' },
        });
        if (call!.disputability.allowed) {
          expect(res.errors).toBeUndefined();
          expect(res.data?.createDispute.status).toBe('PENDING');
        } else {
          expect(res.errors?.[0]?.extensions?.code).toBe(
            EXPECTED_CODE[call!.disputability.blockedBy!],
          );
        }
      },
    ),
    { numRuns: 150 },
  );
});
