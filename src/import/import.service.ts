import type { DataSource } from 'typeorm';
import type { ObjectStore } from '../platform/object-store';
import { parseFixture, type Fixture } from './fixture';
import { planImport } from './import-plan';
import { writeImport, type ImportSummary } from './import-write';
import { planRecordings, type ImportOptions } from './recording-plan';

/**
 * Upserts a fixture in one transaction. Everything that can be checked is checked before the
 * first write (files, then references and email collisions against the database; see
 * import-plan.ts), so a bad file is refused whole. Rows whose values already match are not
 * touched, so a second run of the same file changes nothing (import-write.ts).
 */

/** Serializes concurrent imports, so what the plan found still holds when the writes run. */
const IMPORT_LOCK = `SELECT pg_advisory_xact_lock(hashtext('disputes-api:import'))`;

export async function importFixture(
  ds: DataSource,
  store: ObjectStore | null,
  fixture: Fixture,
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  // Re-validate: callers may build a Fixture in code, and the invariants (unique ids, roles)
  // are what the SQL relies on.
  const checked = parseFixture(fixture);
  // Files are read before the transaction opens, so no lock waits on the disk.
  const recordings = await planRecordings(checked, store, opts);

  const qr = ds.createQueryRunner();
  await qr.connect();
  try {
    await qr.startTransaction();
    await qr.query(IMPORT_LOCK);
    const plan = await planImport(qr, checked, recordings);
    const summary = await writeImport(qr, store, plan);
    await qr.commitTransaction();
    return summary;
  } catch (err) {
    if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
    throw err;
  } finally {
    await qr.release();
  }
}
