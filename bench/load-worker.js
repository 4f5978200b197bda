// The load generator of `npm run bench`, in a process of its own so that it never shares an event
// loop with the servers it measures. Forked by bench/run.js; each IPC message is one autocannon run:
//   { id, url, token, connections, seconds, body }                       the same body every time
//   { id, url, token, connections, seconds, query, note, callIds }       createDispute, one call each
// and the answer is { id, result } (or { id, error }).
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
  if (job.callIds) {
    // Every request disputes a call of its own; running out would turn into errors, counted below.
    delete opts.body;
    opts.requests = [
      {
        setupRequest(req) {
          const callId = job.callIds[next++ % job.callIds.length];
          return {
            ...req,
            body: JSON.stringify({ query: job.query, variables: { callId, note: job.note } }),
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
