import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The C baseline (`c/pingpong.c`), built with the system compiler (`cc -O2`) on first use into
 * `c/build/`; `undefined` when there is no compiler, and the C rows are then skipped with a note.
 */
export function cProgram(): string | undefined {
  const source = join(PACKAGE_DIR, 'c', 'pingpong.c');
  const binary = join(PACKAGE_DIR, 'c', 'build', 'pingpong');
  if (existsSync(binary)) return binary;
  mkdirSync(dirname(binary), { recursive: true });
  const built = spawnSync('cc', ['-O2', '-o', binary, source], { stdio: 'ignore' });
  return built.status === 0 ? binary : undefined;
}
