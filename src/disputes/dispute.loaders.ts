import { In, type DataSource } from 'typeorm';
import { groupLoader } from '../platform/loaders';
import { DISPUTE_EVENT_COLUMNS, disputeEventRowMapper } from './dispute-event.entity';
import { EvidenceEntity } from '../evidence/evidence.entity';

// A creation and its automatic decision share an instant (rule 15): CREATED sorts first.
const EVENTS_OF_DISPUTES = `SELECT ${DISPUTE_EVENT_COLUMNS.join(', ')} FROM dispute_events
  WHERE dispute_id = ANY ($1::uuid[])
  ORDER BY at ASC, (status_before IS NOT NULL) ASC, id ASC`;
const eventOf = disputeEventRowMapper('');

export function createDisputeLoaders(ds: DataSource) {
  return {
    /** The audit trail of a dispute, oldest first. */
    eventsOfDispute: groupLoader(
      async (ids) =>
        ((await ds.query(EVENTS_OF_DISPUTES, [ids])) as Record<string, unknown>[]).map(eventOf),
      (e) => e.disputeId,
    ),
    evidenceOfDispute: groupLoader(
      (ids) =>
        ds.getRepository(EvidenceEntity).find({
          where: { disputeId: In(ids) },
          order: { boundAt: 'ASC', id: 'ASC' },
        }),
      (e) => e.disputeId as string,
    ),
  };
}

declare module '../platform/context' {
  interface Loaders extends ReturnType<typeof createDisputeLoaders> {}
}
