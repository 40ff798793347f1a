import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bumpVersion, largestBump, pendingChangesets, type PendingChangeset } from '../src/changeset-files.js';
import { cleanEnv } from '../src/clean-env.js';
import { PUBLIC_PACKAGES, readManifest, repoRoot } from '../src/repo.js';
import { describeRun, killRunning, run, succeeded, type RunResult } from '../src/run.js';
import { makeTempDir, removeTempDir } from '../src/temp-dir.js';
import { toolScript } from '../src/tools.js';
import { copyForVersioning } from '../src/versioning-copy.js';
import { workspaceDirs } from '../src/workspace.js';

// `ci:version` (changeset version) on a copy of the repository, with one more changeset that
// patches every public package, so the check stays meaningful after a release has consumed the
// pending ones. The copy is what changesets would change; the real tree is never touched.
const NOTE = 'Checked by the packaging tests: every public package is released.';

let copy = '';
let pending: PendingChangeset[] = [];
let versioning: RunResult;
const before = new Map<string, { version: string; changelog: string }>();

beforeAll(async () => {
  copy = makeTempDir('changesets');
  copyForVersioning(repoRoot, copy);
  const frontMatter = PUBLIC_PACKAGES.map((pkg) => `'${pkg.name}': patch`).join('\n');
  writeFileSync(join(copy, '.changeset', 'zz-packaging-check.md'), `---\n${frontMatter}\n---\n\n${NOTE}\n`);
  pending = pendingChangesets(join(copy, '.changeset'));
  for (const dir of workspaceDirs(copy)) {
    const changelog = join(copy, dir, 'CHANGELOG.md');
    before.set(dir, {
      version: readManifest(join(copy, dir)).version,
      changelog: existsSync(changelog) ? readFileSync(changelog, 'utf8') : '',
    });
  }
  versioning = await run(process.execPath, [toolScript('@changesets/cli', 'changeset'), 'version'], {
    cwd: copy,
    env: cleanEnv(),
    timeoutMs: 60_000,
  });
}, 90_000);

afterAll(() => {
  killRunning();
  if (copy !== '') removeTempDir(copy);
});

describe('changeset version (what ci:version runs), on a copy of the repository', () => {
  it('runs without error and consumes every pending changeset', () => {
    expect(succeeded(versioning), `changeset version failed: ${describeRun(versioning)}`).toBe(true);
    const left = readdirSync(join(copy, '.changeset')).filter((file) => file.endsWith('.md') && file !== 'README.md');
    expect(left, 'changeset version left changesets behind').toEqual([]);
  });

  for (const { name, dir } of PUBLIC_PACKAGES) {
    it(`${name}: bumps the version and writes CHANGELOG.md with every note that names it`, () => {
      expect(
        succeeded(versioning),
        `${name}: not checked, because changeset version failed: ${describeRun(versioning)}`,
      ).toBe(true);
      const old = before.get(dir);
      if (old === undefined) throw new Error(`${name}: ${dir} is not a workspace package`);
      const notes = pending.filter((changeset) => changeset.releases.has(name));
      const bump = largestBump(notes.map((changeset) => changeset.releases.get(name) ?? 'patch')) ?? 'patch';
      const expected = bumpVersion(old.version, bump);

      const manifest = readManifest(join(copy, dir));
      expect(
        manifest.version,
        `${name}: version after changeset version (was ${old.version}, largest pending bump ${bump})`,
      ).toBe(expected);
      for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
        expect(
          range,
          `${name}: changeset version rewrote its dependency on ${dependency}; pnpm pack turns it into a caret range at release`,
        ).toBe('workspace:^');
      }

      const changelogPath = join(copy, dir, 'CHANGELOG.md');
      expect(existsSync(changelogPath), `${name}: changeset version wrote no CHANGELOG.md`).toBe(true);
      const changelog = readFileSync(changelogPath, 'utf8');
      expect(
        changelog.startsWith(`# ${name}\n`),
        `${name}: CHANGELOG.md does not start with its title:\n${changelog}`,
      ).toBe(true);
      expect(changelog, `${name}: CHANGELOG.md has no section for ${expected}`).toContain(`\n## ${expected}\n`);
      for (const note of notes) {
        const firstLine = note.summary.split('\n')[0];
        expect(changelog, `${name}: CHANGELOG.md lacks the note of .changeset/${note.file}`).toContain(firstLine);
      }
      // Earlier releases stay below the new section.
      const earlier = old.changelog.replace(`# ${name}\n`, '').trim();
      if (earlier !== '') expect(changelog, `${name}: CHANGELOG.md lost its earlier releases`).toContain(earlier);
    });
  }

  it('leaves the private packages alone: no version bump, no changelog', () => {
    expect(succeeded(versioning), `not checked, because changeset version failed: ${describeRun(versioning)}`).toBe(
      true,
    );
    const publicDirs = new Set(PUBLIC_PACKAGES.map((pkg) => pkg.dir));
    for (const dir of workspaceDirs(copy).filter((candidate) => !publicDirs.has(candidate))) {
      const manifest = readManifest(join(copy, dir));
      expect(manifest.version, `${manifest.name} (private) was versioned`).toBe(before.get(dir)?.version);
      expect(
        existsSync(join(copy, dir, 'CHANGELOG.md')) && before.get(dir)?.changelog === '',
        `${manifest.name} (private) got a CHANGELOG.md`,
      ).toBe(false);
    }
  });
});
