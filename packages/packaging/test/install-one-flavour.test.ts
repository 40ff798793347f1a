import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv } from '../src/clean-env.js';
import { installedPackages } from '../src/installed-packages.js';
import { installOffline } from '../src/offline-install.js';
import { describeRun, killRunning, run, succeeded } from '../src/run.js';
import { makeTempDir, removeTempDir } from '../src/temp-dir.js';
import { transpileSnippet } from '../src/transpile.js';
import { packed } from './packing-context.js';

const snippets = fileURLToPath(new URL('../snippets/', import.meta.url));

// What a user installs, and what must come along: @net/async needs @net/core and nothing else;
// the two synchronous flavours need the synchronous runtime too, which an @net/async user never gets.
const CASES = [
  { name: '@net/core', snippet: 'core', brings: ['@net/core'] },
  { name: '@net/async', snippet: 'async', brings: ['@net/core', '@net/async'] },
  { name: '@net/nonblocking', snippet: 'nonblocking', brings: ['@net/core', '@net/sync', '@net/nonblocking'] },
  { name: '@net/blocking', snippet: 'blocking', brings: ['@net/core', '@net/sync', '@net/blocking'] },
] as const;

/** The program's closing JSON line, or undefined when it printed none. */
function lastJsonLine(stdout: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const dirs: string[] = [];
afterEach(() => {
  killRunning();
  for (const dir of dirs.splice(0)) removeTempDir(dir);
});

describe('installing one package from its tarball into an empty project, offline', () => {
  for (const { name, snippet, brings } of CASES) {
    it(`${name}: installs with only ${brings.join(' + ')} and runs a real program`, async () => {
      const dir = makeTempDir('install');
      dirs.push(dir);

      const { project, result: install } = await installOffline(dir, brings.map((pkg) => packed(pkg).tarball));
      expect(succeeded(install), `${name}: npm install of the tarballs failed offline: ${describeRun(install)}`).toBe(true);

      const expected = brings.map((pkg) => `node_modules/${pkg}`).sort();
      expect(installedPackages(project), `${name}: installing it brought packages other than ${brings.join(' + ')}`).toEqual(expected);

      // The program (type-checked against the installed packages in declarations-compile.test.ts)
      // never calls process.exit: ending by itself shows that nothing it opened lingers.
      const main = join(project, `${snippet}.js`);
      transpileSnippet(join(snippets, `${snippet}.ts`), main);
      const program = await run(process.execPath, [main], { cwd: project, env: cleanEnv(), timeoutMs: 30_000 });
      expect(succeeded(program), `${name}: the program using the installed package failed: ${describeRun(program)}`).toBe(true);
      const report = lastJsonLine(program.stdout);
      expect(report?.['package'], `${name}: the program ended without reporting success: ${describeRun(program)}`).toBe(name);
    }, 120_000);
  }
});
