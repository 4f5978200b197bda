/**
 * What evidence may be, and whether stored bytes are what the client declared. The store
 * cannot be trusted to enforce the upload policy (the embedded one ignores it entirely), so
 * createDispute re-reads every object: its size, and its leading bytes.
 */

/** The contract's allow-list (rule 6). */
export const EVIDENCE_CONTENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'application/pdf',
  'text/plain',
  'audio/mpeg',
  'audio/wav',
  'audio/ogg',
] as const;
export type EvidenceContentType = (typeof EVIDENCE_CONTENT_TYPES)[number];

/** 25 MiB (rule 6); the evidence table's CHECK holds the same bound. */
export const MAX_EVIDENCE_BYTES = 25 * 1024 * 1024;

/**
 * Names browsers and sniffers give the allowed types. Declared types are stored under the
 * canonical name, and sniffed ones are compared under it.
 */
const ALIASES: Readonly<Record<string, EvidenceContentType>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  // APNG is PNG with extra chunks; every PNG reader shows its first frame.
  'image/apng': 'image/png',
  'image/x-png': 'image/png',
  'audio/mp3': 'audio/mpeg',
  'audio/mpeg3': 'audio/mpeg',
  'audio/x-mpeg-3': 'audio/mpeg',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/x-pn-wav': 'audio/wav',
  'application/x-pdf': 'application/pdf',
  // file-type names Ogg streams by codec; Vorbis, FLAC and Speex come back as audio/ogg.
  'audio/ogg; codecs=opus': 'audio/ogg',
  'audio/opus': 'audio/ogg',
  'audio/x-ogg': 'audio/ogg',
};

const ALLOWED = new Set<string>(EVIDENCE_CONTENT_TYPES);

/**
 * The canonical allowed type for a declared or sniffed MIME type, or null when it is not
 * allowed. Case and surrounding space are ignored; of parameters only text/plain's
 * `charset=utf-8` (or us-ascii) is accepted, as the text check below assumes UTF-8.
 */
export function canonicalContentType(raw: string): EvidenceContentType | null {
  const lowered = raw
    .trim()
    .toLowerCase()
    .replace(/\s*;\s*/g, '; ');
  const direct = ALIASES[lowered];
  if (direct) return direct;
  const [essence = '', ...params] = lowered.split('; ');
  if (params.length) {
    const utf8Text =
      essence === 'text/plain' &&
      params.every((p) => /^charset="?(utf-8|utf8|us-ascii)"?$/.test(p));
    if (!utf8Text) return null;
  }
  if (ALLOWED.has(essence)) return essence as EvidenceContentType;
  return ALIASES[essence] ?? null;
}

/** Bytes file-type needs to recognise every allowed binary type. */
export const SNIFF_BYTES = 4100;

/**
 * How much of a text/plain file is checked. Text evidence (notes, transcripts, logs) is small,
 * so in practice the whole file is read; past 1 MiB only the leading MiB is, which bounds the
 * work a createDispute with ten 25 MiB files can cause.
 */
export const TEXT_CHECK_BYTES = 1024 * 1024;

/**
 * True when `bytes` is UTF-8 text without NUL. `complete` says the bytes are the whole file;
 * otherwise a multi-byte character cut at the end of the sample is not held against it.
 */
export function isUtf8Text(bytes: Buffer, complete: boolean): boolean {
  if (bytes.includes(0)) return false;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    decoder.decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/**
 * Where the audio starts after any ID3v2 tags at the head of the file (0 when there are none).
 * Tags can be larger than any fixed sniffing window (cover art), so the sniffer skips them
 * itself and looks at the bytes that follow.
 */
export function id3TagEnd(head: Buffer, offset = 0): number | null {
  if (head.length < offset + 10 || head.toString('latin1', offset, offset + 3) !== 'ID3')
    return null;
  const size = head.subarray(offset + 6, offset + 10);
  if (size.some((b) => b > 0x7f)) return null;
  const tagSize = ((size[0]! << 21) | (size[1]! << 14) | (size[2]! << 7) | size[3]!) >>> 0;
  const hasFooter = ((head[offset + 5] ?? 0) & 0x10) !== 0;
  return offset + 10 + tagSize + (hasFooter ? 10 : 0);
}

type FileTypeModule = typeof import('file-type', { with: { 'resolution-mode': 'import' } });
let fileTypeModule: Promise<FileTypeModule> | undefined;

/** file-type is ESM-only; TypeScript keeps this a real import() under module node16. */
function loadFileType(): Promise<FileTypeModule> {
  fileTypeModule ??= import('file-type');
  return fileTypeModule;
}

export type ReadRange = (start: number, length: number) => Promise<Buffer>;

export type ContentVerdict = { ok: true } | { ok: false; detected: string | null };

const MAX_ID3_TAGS = 4;

/** What the bytes of a stored object of `size` bytes really are, by their leading bytes. */
async function sniff(read: ReadRange, size: number): Promise<string | null> {
  let offset = 0;
  let head = await read(0, Math.min(size, SNIFF_BYTES));
  for (let i = 0; i < MAX_ID3_TAGS; i++) {
    const end = id3TagEnd(head);
    if (end === null) break;
    offset += end;
    // A tag with nothing after it holds no audio.
    if (offset >= size) return null;
    head = await read(offset, Math.min(size - offset, SNIFF_BYTES));
  }
  const { fileTypeFromBuffer } = await loadFileType();
  const found = await fileTypeFromBuffer(head);
  return found?.mime ?? null;
}

/** Whether the stored bytes are of the declared (canonical) type. */
export async function verifyContent(
  declared: EvidenceContentType,
  size: number,
  read: ReadRange,
): Promise<ContentVerdict> {
  if (declared === 'text/plain') {
    const sample = await read(0, Math.min(size, TEXT_CHECK_BYTES));
    return isUtf8Text(sample, size <= TEXT_CHECK_BYTES)
      ? { ok: true }
      : { ok: false, detected: null };
  }
  const detected = await sniff(read, size);
  const canonical = detected ? canonicalContentType(detected) : null;
  return canonical === declared ? { ok: true } : { ok: false, detected };
}

/** File name extension for a canonical type, for names the server makes up (recordings). */
export const EXTENSION_OF: Readonly<Record<EvidenceContentType, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'audio/ogg': 'ogg',
};
