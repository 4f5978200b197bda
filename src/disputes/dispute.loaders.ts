import { In, type DataSource } from 'typeorm';
import { groupLoader } from '../platform/loaders';
import { DisputeEventEntity } from './dispute-event.entity';
import { EvidenceEntity } from '../evidence/evidence.entity';

export function createDisputeLoaders(ds: DataSource) {
  return {
    /** The audit trail of a dispute, oldest first. */
    eventsOfDispute: groupLoader(
      (ids) =>
        ds.getRepository(DisputeEventEntity).find({
          where: { disputeId: In(ids) },
          order: { at: 'ASC', id: 'ASC' },
        }),
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
