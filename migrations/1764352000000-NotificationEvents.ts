import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A notification names the dispute event it announces (`event_id`: the history row's ID where
 * the event has one), and the live event of that dispute event carries the same ID, so an
 * instance sends subscribers the notifications of that event and no earlier ones of the same
 * kind and dispute. Notifications written before have none.
 */
export class NotificationEvents1764352000000 implements MigrationInterface {
  name = 'NotificationEvents1764352000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN event_id uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications DROP COLUMN event_id`);
  }
}
