import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { listFiles } from './list-files.js';
import { danglingMapReferences } from './source-maps.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

let dir = '';
afterEach(() => removeTempDir(dir));

// The tarball check is only worth its green if it turns red: a package shaped like ours, with one
// source and one map missing, must be reported on both counts and nothing else.
it('reports a map whose source is missing and a sourceMappingURL whose map is missing', () => {
  dir = makeTempDir('maps');
  mkdirSync(join(dir, 'dist'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'a.ts'), 'export const a = 1;\n');
  writeFileSync(join(dir, 'dist', 'a.js'), 'export const a = 1;\n//# sourceMappingURL=a.js.map');
  writeFileSync(join(dir, 'dist', 'a.js.map'), JSON.stringify({ version: 3, sources: ['../src/a.ts'], mappings: '' }));
  writeFileSync(join(dir, 'dist', 'b.js'), 'export const b = 1;\n//# sourceMappingURL=b.js.map');
  writeFileSync(
    join(dir, 'dist', 'c.d.ts.map'),
    JSON.stringify({ version: 3, sourceRoot: '', sources: ['../src/c.ts'], mappings: '' }),
  );
  expect(danglingMapReferences(dir, listFiles(dir))).toEqual([
    'dist/b.js names the map dist/b.js.map, which is not in the package',
    'dist/c.d.ts.map maps to src/c.ts, which is not in the package',
  ]);
});
