import type { Jobs } from '../platform/jobs';
import { WebhookDeliveries } from './webhook-delivery';

/**
 * The webhooks feature's background work, registered with the job facility: every instance
 * delivers from the outbox (webhook-delivery.ts), at most WEBHOOK_CONCURRENCY attempts at once.
 */
export function registerWebhookTasks(
  jobs: Jobs,
  deps: ConstructorParameters<typeof WebhookDeliveries>[0],
): void {
  jobs.queue('webhook-deliveries', new WebhookDeliveries(deps));
}
