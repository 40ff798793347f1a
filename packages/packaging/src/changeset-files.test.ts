import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { bumpVersion, largestBump, pendingChangesets } from './changeset-files.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

let dir = '';
afterEach(() => {
  if (dir !== '') removeTempDir(dir);
});

// The changeset test predicts the versions changesets will write; the prediction must follow
// semver as changesets does, or a wrong bump would pass unnoticed.
it('bumps versions as semver does, 0.x included', () => {
  expect(bumpVersion('0.0.0', 'minor')).toBe('0.1.0');
  expect(bumpVersion('0.1.3', 'patch')).toBe('0.1.4');
  expect(bumpVersion('0.4.2', 'major')).toBe('1.0.0');
  expect(bumpVersion('1.2.3', 'minor')).toBe('1.3.0');
  expect(() => bumpVersion('1.0.0-beta.1', 'patch')).toThrow(/plain x.y.z/);
  expect(largestBump(['patch', 'minor', 'patch'])).toBe('minor');
  expect(largestBump([])).toBeUndefined();
});

it('reads the changesets that `changeset add` writes, and refuses what it cannot read', () => {
  dir = makeTempDir('changesets-read');
  writeFileSync(join(dir, 'README.md'), '# not a changeset\n');
  writeFileSync(join(dir, 'one.md'), '---\n\'@net/core\': minor\n"@net/async": patch\n---\n\nA note.\nMore.\n');
  const [one, ...rest] = pendingChangesets(dir);
  expect(rest).toEqual([]);
  expect(one?.file).toBe('one.md');
  expect([...(one?.releases ?? [])]).toEqual([
    ['@net/core', 'minor'],
    ['@net/async', 'patch'],
  ]);
  expect(one?.summary).toBe('A note.\nMore.');
  writeFileSync(join(dir, 'two.md'), "---\n'@net/core' minor\n---\n\nx\n");
  expect(() => pendingChangesets(dir)).toThrow(/two\.md: cannot read the line/);
});
