// The operations the side-by-side benchmark sends, word for word, to the API and to its
// hand-written twin (bench/twin-server.js), and the seeded users that send them.

const BUYER_ACCOUNT = 'a0000000-0000-4000-8000-00000000000a';
const BUYER = 'a1000000-0000-4000-8000-00000000000a';
const MANAGER = 'c1000000-0000-4000-8000-00000000000c';
/** A buyer account of its own for createDispute, so the writes never change the read pages. */
const WRITER_ACCOUNT = 'd0000000-0000-4000-8000-00000000000d';
const WRITER = 'd1000000-0000-4000-8000-00000000000d';

const BUYER_DISPUTES = `query BuyerDisputes($first: Int) {
  disputes(first: $first) {
    nodes {
      id status reason createdAt
      call { id startedAt callerId status payout { amount currency } campaign { id name } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const PENDING_DISPUTES = `query PendingDisputes($first: Int) {
  disputes(first: $first, filter: { status: [PENDING] }) {
    nodes {
      id status reason createdAt
      call { id startedAt callerId payout { amount currency } }
      buyer { id name }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const CALL_LOG = `query CallLog($first: Int, $after: String) {
  calls(first: $first, after: $after) {
    nodes {
      id startedAt callerId destination durationSeconds status
      payout { amount currency }
      campaign { name }
      disputability { allowed blockedBy windowEndsAt }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const CREATE_DISPUTE = `mutation CreateDispute($callId: ID!, $note: String) {
  createDispute(input: { callId: $callId, reason: INVALID_CALLER, additionalInfo: $note }) {
    id status reason additionalInfo createdAt
  }
}`;

/** The three pages of 50 rows, each as the one request body both servers get. */
const PAGES = [
  {
    key: 'buyer-disputes',
    name: "buyer's Disputes page, with call and campaign",
    user: BUYER,
    body: JSON.stringify({ query: BUYER_DISPUTES, variables: { first: 50 } }),
  },
  {
    key: 'pending-disputes',
    name: "manager's PENDING disputes, with call and buyer",
    user: MANAGER,
    body: JSON.stringify({ query: PENDING_DISPUTES, variables: { first: 50 } }),
  },
  {
    key: 'call-log',
    name: "buyer's Call Log with disputability",
    user: BUYER,
    body: JSON.stringify({ query: CALL_LOG, variables: { first: 50 } }),
  },
];

module.exports = {
  BUYER_ACCOUNT,
  BUYER,
  MANAGER,
  WRITER_ACCOUNT,
  WRITER,
  BUYER_DISPUTES,
  PENDING_DISPUTES,
  CALL_LOG,
  CREATE_DISPUTE,
  PAGES,
};
