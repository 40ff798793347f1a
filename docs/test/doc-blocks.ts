// Finds the user-facing pages and the TypeScript blocks in them. A block is a fence whose info
// string starts with `ts`; words after it are flags:
//   ts          type-checked and run
//   ts no-run   type-checked only (a fragment that needs something the page cannot start)
// A block may be followed by a fence tagged `text output`: the block's standard output must then
// be exactly that text.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository root. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');
/** The docs package. */
export const DOCS_DIR = join(REPO_ROOT, 'docs');
/** Where the blocks are written as modules, so that `@net/*` resolves from `docs/node_modules`. */
export const GENERATED_DIR = join(DOCS_DIR, '.doctest');

/** Pages whose blocks are tested: every page in `docs/`, the repository README and each package's README. */
export function documentedPages(): string[] {
  const docs = readdirSync(DOCS_DIR)
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(DOCS_DIR, name));
  const readmes = readdirSync(join(REPO_ROOT, 'packages'))
    .map((name) => join(REPO_ROOT, 'packages', name, 'README.md'))
    .filter((path) => {
      try {
        readFileSync(path);
        return true;
      } catch {
        return false;
      }
    });
  return [join(REPO_ROOT, 'README.md'), ...docs, ...readmes].sort();
}

/** One fenced TypeScript block. */
export interface DocBlock {
  /** The page, relative to the repository root. */
  readonly page: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly code: string;
  /** False for `ts no-run` blocks. */
  readonly run: boolean;
  /** The exact standard output the block must print, when the page shows it. */
  readonly output: string | undefined;
  /** A file name unique to this block. */
  readonly id: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/;

/** The fenced blocks of a markdown text, with their info strings. */
function fences(text: string): { info: string; flags: string[]; line: number; body: string }[] {
  const lines = text.split('\n');
  const found: { info: string; flags: string[]; line: number; body: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (open === null) continue;
    const [, indent, marker, info, rest] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j];
      const trimmed = line.trim();
      if (trimmed.length >= marker.length && trimmed === marker.charAt(0).repeat(trimmed.length)) break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line);
    }
    found.push({ info: info, flags: rest.split(/\s+/).filter(Boolean), line: i + 1, body: body.join('\n') });
    i = j;
  }
  return found;
}

/** Every TypeScript block of `page` (an absolute path). */
export function blocksOf(page: string): DocBlock[] {
  const text = readFileSync(page, 'utf8');
  const rel = relative(REPO_ROOT, page);
  const slug = rel
    .replace(/\.md$/, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .toLowerCase();
  const all = fences(text);
  const blocks: DocBlock[] = [];
  all.forEach((fence, index) => {
    if (fence.info !== 'ts' && fence.info !== 'typescript') return;
    const unknown = fence.flags.filter((flag) => flag !== 'no-run');
    if (unknown.length > 0) throw new Error(`${rel}:${fence.line}: unknown block flag ${unknown.join(' ')}`);
    const next = all[index + 1];
    const output = next !== undefined && next.info === 'text' && next.flags.includes('output') ? next.body : undefined;
    blocks.push({
      page: rel,
      line: fence.line,
      code: fence.body,
      run: !fence.flags.includes('no-run'),
      output,
      id: `${slug}-l${fence.line}`,
    });
  });
  return blocks;
}

/** Every TypeScript block of every documented page. */
export function allBlocks(): DocBlock[] {
  return documentedPages().flatMap(blocksOf);
}
