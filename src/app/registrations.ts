import { registerEventEffect } from '../disputes/dispute-fan-out';
import { registerDisputabilityInCallLog } from '../disputes/disputability';
import { publishDisputeEvent, publishTableSettingsChange } from '../notifications/live-events';
import { notifyDisputeEvent } from '../notifications/notification.service';
import { queueDisputeEvent } from '../webhooks/webhook-events';
import { registerTableSettingsAnnouncer } from '../settings/table-settings.service';

/**
 * What features register with the features below them, at start, so that the lower one
 * depends on none of them (README "Layout"): the steps of the one fan-out of dispute events
 * (disputes/dispute-fan-out.ts; it refuses an event while a step is missing), disputability
 * in the Call Log (calls/call.service.ts; it refuses a `disputable` filter it cannot write) and
 * the live announcement of table settings (settings/table-settings.service.ts; it refuses a
 * save without one). Every process that reads or writes them (the API, the command line) calls
 * this first.
 */
export function registerFeatures(): void {
  registerDisputabilityInCallLog();
  registerEventEffect('notifications', notifyDisputeEvent);
  registerEventEffect('webhooks', queueDisputeEvent);
  registerEventEffect('live', publishDisputeEvent);
  registerTableSettingsAnnouncer(publishTableSettingsChange);
}
