import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles } from '../src/list-files.js';
import { PUBLIC_PACKAGES, readManifest, repoRoot } from '../src/repo.js';
import { danglingMapReferences } from '../src/source-maps.js';
import { workspaceDirs } from '../src/workspace.js';
import { packed, packedAll } from './packing-context.js';

describe('the packed tarballs', () => {
  it('cover every public package of the workspace', () => {
    const published = workspaceDirs(repoRoot)
      .map((dir) => readManifest(join(repoRoot, dir)))
      .filter((manifest) => manifest.private !== true)
      .map((manifest) => manifest.name);
    expect(
      published.sort(),
      'a workspace package is public but missing from PUBLIC_PACKAGES in src/repo.ts (or the other way round)',
    ).toEqual(PUBLIC_PACKAGES.map((pkg) => pkg.name).sort());
  });

  for (const { name } of PUBLIC_PACKAGES) {
    describe(name, () => {
      it(`${name}: the packed manifest asks for each @net dependency as a caret range on the version packed beside it`, () => {
        const { unpacked } = packed(name);
        const text = readFileSync(join(unpacked, 'package.json'), 'utf8');
        expect(
          text.includes('workspace:'),
          `${name}: the packed package.json still says "workspace:", which npm cannot install`,
        ).toBe(false);
        const versions = new Map(packedAll().map((pkg) => [pkg.name, pkg.version]));
        for (const [dependency, range] of Object.entries(readManifest(unpacked).dependencies ?? {})) {
          // A caret range, so that a later compatible release of the dependency satisfies it too.
          expect(
            range,
            `${name}: depends on ${dependency} ${range}, but ${dependency} ${String(versions.get(dependency))} is what is released with it`,
          ).toBe(`^${String(versions.get(dependency))}`);
        }
      });

      it(`${name}: ships no tests or test support, and its README and LICENSE`, () => {
        const files = listFiles(packed(name).unpacked);
        const testFiles = files.filter((file) => /\.test\.|(^|\/)test-support\//.test(file));
        expect(testFiles, `${name}: test files in the tarball (the "files" allow-list should exclude them)`).toEqual(
          [],
        );
        expect(files, `${name}: no README.md in the tarball`).toContain('README.md');
        expect(files, `${name}: no LICENSE in the tarball`).toContain('LICENSE');
      });

      it(`${name}: every source map and sourceMappingURL points at a file in the tarball`, () => {
        const { unpacked } = packed(name);
        const dangling = danglingMapReferences(unpacked, listFiles(unpacked));
        expect(
          dangling,
          `${name}: ${dangling.length} dangling source-map reference(s), e.g. ${String(dangling[0])}`,
        ).toEqual([]);
      });
    });
  }
});
