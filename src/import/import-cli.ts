import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { ObjectStore } from '../platform/object-store';
import { ImportError, parseFixture } from './fixture';
import { importFixture } from './import.service';
import type { ImportSummary } from './import-write';

/** Where in the text a JSON.parse failure happened, as "line L, column C" when Node tells. */
function jsonErrorLocation(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const at = /position (\d+)/.exec(message);
  if (!at?.[1]) return message;
  const position = Number(at[1]);
  const before = text.slice(0, position).split('\n');
  const line = before.length;
  const column = (before[before.length - 1]?.length ?? 0) + 1;
  return `${message} (line ${line}, column ${column})`;
}

/**
 * `npm run import -- FILE.json`: reads and validates the file, then upserts it in one
 * transaction. Relative `recordingPath`s are resolved against the file's own folder.
 * Any refusal is an ImportError whose message names the record and field; nothing is written.
 */
export async function runImport(
  ds: DataSource,
  store: ObjectStore | null,
  filePath: string,
): Promise<ImportSummary> {
  const file = path.resolve(filePath);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ImportError(
      `${filePath}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(err)})`}`,
    );
  }
  text = text.replace(/^\uFEFF/, '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ImportError(`${filePath}: not valid JSON: ${jsonErrorLocation(text, err)}`);
  }
  const fixture = parseFixture(json);
  return importFixture(ds, store, fixture, { baseDir: path.dirname(file) });
}
