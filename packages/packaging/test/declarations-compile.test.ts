import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { compileConsumer } from '../src/consumer-build.js';
import { installOffline } from '../src/offline-install.js';
import { PUBLIC_PACKAGES } from '../src/repo.js';
import { describeRun, killRunning, succeeded } from '../src/run.js';
import { makeTempDir, removeTempDir } from '../src/temp-dir.js';
import { packed } from './packing-context.js';

const snippets = fileURLToPath(new URL('../snippets/', import.meta.url));

let dir = '';
afterEach(() => {
  killRunning();
  if (dir !== '') removeTempDir(dir);
});

// The example programs (snippets/, run one package at a time in install-one-flavour.test.ts)
// type-check against the installed tarballs, and the declarations a user receives compile on
// their own with skipLibCheck off: a type that stripInternal removed, or one that resolved only
// inside the workspace, fails here. Done once for all packages, because checking @types/node
// alongside is what makes it slow.
it('the example programs type-check against the installed tarballs, whose declarations compile with skipLibCheck off', async () => {
  dir = makeTempDir('declarations');
  const { project, result: install } = await installOffline(
    dir,
    PUBLIC_PACKAGES.map((pkg) => packed(pkg.name).tarball),
  );
  expect(succeeded(install), `npm install of every tarball failed offline: ${describeRun(install)}`).toBe(true);
  const programs = readdirSync(snippets)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(snippets, file));
  const build = await compileConsumer(project, programs);
  // tsc names the package in each error's path (node_modules/@net/<name>/dist/...).
  expect(
    succeeded(build),
    `tsc on the example programs and the installed declarations failed: ${describeRun(build)}`,
  ).toBe(true);
}, 180_000);
