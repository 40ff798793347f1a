import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { installedPackages } from './installed-packages.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

let dir = '';
afterEach(() => removeTempDir(dir));

// "Only @net/core came along" is checked with this listing, so it must see a stray package
// wherever npm could put one: top level, scoped, or nested under another package.
it('lists scoped, plain and nested packages, and skips npm bookkeeping', () => {
  dir = makeTempDir('installed');
  for (const path of [
    'node_modules/@net/core',
    'node_modules/@net/async/node_modules/left-pad',
    'node_modules/other',
  ]) {
    mkdirSync(join(dir, path), { recursive: true });
  }
  writeFileSync(join(dir, 'node_modules', '.package-lock.json'), '{}');
  expect(installedPackages(dir)).toEqual([
    'node_modules/@net/async',
    'node_modules/@net/async/node_modules/left-pad',
    'node_modules/@net/core',
    'node_modules/other',
  ]);
});
