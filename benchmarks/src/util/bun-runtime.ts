import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A Bun the comparison can start its peers with: the binary and its version. */
export interface BunRuntime {
  readonly path: string;
  readonly version: string;
}

// The binary packages the npm `bun` package installs from; this package depends on them directly
// (optional, one per platform), so a plain install brings the binary without running any script.
const BINARY_PACKAGES = ['@oven/bun-linux-x64', '@oven/bun-linux-aarch64'];

/**
 * The Bun to run the comparison's Bun rows with: `NET_BUN` when set, else the binary package this
 * package installed, else `bun` on the PATH; `undefined` when there is none (the rows are then
 * skipped with a note).
 */
export function bunRuntime(): BunRuntime | undefined {
  const candidates: string[] = [];
  if (process.env.NET_BUN !== undefined && process.env.NET_BUN !== '') candidates.push(process.env.NET_BUN);
  const require = createRequire(import.meta.url);
  for (const name of BINARY_PACKAGES) {
    try {
      candidates.push(join(dirname(require.resolve(`${name}/package.json`)), 'bin', 'bun'));
    } catch {
      // Not this platform's package.
    }
  }
  candidates.push('bun');
  for (const path of candidates) {
    if (path !== 'bun') {
      try {
        accessSync(path, constants.X_OK);
      } catch {
        continue;
      }
    }
    const probe = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    if (probe.status === 0) return { path, version: probe.stdout.trim() };
  }
  return undefined;
}
