import { registerEventEffect } from '../disputes/dispute-fan-out';
import { publishDisputeEvent } from '../notifications/live-events';
import { notifyDisputeEvent } from '../notifications/notification.service';
import { queueDisputeEvent } from '../webhooks/webhook-events';

/**
 * The features that consume dispute events, registered with the one fan-out
 * (disputes/dispute-fan-out.ts) at start, so that disputes depends on none of them. Every
 * process that writes disputes (the API, the command line) calls this first; the fan-out
 * refuses an event while a step is missing.
 */
export function registerDisputeEffects(): void {
  registerEventEffect('notifications', notifyDisputeEvent);
  registerEventEffect('webhooks', queueDisputeEvent);
  registerEventEffect('live', publishDisputeEvent);
}
