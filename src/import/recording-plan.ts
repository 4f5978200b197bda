import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { verifyContent, type ReadRange } from '../evidence/evidence-content';
import type { ObjectStore } from '../platform/object-store';
import { describeRecord, type Fixture } from './fixture';

/**
 * The recordings of an import, checked before anything is written: each `recordingPath` must
 * be a readable, non-empty file whose bytes are of the type its extension names, and each
 * in-memory recording must belong to a call of the fixture. Types are told from the bytes by
 * the same check evidence goes through (file-type, after any ID3v2 tags).
 */

/** A recording supplied as bytes rather than a file path (demo data, tests). */
export interface InMemoryRecording {
  callId: string;
  bytes: Buffer;
  contentType: string;
}

export interface ImportOptions {
  /** Where relative `recordingPath`s are resolved; the current directory when absent. */
  baseDir?: string;
  recordings?: readonly InMemoryRecording[];
}

const RECORDING_CONTENT_TYPES = {
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
} as const;

type RecordingContentType = (typeof RECORDING_CONTENT_TYPES)[keyof typeof RECORDING_CONTENT_TYPES];

const isRecordingContentType = (type: string): type is RecordingContentType =>
  (Object.values(RECORDING_CONTENT_TYPES) as string[]).includes(type);

/** The object key of a call's recording: one per call, so a re-import overwrites it. */
export function recordingKey(callId: string): string {
  return `recordings/${callId}`;
}

export interface PlannedRecording {
  callId: string;
  contentType: RecordingContentType;
  durationSeconds: number | null;
  source: { file: string; size: number } | { bytes: Buffer };
}

/** Enough of a WAV file to reach its data chunk past the usual LIST/fact chunks. */
const WAV_HEADER_BYTES = 64 * 1024;

/**
 * Whole seconds of a PCM/RIFF WAV from its header (fmt byte rate, data chunk size), or null when
 * the header cannot tell. `totalSize` caps a data chunk that claims more than the file holds.
 */
export function wavDurationSeconds(head: Buffer, totalSize = head.length): number | null {
  if (head.length < 12 || head.toString('latin1', 0, 4) !== 'RIFF') return null;
  if (head.toString('latin1', 8, 12) !== 'WAVE') return null;
  let offset = 12;
  let byteRate = 0;
  while (offset + 8 <= head.length) {
    const id = head.toString('latin1', offset, offset + 4);
    const size = head.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 20 <= head.length) byteRate = head.readUInt32LE(offset + 16);
    if (id === 'data') {
      if (!byteRate) return null;
      const available = Math.max(0, totalSize - (offset + 8));
      return Math.round(Math.min(size, available) / byteRate);
    }
    offset += 8 + size + (size % 2);
  }
  return null;
}

/**
 * Whether `size` bytes read through `read` are audio of `contentType`, and if so their duration
 * (WAV only; other formats would need decoding). Null when they are not that audio.
 */
async function inspectAudio(
  contentType: RecordingContentType,
  size: number,
  read: ReadRange,
): Promise<{ durationSeconds: number | null } | null> {
  if (size === 0 || !(await verifyContent(contentType, size, read)).ok) return null;
  if (contentType !== 'audio/wav') return { durationSeconds: null };
  return {
    durationSeconds: wavDurationSeconds(await read(0, Math.min(size, WAV_HEADER_BYTES)), size),
  };
}

async function inspectAudioFile(
  file: string,
  contentType: RecordingContentType,
  size: number,
): Promise<{ durationSeconds: number | null } | null> {
  const handle = await open(file, 'r');
  try {
    return await inspectAudio(contentType, size, async (start, length) => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buf, 0, length, start);
      return buf.subarray(0, bytesRead);
    });
  } finally {
    await handle.close();
  }
}

/** Checks every recording before anything is written; returns the plan and the problems. */
export async function planRecordings(
  fixture: Fixture,
  store: ObjectStore | null,
  opts: ImportOptions,
): Promise<{ planned: PlannedRecording[]; problems: string[] }> {
  const planned: PlannedRecording[] = [];
  const problems: string[] = [];
  const baseDir = opts.baseDir ?? process.cwd();

  for (const [i, call] of fixture.calls.entries()) {
    if (call.recordingPath === null) continue;
    const where = `${describeRecord('calls', i, call.id)}: recordingPath`;
    if (!store) {
      problems.push(`${where}: no object store is configured to hold recordings`);
      continue;
    }
    const file = path.resolve(baseDir, call.recordingPath);
    const ext = path.extname(file).toLowerCase();
    const contentType = RECORDING_CONTENT_TYPES[ext as keyof typeof RECORDING_CONTENT_TYPES];
    if (!contentType) {
      problems.push(`${where}: ${file}: unsupported file type (expected .mp3, .wav or .ogg)`);
      continue;
    }
    let size: number;
    try {
      const st = await stat(file);
      if (!st.isFile()) {
        problems.push(`${where}: ${file} is not a file`);
        continue;
      }
      size = st.size;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      problems.push(
        `${where}: ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? 'error'})`}`,
      );
      continue;
    }
    if (size === 0) {
      problems.push(`${where}: ${file} is empty`);
      continue;
    }
    let audio: { durationSeconds: number | null } | null;
    try {
      audio = await inspectAudioFile(file, contentType, size);
    } catch (err) {
      problems.push(
        `${where}: ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
      continue;
    }
    if (!audio) {
      problems.push(`${where}: ${file} does not look like ${ext.slice(1).toUpperCase()} audio`);
      continue;
    }
    planned.push({ callId: call.id, contentType, ...audio, source: { file, size } });
  }

  const callIds = new Set(fixture.calls.map((c) => c.id));
  const fromFiles = new Set(planned.map((p) => p.callId));
  const inMemorySeen = new Set<string>();
  for (const [i, rec] of (opts.recordings ?? []).entries()) {
    const where = `recordings[${i}] (call ${rec.callId})`;
    const callId = rec.callId.toLowerCase();
    const { contentType, bytes } = rec;
    if (!store) problems.push(`${where}: no object store is configured to hold recordings`);
    else if (!callIds.has(callId)) problems.push(`${where}: callId: no such call in the fixture`);
    else if (fromFiles.has(callId) || inMemorySeen.has(callId)) {
      problems.push(`${where}: callId: the call already has a recording in this import`);
    } else if (!isRecordingContentType(contentType)) {
      problems.push(`${where}: contentType: must be audio/mpeg, audio/wav or audio/ogg`);
    } else {
      const audio = await inspectAudio(contentType, bytes.length, async (start, length) =>
        bytes.subarray(start, start + length),
      );
      if (!audio) {
        problems.push(`${where}: bytes: not ${contentType} audio`);
        continue;
      }
      inMemorySeen.add(callId);
      planned.push({ callId, contentType, ...audio, source: { bytes } });
    }
  }
  return { planned, problems };
}
