import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { longRunRequested } from '../options.js';
import { programArgs } from '../runtime-args.js';

// The load run (load-run.ts) as a test. In CI it is scaled down, plainly: 200 clients doing 100
// round trips each (20,000 in all) on two shared cores. NET_TEST_LONG=1 runs the full size: 1,000
// clients doing 1,000 round trips each, a million round trips against one service.
const script = fileURLToPath(new URL('../../dist/load/load-run.js', import.meta.url));
const long = longRunRequested();
const clients = long ? 1_000 : 200;
const roundTrips = long ? 1_000 : 100;

interface LoadResult {
  expected: number;
  done: number;
  lost: number;
  duplicated: number;
  reordered: number;
  p50us: number;
  p99us: number;
}

/** The soft limit on open descriptors (`ulimit -n`); both ends of every connection are in this host. */
function descriptorLimit(): number {
  try {
    return Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

const enoughDescriptors = descriptorLimit() > clients + 200;

describe('load: many clients, strict round trips, one async service', () => {
  it.skipIf(!enoughDescriptors)(
    `${clients} clients x ${roundTrips} round trips: none lost, duplicated or reordered; p99 reported`,
    () => {
      const out = execFileSync(
        process.execPath,
        programArgs(script, ['--clients', String(clients), '--round-trips', String(roundTrips)]),
        {
          encoding: 'utf8',
          timeout: (long ? 900 : 120) * 1_000,
        },
      );
      const result = JSON.parse(out.trim().split('\n').pop()!) as LoadResult;
      console.log(`[load] ${clients} clients x ${roundTrips} round trips: ${out.trim()}`);
      expect(result.lost).toBe(0);
      expect(result.duplicated).toBe(0);
      expect(result.reordered).toBe(0);
      expect(result.done).toBe(result.expected);
      expect(result.p99us).toBeGreaterThan(0);
    },
    (long ? 960 : 180) * 1_000,
  );
});
