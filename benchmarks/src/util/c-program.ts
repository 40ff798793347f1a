import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The C baseline (`c/pingpong.c`), built with the system compiler (`cc -O2`) on first use into
 * `c/build/`, and again whenever the source is newer than the build; `undefined` when there is no
 * compiler, and the C rows are then skipped with a note.
 */
export function cProgram(): string | undefined {
  const source = join(PACKAGE_DIR, 'c', 'pingpong.c');
  const binary = join(PACKAGE_DIR, 'c', 'build', 'pingpong');
  const built = (file: string) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  if (built(binary) >= built(source)) return binary;
  mkdirSync(dirname(binary), { recursive: true });
  const compiled = spawnSync('cc', ['-O2', '-o', binary, source], { stdio: 'ignore' });
  return compiled.status === 0 ? binary : undefined;
}
