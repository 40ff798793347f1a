// Keeps the architecture that design.md draws true. The page's "Who may import whom" table is the
// rule (this file holds no list of its own): every workspace package has a row, and its manifest and
// its source import only what its row allows, only through entry points, never another package's
// files by a relative path. And every `packages/...` path the guide names exists.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { allBlocks, DOCS_DIR, documentedPages, REPO_ROOT } from './doc-blocks.js';

/** One row of the table: a package, its directory, and the packages of ours it may import. */
interface Rule {
  readonly name: string;
  readonly dir: string;
  readonly mayImport: readonly string[];
}

const TABLE_HEADING = '### Who may import whom';
const OURS = /^@net\/[a-z-]+/;
// Not source: installed, built, generated or measured files.
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'results', 'coverage']);
const SOURCE_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** The rows of the table under {@link TABLE_HEADING} in design.md. */
function rulesFromPage(): Rule[] {
  const page = readFileSync(join(DOCS_DIR, 'design.md'), 'utf8');
  const at = page.indexOf(`\n${TABLE_HEADING}\n`);
  if (at < 0) throw new Error(`design.md has no "${TABLE_HEADING}" section`);
  const section = page.slice(at + TABLE_HEADING.length + 2).split(/\n#{1,6} /)[0];
  const rows = section.split('\n').filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line));
  return rows.slice(1).map((row) => {
    const [package_, dir, allowed] = row
      .split('|')
      .slice(1, 4)
      .map((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]));
    if (package_?.length !== 1 || dir?.length !== 1)
      throw new Error(`design.md: a row of "${TABLE_HEADING}" must name one package and one directory: ${row}`);
    return { name: package_[0], dir: dir[0], mayImport: allowed ?? [] };
  });
}

/** Every package of the workspace, by directory relative to the repository root. */
function workspacePackages(): Map<string, { name: string; manifest: Record<string, unknown> }> {
  const patterns = [
    ...readFileSync(join(REPO_ROOT, 'pnpm-workspace.yaml'), 'utf8').matchAll(/^\s*-\s*['"]?([^'"\s]+)['"]?\s*$/gm),
  ].map((match) => match[1]);
  const dirs = patterns.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(join(REPO_ROOT, pattern.slice(0, -2))).map((name) => `${pattern.slice(0, -2)}/${name}`)
      : [pattern],
  );
  const found = new Map<string, { name: string; manifest: Record<string, unknown> }>();
  for (const dir of dirs) {
    const path = join(REPO_ROOT, dir, 'package.json');
    if (!existsSync(path)) continue;
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    found.set(dir, { name: manifest.name as string, manifest });
  }
  return found;
}

/** The source files of a package: everything but installed, built and generated files. */
function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('.') || SKIPPED_DIRS.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (SOURCE_FILE.test(entry) && !entry.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** The module specifiers a file imports or re-exports, static or dynamic (comments and strings ignored). */
function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

/** The entry points a package's `exports` offer, as specifiers (`@net/core`, `@net/core/internal`). */
function entryPoints(name: string, manifest: Record<string, unknown>): Set<string> {
  const exports = manifest.exports as Record<string, unknown> | undefined;
  const keys = exports === undefined ? ['.'] : Object.keys(exports);
  return new Set(keys.map((key) => (key === '.' ? name : `${name}/${key.replace(/^\.\//, '')}`)));
}

const rules = rulesFromPage();
const packages = workspacePackages();
const byName = new Map([...packages.values()].map((entry) => [entry.name, entry.manifest]));

describe('the architecture in design.md', () => {
  it('has a row for every workspace package, with its directory', () => {
    expect(rules.length).toBeGreaterThan(0);
    const rows = new Map(rules.map((rule) => [rule.dir, rule.name]));
    const expected = new Map([...packages].map(([dir, entry]) => [dir, entry.name]));
    expect(rows).toEqual(expected);
    for (const rule of rules)
      expect(
        rule.mayImport.filter((name) => !byName.has(name)),
        rule.name,
      ).toEqual([]);
  });

  it('declares in each package.json only the packages of ours the page allows', () => {
    const wrong: string[] = [];
    for (const rule of rules) {
      const manifest = byName.get(rule.name)!;
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
        for (const dependency of Object.keys((manifest[field] as Record<string, string> | undefined) ?? {})) {
          if (OURS.test(dependency) && !rule.mayImport.includes(dependency))
            wrong.push(`${rule.dir}/package.json: ${field} has ${dependency}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('imports only the packages the page allows, declared, through their entry points, and no other package by a relative path', () => {
    const wrong: string[] = [];
    for (const rule of rules) {
      const manifest = byName.get(rule.name)!;
      const declared = new Set(
        ['dependencies', 'devDependencies', 'peerDependencies'].flatMap((field) =>
          Object.keys((manifest[field] as object | undefined) ?? {}),
        ),
      );
      for (const file of sourceFiles(join(REPO_ROOT, rule.dir))) {
        const where = relative(REPO_ROOT, file);
        for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
          if (specifier.startsWith('.')) {
            // Files of the repository outside every package (shared test helpers, configuration) are fine.
            const target = resolve(dirname(file), specifier);
            const other = rules.find(
              (other) => other !== rule && (target + sep).startsWith(join(REPO_ROOT, other.dir) + sep),
            );
            if (other !== undefined) wrong.push(`${where}: ${specifier} reaches into ${other.dir}`);
            continue;
          }
          const name = OURS.exec(specifier)?.[0];
          if (name === undefined) continue;
          const target = byName.get(name);
          if (name !== rule.name) {
            if (!rule.mayImport.includes(name))
              wrong.push(`${where}: imports ${specifier}, and ${rule.name} may not import ${name}`);
            else if (!declared.has(name))
              wrong.push(`${where}: imports ${specifier}, not declared in ${rule.dir}/package.json`);
          }
          if (target === undefined || !entryPoints(name, target).has(specifier))
            wrong.push(`${where}: imports ${specifier}, which is not an entry point of ${name}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps the internal entry points out of the guide', () => {
    const internal = (specifier: string) => OURS.test(specifier) && specifier.endsWith('/internal');
    const inBlocks = allBlocks().flatMap((block) =>
      importsOf(block.code)
        .filter(internal)
        .map((specifier) => `${block.page}:${block.line}: ${specifier}`),
    );
    const inFiles = sourceFiles(DOCS_DIR).flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter(internal)
        .map((specifier) => `${relative(REPO_ROOT, file)}: ${specifier}`),
    );
    expect([...inBlocks, ...inFiles]).toEqual([]);
  });

  it('names only files and directories that exist, on every page of the guide', () => {
    const missing: string[] = [];
    for (const page of documentedPages()) {
      for (const [path] of readFileSync(page, 'utf8').matchAll(/packages\/[A-Za-z0-9_./-]*[A-Za-z0-9_-]/g)) {
        if (!existsSync(join(REPO_ROOT, path))) missing.push(`${relative(REPO_ROOT, page)}: ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
