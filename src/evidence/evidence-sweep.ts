import { LessThan, IsNull } from 'typeorm';
import type { App } from '../platform/context';
import { EvidenceEntity } from './evidence.entity';

/** Deletes evidence never bound to a dispute once it is older than EVIDENCE_TTL_HOURS. */
export async function sweepUnboundEvidence(app: App): Promise<number> {
  const cutoff = new Date(app.now().getTime() - app.config.EVIDENCE_TTL_HOURS * 3_600_000);
  const repo = app.ds.getRepository(EvidenceEntity);
  const stale = await repo.find({ where: { disputeId: IsNull(), createdAt: LessThan(cutoff) }, take: 500 });
  let removed = 0;
  for (const e of stale) {
    await app.store.delete(e.objectKey).catch(() => undefined);
    // Only if still unbound: a createDispute may have bound it meanwhile.
    const res = await repo.delete({ id: e.id, disputeId: IsNull() });
    removed += res.affected ?? 0;
  }
  return removed;
}

export function startEvidenceSweep(app: App, everyMs = 60 * 60 * 1000): { stop(): void } {
  const run = () =>
    sweepUnboundEvidence(app)
      .then((n) => n && app.log.info({ removed: n }, 'swept unbound evidence'))
      .catch((err: unknown) => app.log.warn({ err }, 'evidence sweep failed'));
  const timer = setInterval(run, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
