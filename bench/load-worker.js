// The load generator of `npm run bench`, in a process of its own so that it never shares an event
// loop with the servers it measures. Forked by bench/run.js and bench/desk.js; each IPC message
// is one autocannon run:
//   { id, url, token, connections, seconds, body }                       the same body every time
//   { id, url, token, connections, seconds, query, note, callIds }       createDispute, one call each
//   { id, url, token, connections, seconds, query, items, bump }         one item's variables each
// An item is { variables, token? } (its own token, or the job's); the items go round in order.
// Without `bump` an item sent again is a repeat (a call disputed twice: an error, counted); with
// it, the field of `variables.input` it names goes up by 1 each time its item comes round (a
// save's expectedVersion: with many more items than connections, an item's previous request has
// been answered long before it comes round again).
// The answer is { id, result } (or { id, error }).
const autocannon = require('autocannon');

function run(job) {
  const headers = {
    'content-type': 'application/json',
    authorization: `Bearer ${job.token}`,
  };
  const opts = {
    url: job.url,
    method: 'POST',
    connections: job.connections,
    duration: job.seconds,
    headers,
    body: job.body,
  };
  let graphqlErrors = 0;
  let next = 0;
  // createDispute's calls as items: every request disputes a call of its own.
  const items =
    job.items ?? job.callIds?.map((callId) => ({ variables: { callId, note: job.note } }));
  if (items) {
    delete opts.body;
    opts.requests = [
      {
        setupRequest(req) {
          const n = next++;
          const item = items[n % items.length];
          let { variables } = item;
          if (job.bump && n >= items.length) {
            const input = variables.input;
            variables = { ...variables, input: { ...input, [job.bump]: input[job.bump] + 1 } };
            item.variables = variables;
          }
          return {
            ...req,
            headers: item.token ? { ...headers, authorization: `Bearer ${item.token}` } : headers,
            body: JSON.stringify({ query: job.query, variables }),
          };
        },
        onResponse(status, body) {
          if (status !== 200 || body.includes('"errors"')) graphqlErrors += 1;
        },
      },
    ];
  }
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, r) => {
      if (err) return reject(err);
      resolve({
        requests: r.requests.total,
        seconds: r.duration,
        rps: r.requests.total / r.duration,
        p50: r.latency.p50,
        p99: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors + r.timeouts,
        graphqlErrors,
        sent: next,
      });
    });
  });
}

process.on('message', (job) => {
  run(job).then(
    (result) => process.send({ id: job.id, result }),
    (err) => process.send({ id: job.id, error: String(err?.stack ?? err) }),
  );
});
process.on('disconnect', () => process.exit(0));
