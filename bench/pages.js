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

// "Wide": every field a column of the table settings shows (the contract's rule 18: STATUS,
// CALL_DATE, CALLER_ID, DESTINATION, PAYOUT, ORIGINAL_PAYOUT, CURRENCY, REASON, RECORDING, BUYER
// for managers, CAMPAIGN, CREATED_AT, REVIEW_DUE_AT, DECISION, ADJUSTMENT, DECIDED_AT, DISPUTE_ID,
// CALL_ID; the Call Log's also DURATION, HANGUP and DISPUTABILITY, STATUS being the call's).

const BUYER_DISPUTES_WIDE = `query BuyerDisputesWide($first: Int) {
  disputes(first: $first) {
    nodes {
      id status reason createdAt reviewDueAt
      call {
        id startedAt callerId destination
        payout { amount currency } originalPayout { amount currency }
        recording { contentType } campaign { name }
      }
      decision { outcome adjustment { amount currency } decidedAt }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const PENDING_DISPUTES_WIDE = `query PendingDisputesWide($first: Int) {
  disputes(first: $first, filter: { status: [PENDING] }) {
    nodes {
      id status reason createdAt reviewDueAt
      call {
        id startedAt callerId destination
        payout { amount currency } originalPayout { amount currency }
        recording { contentType } campaign { name }
      }
      buyer { name }
      decision { outcome adjustment { amount currency } decidedAt }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const CALL_LOG_WIDE = `query CallLogWide($first: Int) {
  calls(first: $first) {
    nodes {
      id startedAt callerId destination durationSeconds status
      payout { amount currency } originalPayout { amount currency }
      hangup { by cause } campaign { name } recording { contentType }
      disputability { allowed blockedBy windowEndsAt }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** What each column of the table settings selects, as paths from the row. */
const DISPUTES_COLUMNS = {
  STATUS: ['status'],
  CALL_DATE: ['call.startedAt'],
  CALLER_ID: ['call.callerId'],
  DESTINATION: ['call.destination'],
  PAYOUT: ['call.payout.amount', 'call.payout.currency'],
  ORIGINAL_PAYOUT: ['call.originalPayout.amount', 'call.originalPayout.currency'],
  CURRENCY: ['call.payout.currency'],
  REASON: ['reason'],
  RECORDING: ['call.recording.contentType'],
  BUYER: ['buyer.name'],
  CAMPAIGN: ['call.campaign.name'],
  CREATED_AT: ['createdAt'],
  REVIEW_DUE_AT: ['reviewDueAt'],
  DECISION: ['decision.outcome'],
  ADJUSTMENT: ['decision.adjustment.amount', 'decision.adjustment.currency'],
  DECIDED_AT: ['decision.decidedAt'],
  DISPUTE_ID: ['id'],
  CALL_ID: ['call.id'],
};
const CALL_LOG_COLUMNS = {
  CALL_DATE: ['startedAt'],
  CALLER_ID: ['callerId'],
  DESTINATION: ['destination'],
  PAYOUT: ['payout.amount', 'payout.currency'],
  ORIGINAL_PAYOUT: ['originalPayout.amount', 'originalPayout.currency'],
  CURRENCY: ['payout.currency'],
  STATUS: ['status'],
  DURATION: ['durationSeconds'],
  HANGUP: ['hangup.by', 'hangup.cause'],
  CAMPAIGN: ['campaign.name'],
  RECORDING: ['recording.contentType'],
  DISPUTABILITY: ['disputability.allowed', 'disputability.blockedBy', 'disputability.windowEndsAt'],
  BUYER: ['buyer.name'],
  CALL_ID: ['id'],
};

/** A selection set from paths (`call.payout.amount`), fields in the order first named. */
function selectionOf(paths) {
  const tree = new Map();
  for (const path of paths) {
    let node = tree;
    for (const name of path.split('.')) {
      if (!node.has(name)) node.set(name, new Map());
      node = node.get(name);
    }
  }
  const render = (node) =>
    [...node].map(([name, sub]) => (sub.size ? `${name} { ${render(sub)} }` : name)).join(' ');
  return render(tree);
}

/** A small seeded generator (mulberry32): the same seed draws the same columns. */
function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A page of each kind showing a random subset of the columns its viewer may show (at least one,
 * and the row's id, which a table keys its rows by), each column's fields as a frontend would
 * ask for them, in a random order.
 */
function randomPages(random) {
  const draw = (columns) => {
    const names = Object.keys(columns)
      .map((c) => [random(), c])
      .sort((x, y) => x[0] - y[0])
      .map(([, c]) => c);
    return names.slice(0, 1 + Math.floor(random() * names.length));
  };
  const withoutBuyer = (columns) =>
    Object.fromEntries(Object.entries(columns).filter(([c]) => c !== 'BUYER'));
  const kinds = [
    {
      key: 'buyer-disputes',
      user: BUYER,
      root: 'disputes(first: $first)',
      columns: withoutBuyer(DISPUTES_COLUMNS),
      id: 'id',
    },
    {
      key: 'pending-disputes',
      user: MANAGER,
      root: 'disputes(first: $first, filter: { status: [PENDING] })',
      columns: DISPUTES_COLUMNS,
      id: 'id',
    },
    {
      key: 'call-log',
      user: BUYER,
      root: 'calls(first: $first)',
      columns: withoutBuyer(CALL_LOG_COLUMNS),
      id: 'id',
    },
  ];
  return kinds.map((k) => {
    const drawn = draw(k.columns);
    const query = `query Random($first: Int) { ${k.root} { nodes { ${selectionOf([k.id, ...drawn.flatMap((c) => k.columns[c])])} } pageInfo { hasNextPage endCursor } } }`;
    return {
      key: `${k.key}-random`,
      narrow: k.key,
      user: k.user,
      columns: drawn,
      body: JSON.stringify({ query, variables: { first: 50 } }),
    };
  });
}

const CREATE_DISPUTE = `mutation CreateDispute($callId: ID!, $note: String) {
  createDispute(input: { callId: $callId, reason: INVALID_CALLER, additionalInfo: $note }) {
    id status reason additionalInfo createdAt
  }
}`;

// The desk (bench/desk.js): table settings read and saved, and a decision reopened.

const TABLE_SETTINGS = `query TableSettings {
  viewer {
    tableSettings(table: DISPUTES) {
      table columns pageSize disputeOrder { field direction } version updatedAt
    }
  }
}`;

const SAVE_TABLE_SETTINGS = `mutation SaveTableSettings($input: SaveTableSettingsInput!) {
  saveTableSettings(input: $input) {
    table columns pageSize disputeOrder { field direction } version updatedAt
  }
}`;

const REOPEN_DISPUTE = `mutation ReopenDispute($disputeId: ID!, $reason: String!) {
  reopenDispute(input: { disputeId: $disputeId, reason: $reason }) {
    id status reviewDueAt decision { outcome }
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

/** The same pages showing every column their viewer may show: each checked against the twin too. */
const WIDE_PAGES = [
  {
    key: 'buyer-disputes-wide',
    name: "buyer's Disputes page, every column",
    user: BUYER,
    body: JSON.stringify({ query: BUYER_DISPUTES_WIDE, variables: { first: 50 } }),
  },
  {
    key: 'pending-disputes-wide',
    name: "manager's PENDING disputes, every column",
    user: MANAGER,
    body: JSON.stringify({ query: PENDING_DISPUTES_WIDE, variables: { first: 50 } }),
  },
  {
    key: 'call-log-wide',
    name: "buyer's Call Log, every column",
    user: BUYER,
    body: JSON.stringify({ query: CALL_LOG_WIDE, variables: { first: 50 } }),
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
  BUYER_DISPUTES_WIDE,
  PENDING_DISPUTES_WIDE,
  CALL_LOG_WIDE,
  CREATE_DISPUTE,
  TABLE_SETTINGS,
  SAVE_TABLE_SETTINGS,
  REOPEN_DISPUTE,
  PAGES,
  WIDE_PAGES,
  randomPages,
  seededRandom,
};
