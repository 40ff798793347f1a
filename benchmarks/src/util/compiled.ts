import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** Source files whose compiled program is missing or older than the source. */
function staleSources(dir = join(PACKAGE_DIR, 'src')): string[] {
  const stale: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      stale.push(...staleSources(path));
    } else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts') && !entry.endsWith('.d.ts')) {
      const compiled = join(PACKAGE_DIR, 'dist', relative(join(PACKAGE_DIR, 'src'), path)).replace(/\.ts$/, '.js');
      let fresh = false;
      try {
        fresh = statSync(compiled).mtimeMs >= statSync(path).mtimeMs;
      } catch {
        // not compiled yet
      }
      if (!fresh) stale.push(path);
    }
  }
  return stale;
}

/**
 * Compiles the package when a program is missing or older than its source: benchmark programs
 * run in child processes, which cannot load TypeScript. For tests' `beforeAll`.
 */
export function ensureCompiled(): void {
  if (staleSources().length === 0) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: PACKAGE_DIR, stdio: 'inherit' });
}

/** The compiled program for a path under `src/` (given without extension). */
export function compiledProgram(path: string): string {
  return join(PACKAGE_DIR, 'dist', `${path}.js`);
}
