import type { DataSource } from 'typeorm';
import { loadViewer } from '../auth/viewer';
import { withTransaction } from '../platform/transaction';
import { checkChoice } from '../settings/table-settings-rules';
import { writeOwnSettings } from '../settings/table-settings-queries';

/**
 * A demo buyer's saved Disputes page (rule 18; Ann's in the demo), so the playground's
 * settings tab shows a saved one beside the defaults of the Call Log: the review deadline as a
 * column, 50 rows per page, newest disputes first. Written as the buyer's own row through the
 * settings' own statement, only while it has none (expectedVersion 0), so applying the demo
 * again changes nothing; like every fixture it announces nothing. Called by applyDemoData
 * once the users exist.
 */
export async function seedDemoTableSettings(
  ds: DataSource,
  buyerId: string,
  now: Date,
): Promise<void> {
  const buyer = await loadViewer(ds, buyerId);
  if (!buyer) return;
  const choice = checkChoice('DISPUTES', buyer.role, {
    columns: ['STATUS', 'CALL_DATE', 'CALLER_ID', 'PAYOUT', 'REASON', 'REVIEW_DUE_AT', 'RECORDING'],
    pageSize: 50,
    disputeOrder: { field: 'CREATED_AT', direction: 'DESC' },
  });
  await withTransaction(ds, (em) => writeOwnSettings(em, buyer, 'DISPUTES', choice, 0, now));
}
