import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv } from '../src/clean-env.js';
import { installedPackages } from '../src/installed-packages.js';
import { installOffline } from '../src/offline-install.js';
import { rangeAtRelease, releaseVersions, repackAt } from '../src/release-copy.js';
import { readManifest, repoRoot } from '../src/repo.js';
import { describeRun, killRunning, run, succeeded } from '../src/run.js';
import { bumpVersion } from '../src/changeset-files.js';
import { makeTempDir, removeTempDir } from '../src/temp-dir.js';
import { transpileSnippet } from '../src/transpile.js';
import { packed } from './packing-context.js';

const snippets = fileURLToPath(new URL('../snippets/', import.meta.url));

// What a user installs, and what must come along: @net/async needs @net/core and nothing else;
// the two synchronous flavours need the synchronous runtime too, which an @net/async user never gets.
const CASES = [
  { name: '@net/core', snippet: 'core', brings: ['@net/core'] },
  { name: '@net/async', snippet: 'async', brings: ['@net/core', '@net/async'] },
  { name: '@net/nonblocking', snippet: 'nonblocking', brings: ['@net/core', '@net/sync', '@net/nonblocking'] },
  { name: '@net/blocking', snippet: 'blocking', brings: ['@net/core', '@net/sync', '@net/blocking'] },
] as const;

/** The program's closing JSON line, or undefined when it printed none. */
function lastJsonLine(stdout: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const dirs: string[] = [];
afterEach(() => {
  killRunning();
  for (const dir of dirs.splice(0)) removeTempDir(dir);
});

describe('installing one package from its tarball into an empty project, offline', () => {
  for (const { name, snippet, brings } of CASES) {
    it(`${name}: installs with only ${brings.join(' + ')} and runs a real program`, async () => {
      const dir = makeTempDir('install');
      dirs.push(dir);

      const { project, result: install } = await installOffline(
        dir,
        brings.map((pkg) => packed(pkg).tarball),
      );
      expect(succeeded(install), `${name}: npm install of the tarballs failed offline: ${describeRun(install)}`).toBe(
        true,
      );

      const expected = brings.map((pkg) => `node_modules/${pkg}`).sort();
      expect(
        installedPackages(project),
        `${name}: installing it brought packages other than ${brings.join(' + ')}`,
      ).toEqual(expected);

      // The program (type-checked against the installed packages in declarations-compile.test.ts)
      // never calls process.exit: ending by itself shows that nothing it opened lingers.
      const main = join(project, `${snippet}.js`);
      transpileSnippet(join(snippets, `${snippet}.ts`), main);
      const program = await run(process.execPath, [main], { cwd: project, env: cleanEnv(), timeoutMs: 30_000 });
      expect(
        succeeded(program),
        `${name}: the program using the installed package failed: ${describeRun(program)}`,
      ).toBe(true);
      const report = lastJsonLine(program.stdout);
      expect(report?.['package'], `${name}: the program ended without reporting success: ${describeRun(program)}`).toBe(
        name,
      );
    }, 120_000);
  }
});

// A flavour stays installed while @net/core moves on: a user who adds a later compatible release
// of @net/core (a patch) beside a flavour released earlier must get that one @net/core, not a
// second copy beside the flavour's own. The tarballs are the packed ones at the versions the next
// release gives them (see releaseVersions), each @net range moved onto those versions with pnpm's
// own operator, and @net/core once more at the patch after its release.
describe('installing a released flavour with a later patch release of @net/core, offline', () => {
  for (const { name, snippet, brings } of CASES.filter((entry) => entry.name !== '@net/core')) {
    it(`${name}: takes the newer @net/core as its own and runs a real program`, async () => {
      const dir = makeTempDir('newer-core');
      dirs.push(dir);
      const released = releaseVersions(repoRoot);
      const releasedVersion = (pkg: string): string => {
        const version = released.get(pkg);
        if (version === undefined) throw new Error(`${pkg} is not a public package`);
        return version;
      };
      expect(
        releasedVersion('@net/core').startsWith('0.0.'),
        `${name}: a caret on a 0.0.x version takes that version only, so a release must be 0.1.0 or later`,
      ).toBe(false);
      const newerCore = bumpVersion(releasedVersion('@net/core'), 'patch');
      const rangeOf = (dependency: string, packedRange: string): string =>
        rangeAtRelease(packedRange, packed(dependency).version, releasedVersion(dependency));
      const tarballs = await Promise.all(
        brings.map((pkg) =>
          repackAt(packed(pkg).unpacked, dir, pkg === '@net/core' ? newerCore : releasedVersion(pkg), rangeOf),
        ),
      );

      const { project, result: install } = await installOffline(dir, tarballs);
      expect(
        succeeded(install),
        `${name}: npm could not install it beside @net/core ${newerCore} offline: ${describeRun(install)}`,
      ).toBe(true);
      const expected = brings.map((pkg) => `node_modules/${pkg}`).sort();
      expect(
        installedPackages(project),
        `${name}: a second @net/core (or another package) came along beside @net/core ${newerCore}`,
      ).toEqual(expected);
      expect(
        readManifest(join(project, 'node_modules', '@net', 'core')).version,
        `${name}: the installed @net/core`,
      ).toBe(newerCore);

      const main = join(project, `${snippet}.js`);
      transpileSnippet(join(snippets, `${snippet}.ts`), main);
      const program = await run(process.execPath, [main], { cwd: project, env: cleanEnv(), timeoutMs: 30_000 });
      expect(
        succeeded(program),
        `${name}: the program failed with @net/core ${newerCore}: ${describeRun(program)}`,
      ).toBe(true);
      expect(
        lastJsonLine(program.stdout)?.['package'],
        `${name}: the program ended without reporting success: ${describeRun(program)}`,
      ).toBe(name);
    }, 120_000);
  }
});
