import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bumpVersion, largestBump, pendingChangesets } from './changeset-files.js';
import { PUBLIC_PACKAGES, readManifest } from './repo.js';
import { describeRun, run, succeeded } from './run.js';
import { tarballName } from './pack.js';

/**
 * The version each public package is released at from the tree in `root`: its version bumped by
 * the largest pending changeset that names it, or its version as it is when none does (the tree
 * of a release commit holds the released versions). Packing the tree as it is gives the versions
 * before the release, which no user installs.
 */
export function releaseVersions(root: string): Map<string, string> {
  const pending = pendingChangesets(join(root, '.changeset'));
  const versions = new Map<string, string>();
  for (const { name, dir } of PUBLIC_PACKAGES) {
    const { version } = readManifest(join(root, dir));
    const bump = largestBump(pending.flatMap((changeset) => changeset.releases.get(name) ?? []));
    versions.set(name, bump === undefined ? version : bumpVersion(version, bump));
  }
  return versions;
}

/**
 * The range a dependency's `range`, packed beside it at `packedVersion`, has once both are released
 * at `releasedVersion`: the same operator on the new version, as `pnpm pack` would write it then
 * (`^0.0.0` becomes `^0.1.0`, and an exact `0.0.0` stays exact as `0.1.0`).
 * @throws Error when `range` does not end with `packedVersion`
 */
export function rangeAtRelease(range: string, packedVersion: string, releasedVersion: string): string {
  if (!range.endsWith(packedVersion))
    throw new Error(`the packed range ${range} is not on the version packed beside it (${packedVersion})`);
  return `${range.slice(0, range.length - packedVersion.length)}${releasedVersion}`;
}

/**
 * Tars a copy of the unpacked tarball `unpacked` into `dest` as a release at `version` would have
 * packed it: with `version` as its own, and each dependency's range as `rangeOf` gives it (see
 * {@link rangeAtRelease}). The files are the packed ones, untouched. Returns the tarball's path.
 */
export async function repackAt(
  unpacked: string,
  dest: string,
  version: string,
  rangeOf: (dependency: string, packedRange: string) => string,
): Promise<string> {
  const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    dependencies?: Record<string, string>;
  };
  const work = join(dest, `${tarballName(manifest.name, version).replace(/\.tgz$/, '')}-work`);
  mkdirSync(work, { recursive: true });
  cpSync(unpacked, join(work, 'package'), { recursive: true });
  manifest.version = version;
  for (const [dependency, range] of Object.entries(manifest.dependencies ?? {}))
    manifest.dependencies![dependency] = rangeOf(dependency, range);
  writeFileSync(join(work, 'package', 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const tarball = join(dest, tarballName(manifest.name, version));
  const tar = await run('tar', ['-czf', tarball, '-C', work, 'package'], { cwd: dest });
  if (!succeeded(tar)) throw new Error(`${manifest.name}: could not tar its release copy: ${describeRun(tar)}`);
  return tarball;
}
