import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest, repoRoot, PNPM, type PublicPackage } from './repo.js';
import { cleanEnv } from './clean-env.js';
import { describeRun, run, succeeded } from './run.js';

/** A public package as `pnpm pack` made it. */
export interface Packed {
  /** The npm name. */
  readonly name: string;
  /** The version in the tarball. */
  readonly version: string;
  /** The tarball's absolute path. */
  readonly tarball: string;
  /** Where the tarball was unpacked: the tarball's `package/` folder. */
  readonly unpacked: string;
}

/** The file name `pnpm pack` gives a package: `@net/core` 1.2.3 is `net-core-1.2.3.tgz`. */
export function tarballName(name: string, version: string): string {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

/**
 * Packs `packages` with pnpm, as a release would publish them (`workspace:^` becomes a caret
 * range on the version beside it), into `dest`, and unpacks each tarball beside it. One pnpm run
 * for all of them.
 */
export async function packAll(packages: readonly PublicPackage[], dest: string): Promise<Packed[]> {
  const filters = packages.flatMap((pkg) => ['--filter', pkg.name]);
  const packing = await run('npx', [...PNPM, '-r', ...filters, 'pack', '--pack-destination', dest], {
    cwd: repoRoot,
    env: cleanEnv(),
    timeoutMs: 120_000,
  });
  if (!succeeded(packing)) throw new Error(`pnpm pack failed: ${describeRun(packing)}`);
  const packed: Packed[] = [];
  for (const pkg of packages) {
    const { version } = readManifest(join(repoRoot, pkg.dir));
    const tarball = join(dest, tarballName(pkg.name, version));
    if (!existsSync(tarball)) {
      throw new Error(
        `pnpm pack wrote no ${tarballName(pkg.name, version)} for ${pkg.name}; it wrote: ${readdirSync(dest).join(', ')}`,
      );
    }
    const into = join(dest, 'unpacked', tarballName(pkg.name, version).replace(/\.tgz$/, ''));
    mkdirSync(into, { recursive: true });
    const untar = await run('tar', ['-xzf', tarball, '-C', into], { cwd: dest });
    if (!succeeded(untar)) throw new Error(`${pkg.name}: could not unpack its tarball: ${describeRun(untar)}`);
    packed.push({ name: pkg.name, version, tarball, unpacked: join(into, 'package') });
  }
  return packed;
}
