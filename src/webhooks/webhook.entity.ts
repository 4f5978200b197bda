import { Column, Entity, PrimaryColumn } from 'typeorm';
import { rowMapper } from '../platform/columns';

import type { WebhookEventName } from '../disputes/dispute-events';

/**
 * The event kinds of rule 17, as they travel (payload `type`, Disputes-Event-Type header): one
 * per dispute event (disputes/dispute-events.ts).
 */
export { WEBHOOK_EVENT_NAMES, type WebhookEventName } from '../disputes/dispute-events';

export const WEBHOOK_DELIVERY_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

@Entity({ name: 'webhook_endpoints' })
export class WebhookEndpointEntity {
  @PrimaryColumn('uuid') id!: string;
  /** null: a platform endpoint, which receives every account's events. */
  @Column('uuid', { name: 'account_id', nullable: true }) accountId!: string | null;
  @Column('text') url!: string;
  @Column('text', { array: true }) events!: WebhookEventName[];
  /** The HMAC key, exactly as shown once at creation (SECURITY.md: how it is kept). */
  @Column('text') secret!: string;
  @Column('uuid', { name: 'created_by' }) createdById!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'deleted_at', nullable: true }) deletedAt!: Date | null;
}

@Entity({ name: 'webhook_deliveries' })
export class WebhookDeliveryEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'endpoint_id' }) endpointId!: string;
  @Column('uuid', { name: 'event_id' }) eventId!: string;
  @Column('text', { name: 'event_type' }) eventType!: WebhookEventName;
  /** The exact bytes sent (as UTF-8), the same on every attempt and redelivery. */
  @Column('text') body!: string;
  @Column('text') status!: WebhookDeliveryStatus;
  @Column('integer') attempts!: number;
  @Column('timestamptz', { name: 'last_attempt_at', nullable: true }) lastAttemptAt!: Date | null;
  @Column('integer', { name: 'last_response_status', nullable: true })
  lastResponseStatus!: number | null;
  /** When PENDING: when it is tried next; while an attempt runs, when its lease expires. */
  @Column('timestamptz', { name: 'next_attempt_at', nullable: true }) nextAttemptAt!: Date | null;
  /** Names the claim of the attempt running now; null when none runs. */
  @Column('uuid', { name: 'lease_id', nullable: true }) leaseId!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}

export const endpointRowMapper = rowMapper(WebhookEndpointEntity);
export const deliveryRowMapper = rowMapper(WebhookDeliveryEntity);
