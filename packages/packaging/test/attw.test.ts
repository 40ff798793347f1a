import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv } from '../src/clean-env.js';
import { PUBLIC_PACKAGES } from '../src/repo.js';
import { describeRun, killRunning, run, succeeded } from '../src/run.js';
import { toolScript } from '../src/tools.js';
import { packed } from './packing-context.js';

// arethetypeswrong resolves every entry point of the packed tarball as TypeScript would, under
// node10, node16 (from CJS and from ESM) and bundler resolution.
//
// The profile is esm-only: the packages are ESM by design ("type": "module", only ESM in dist,
// Node >= 20.19), so the two CommonJS-facing results are expected rather than wrong. "node16 from
// CJS" reports that a require() of them resolves to ESM (which TypeScript's node16 mode calls an
// error, though Node 20.19 can require ESM), and node10 predates "exports" (subpaths cannot
// resolve there). Everything an ESM user meets, node16 from ESM and
// bundler, must be clean. --no-definitely-typed because the packages ship their own types, which
// also keeps the check offline.
afterEach(killRunning);

describe('arethetypeswrong (profile esm-only) on the packed tarball', () => {
  for (const { name } of PUBLIC_PACKAGES) {
    it(`${name}: every entry point resolves to its types for ESM users`, async () => {
      const { tarball, unpacked } = packed(name);
      const args = [
        toolScript('@arethetypeswrong/cli', 'attw'),
        tarball,
        '--profile',
        'esm-only',
        '--no-definitely-typed',
        '--format',
        'ascii',
        '--no-emoji',
        '--no-color',
      ];
      const result = await run(process.execPath, args, { cwd: unpacked, env: cleanEnv(), timeoutMs: 90_000 });
      expect(
        succeeded(result),
        `${name}: arethetypeswrong found a problem in the packed tarball: ${describeRun(result)}`,
      ).toBe(true);
    }, 120_000);
  }
});
