import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new empty directory under the system's temporary directory; remove it with {@link removeTempDir}. */
export function makeTempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `net-packaging-${label}-`));
}

/** Removes a directory made by {@link makeTempDir}, whatever is left in it. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
