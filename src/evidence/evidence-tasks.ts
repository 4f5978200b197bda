import type { Logger } from 'pino';
import type { Jobs } from '../platform/jobs';
import { sweepUnboundEvidence, type SweepDeps } from './evidence-sweep';

/** The unbound-evidence sweep's name as the job facility knows it. */
export const EVIDENCE_SWEEP_TASK = 'evidence.sweep-unbound';

/**
 * The evidence feature's background work, registered with the job facility: the sweep of
 * evidence never bound to a dispute, once an hour across all instances.
 */
export function registerEvidenceTasks(
  jobs: Jobs,
  deps: SweepDeps & { log: Logger },
  everyMs = 60 * 60 * 1000,
): void {
  jobs.periodic(EVIDENCE_SWEEP_TASK, {
    everyMs,
    async run({ signal }) {
      const removed = await sweepUnboundEvidence(deps, signal);
      if (removed) deps.log.info({ removed }, 'swept unbound evidence');
    },
  });
}
