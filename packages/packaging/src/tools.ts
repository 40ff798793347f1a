import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo.js';

/**
 * The JavaScript file behind a command-line tool that the repository root installs as a
 * devDependency (publint, attw, tsc, changeset). Run with `process.execPath`, so no shell, no
 * `.bin` shim and no registry is involved.
 */
export function toolScript(packageName: string, binName: string): string {
  const dir = join(repoRoot, 'node_modules', packageName);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[binName];
  if (bin === undefined) throw new Error(`${packageName} has no "${binName}" command`);
  return join(dir, bin);
}
