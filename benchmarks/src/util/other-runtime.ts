import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A runtime besides the Node running the comparison, that its peers can be started with. */
export type OtherRuntimeName = 'bun' | 'deno';

/** A binary of such a runtime: where it is, its version, and how it starts a Node program. */
export interface OtherRuntime {
  readonly name: OtherRuntimeName;
  readonly path: string;
  readonly version: string;
  /** What goes before the program's path on the command line. */
  readonly programPrefix: readonly string[];
}

interface Locator {
  /** The environment variable that names a binary. */
  readonly variable: string;
  /** The binary packages this package depends on (optional, one per platform), and the binary's path in them. */
  readonly packages: readonly string[];
  readonly binaryIn: (packageDir: string) => string;
  /** The command on the PATH. */
  readonly command: string;
  readonly programPrefix: readonly string[];
}

const LOCATORS: Readonly<Record<OtherRuntimeName, Locator>> = {
  // The packages the npm `bun` package installs from: a plain install brings the binary, no script.
  bun: {
    variable: 'NET_BUN',
    packages: ['@oven/bun-linux-x64', '@oven/bun-linux-aarch64'],
    binaryIn: (dir) => join(dir, 'bin', 'bun'),
    command: 'bun',
    programPrefix: [],
  },
  // Deno runs a Node program given all permissions, resolving bare imports through node_modules as Node does.
  deno: {
    variable: 'NET_DENO',
    packages: ['@deno/linux-x64-glibc', '@deno/linux-arm64-glibc'],
    binaryIn: (dir) => join(dir, 'deno'),
    command: 'deno',
    programPrefix: ['run', '-A', '--node-modules-dir=manual'],
  },
};

/**
 * The binary to run `name`'s rows with: its environment variable (`NET_BUN`, `NET_DENO`) when set,
 * else the binary package this package installed, else the command on the PATH; `undefined` when
 * there is none (the rows are then skipped with a note).
 */
export function otherRuntime(name: OtherRuntimeName): OtherRuntime | undefined {
  const locator = LOCATORS[name];
  const candidates: string[] = [];
  const named = process.env[locator.variable];
  if (named !== undefined && named !== '') candidates.push(named);
  const require = createRequire(import.meta.url);
  for (const pkg of locator.packages) {
    try {
      candidates.push(locator.binaryIn(dirname(require.resolve(`${pkg}/package.json`))));
    } catch {
      // Not this platform's package.
    }
  }
  candidates.push(locator.command);
  for (const path of candidates) {
    if (path !== locator.command) {
      try {
        accessSync(path, constants.X_OK);
      } catch {
        continue;
      }
    }
    const probe = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    if (probe.status === 0)
      return { name, path, version: versionOf(probe.stdout), programPrefix: locator.programPrefix };
  }
  return undefined;
}

/** The version number in a `--version` answer: `1.4.5`, or `2.9.6` out of `deno 2.9.6 (stable, ...)`. */
function versionOf(answer: string): string {
  return /\d+\.\d+\.\d+/.exec(answer)?.[0] ?? answer.trim();
}
