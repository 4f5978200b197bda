import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './services';

/**
 * The fenced code blocks of the project's Markdown, so tests can run what the docs show.
 *
 * A block is marked for a test by an HTML comment on the line before its fence (blank lines
 * between are allowed), which a reader of the rendered page does not see:
 *
 *     <!-- doc-test: file mint-token.mjs -->
 *     ```js
 *
 * `file NAME` saves the block as NAME in a test's scratch folder (blocks naming the same file
 * are joined in order); a test then runs it. ```graphql blocks need no mark: each is validated
 * against the schema and run (docs-examples.test.ts says how, and what a mark changes).
 */
export interface DocBlock {
  /** The Markdown file, relative to the repository's root. */
  doc: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The fence's info string's first word (`graphql`, `ts`, `sh`, …), '' when none. */
  lang: string;
  /** What follows `doc-test:` in the mark before the block, if any. */
  mark?: string;
  code: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;
const MARK = /^\s*<!--\s*doc-test:\s*(.*?)\s*-->\s*$/;

export function docBlocks(doc: string): DocBlock[] {
  const lines = fs.readFileSync(path.join(ROOT, doc), 'utf8').split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    let j = i + 1;
    const body: string[] = [];
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (line.trim().startsWith(fence!) && line.trim().replace(/[`~]/g, '') === '') break;
      body.push(line.startsWith(indent!) ? line.slice(indent!.length) : line.trimStart());
    }
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === '') k--;
    const mark = k >= 0 ? MARK.exec(lines[k]!)?.[1] : undefined;
    blocks.push({ doc, line: i + 1, lang: lang ?? '', mark, code: `${body.join('\n')}\n` });
    i = j;
  }
  return blocks;
}

/** Where a block is, for messages: `docs/webhooks.md:123`. */
export const where = (b: DocBlock) => `${b.doc}:${b.line}`;

/** The integrator-facing Markdown: the README and every page of docs/. */
export function integratorDocs(): string[] {
  const docs = fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

/**
 * The blocks marked `file NAME` across `docs`, joined per NAME in document order. A test takes
 * the ones it runs with `take`; `untaken` lists marks no test used, so a mark cannot rot.
 */
export class MarkedFiles {
  private readonly files = new Map<string, DocBlock[]>();
  private readonly taken = new Set<string>();

  constructor(docs: string[]) {
    for (const doc of docs) {
      for (const b of docBlocks(doc)) {
        const name = /^file\s+(\S+)$/.exec(b.mark ?? '')?.[1];
        if (!name) continue;
        this.files.set(name, [...(this.files.get(name) ?? []), b]);
      }
    }
  }

  /** The joined text of the blocks marked `file NAME`; throws when there are none. */
  take(name: string): { code: string; blocks: DocBlock[] } {
    const blocks = this.files.get(name);
    if (!blocks) {
      throw new Error(`No block is marked <!-- doc-test: file ${name} --> in the docs.`);
    }
    this.taken.add(name);
    return { code: blocks.map((b) => b.code).join('\n'), blocks };
  }

  untaken(): string[] {
    return [...this.files.keys()].filter((n) => !this.taken.has(n)).sort();
  }
}

/**
 * A scratch folder inside the repository (under the git-ignored dist/), so that what is run
 * there resolves packages from the repository's node_modules, as an app's files would.
 */
export function scratchDir(label: string): string {
  const base = path.join(ROOT, 'dist', 'doc-tests');
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, `${label}-`));
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end (or kills it after `timeoutMs`). */
export function run(
  file: string,
  args: string[],
  opts: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        cwd: opts.cwd,
        env: { PATH: process.env.PATH ?? '', ...opts.env },
        timeout: opts.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) =>
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

/** `tsc -p <project>`: resolves with its output, rejects with it when it fails. */
export async function tsc(project: string, cwd = ROOT): Promise<string> {
  const res = await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project], {
    cwd,
    timeoutMs: 120_000,
  });
  if (res.code !== 0) throw new Error(`tsc -p ${project} failed:\n${res.stdout}${res.stderr}`);
  return res.stdout;
}

export interface MarkdownTable {
  doc: string;
  /** 1-based line of the header row. */
  line: number;
  header: string[];
  rows: string[][];
}

/** The pipe tables of a Markdown file (cells trimmed; no escaped pipes in this project's). */
export function markdownTables(doc: string): MarkdownTable[] {
  const lines = fs.readFileSync(path.join(ROOT, doc), 'utf8').split('\n');
  const cells = (l: string) =>
    l
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => c.trim());
  const tables: MarkdownTable[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!/^\s*\|/.test(lines[i]!) || !/^\s*\|\s*:?-{3,}/.test(lines[i + 1]!)) continue;
    const table: MarkdownTable = { doc, line: i + 1, header: cells(lines[i]!), rows: [] };
    let j = i + 2;
    for (; j < lines.length && /^\s*\|/.test(lines[j]!); j++) table.rows.push(cells(lines[j]!));
    tables.push(table);
    i = j;
  }
  return tables;
}

/** The one table of `doc` whose header's first cells are `first`; throws when not exactly one. */
export function tableHeaded(doc: string, ...first: string[]): MarkdownTable {
  const found = markdownTables(doc).filter((t) => first.every((h, i) => t.header[i] === h));
  if (found.length !== 1) {
    throw new Error(
      `${doc}: expected one table headed ${first.join(' | ')}, found ${found.length}`,
    );
  }
  return found[0]!;
}

/** The `backticked` words of a cell. */
export const codeSpans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
