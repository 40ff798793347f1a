import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file is `packages/packaging/src/repo.ts`. */
export const repoRoot: string = fileURLToPath(new URL('../../../', import.meta.url));

/** The pnpm that the README pins; run through `npx` like every documented command. */
export const PNPM: readonly string[] = ['-y', 'pnpm@10.34.8'];

/** A published package: its name and its directory relative to the repository root. */
export interface PublicPackage {
  /** The npm name, e.g. `@net/async`. */
  readonly name: string;
  /** The directory, e.g. `packages/async`. */
  readonly dir: string;
}

/**
 * The packages a user installs. Written out rather than discovered so that a new public package
 * is a deliberate change here; a test checks that this list matches the workspace.
 */
export const PUBLIC_PACKAGES: readonly PublicPackage[] = [
  { name: '@net/core', dir: 'packages/core' },
  { name: '@net/sync', dir: 'packages/sync' },
  { name: '@net/async', dir: 'packages/async' },
  { name: '@net/nonblocking', dir: 'packages/nonblocking' },
  { name: '@net/blocking', dir: 'packages/blocking' },
];

/** The subset of a package.json these checks read. */
export interface Manifest {
  /** The npm name. */
  readonly name: string;
  /** The semver version. */
  readonly version: string;
  /** True for workspace-only packages. */
  readonly private?: boolean;
  /** Runtime dependencies, name to range. */
  readonly dependencies?: Readonly<Record<string, string>>;
}

/** Reads the package.json in `dir` (absolute). */
export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}
