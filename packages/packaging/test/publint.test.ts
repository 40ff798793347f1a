import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv } from '../src/clean-env.js';
import { PUBLIC_PACKAGES } from '../src/repo.js';
import { describeRun, killRunning, run, succeeded } from '../src/run.js';
import { toolScript } from '../src/tools.js';
import { packed } from './packing-context.js';

// publint reads the tarball itself, so it judges exactly the files and manifest a user receives.
// --strict turns its warnings into failures: a warning here is a user's broken import later.
afterEach(killRunning);

describe('publint --strict on the packed tarball', () => {
  for (const { name } of PUBLIC_PACKAGES) {
    it(`${name}: publint finds nothing`, async () => {
      const { tarball, unpacked } = packed(name);
      const result = await run(process.execPath, [toolScript('publint', 'publint'), '--strict', tarball], {
        cwd: unpacked,
        env: cleanEnv(),
        timeoutMs: 45_000,
      });
      expect(succeeded(result), `${name}: publint --strict failed on the packed tarball: ${describeRun(result)}`).toBe(
        true,
      );
    }, 60_000);
  }
});
