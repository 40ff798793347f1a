// Checks on the guide that are not code: every error code and every default is documented, every
// page is in the index, and every relative link points at a file that exists.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as core from '@net/core';
import { ErrorCode } from '@net/core';
import { describe, expect, it } from 'vitest';
import { DOCS_DIR, documentedPages, REPO_ROOT } from './doc-blocks.js';

/** The anchors a markdown renderer gives the headings of a page: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(path: string): Set<string> {
  const headings =
    readFileSync(path, 'utf8')
      .replace(/```[\s\S]*?```/g, '')
      .match(/^#{1,6} .+$/gm) ?? [];
  return new Set(
    headings.map((heading) =>
      heading
        .replace(/^#+ /, '')
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

const read = (name: string) => readFileSync(join(DOCS_DIR, name), 'utf8');

describe('the guide', () => {
  it('explains every error code on the errors page, and no code that does not exist', () => {
    const page = read('errors.md');
    const codes = Object.values(ErrorCode);
    expect(codes.filter((code) => !page.includes(`\`${code}\``))).toEqual([]);
    const mentioned = new Set(page.match(/NET_ERR_[A-Z_]+/g) ?? []);
    expect([...mentioned].filter((code) => !(codes as string[]).includes(code))).toEqual([]);
  });

  it('states every default limit that @net/core exports on the limits page', () => {
    const page = read('limits-and-defaults.md');
    const names = Object.keys(core).filter((name) => /^(DEFAULT_|MAX_)[A-Z_]+$/.test(name));
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !page.includes(`\`${name}\``))).toEqual([]);
  });

  it('lists every page in the index', () => {
    const index = read('README.md');
    const pages = documentedPages()
      .filter((path) => dirname(path) === DOCS_DIR && !path.endsWith('README.md'))
      .map((path) => relative(DOCS_DIR, path));
    expect(pages.filter((page) => !index.includes(`](${page})`))).toEqual([]);
  });

  it('links only to files that exist', () => {
    const broken: string[] = [];
    for (const page of documentedPages()) {
      const text = readFileSync(page, 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue;
        const [file, anchor] = target.split('#') as [string, string | undefined];
        const path = file === '' ? page : join(dirname(page), decodeURI(file));
        if (!existsSync(path)) broken.push(`${relative(REPO_ROOT, page)}: ${target}`);
        else if (anchor !== undefined && path.endsWith('.md') && !anchorsOf(path).has(anchor))
          broken.push(`${relative(REPO_ROOT, page)}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
