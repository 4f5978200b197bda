// Verifies a Disputes API webhook (docs/webhooks.md): returns the event, or throws.
const crypto = require('node:crypto');
const { Buffer } = require('node:buffer');

const TOLERANCE_SECONDS = 5 * 60; // refuse old (replayed) or far-future timestamps

function verifyWebhook(secret, rawBody, signatureHeader, nowSeconds = Date.now() / 1000) {
  const fields = new Map(
    String(signatureHeader)
      .split(',')
      .map((kv) => kv.split('=', 2)),
  );
  const t = Number(fields.get('t'));
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > TOLERANCE_SECONDS) {
    throw new Error('Disputes-Signature: timestamp missing or outside the tolerance');
  }
  const expected = crypto.createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(fields.get('v1') ?? '', 'hex');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    throw new Error('Disputes-Signature: signature does not match');
  }
  return JSON.parse(rawBody); // deduplicate by event.id: delivery is at least once
}

module.exports = { verifyWebhook };
