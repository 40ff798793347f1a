import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { socketHostKind } from '@net/sync';
import { describe, expect, it } from 'vitest';
import { describeSeries, growthAfterWarmUp, growthInBytesAfterWarmUp, type SoakSample } from './soak-growth.js';
import { programArgs } from '../runtime-args.js';

// The soak of each synchronous flavour's service (sync-soak-run.ts), bounded: 20 seconds each
// here (NET_SOAK_SECONDS to change it; the documented long run is ten minutes). The service runs
// on the main thread of a child process started with --expose-gc, so that heap samples are taken
// after a full collection; its clients churn in a process of their own. The young generation of
// every thread is fixed at a small size (a 1 MiB semi-space): V8 otherwise grows it in steps under
// load, and even one reserved at its full size up front (--min-semi-space-size=16) is touched page
// by page as the service allocates, so that on a loaded machine RSS climbed by 20-70 MiB through
// the whole window while both heaps stayed flat (docs/reliability.md has the series). With a small
// young generation every page of it is touched within the first second, and RSS shows what lives.
// The broker thread collects its garbage at every sample too (stats({ collect })): between its own
// collections its heap reservation grows and V8 later gives it back, the RSS sawtooth that once
// failed this test while every live measure was flat.
const script = fileURLToPath(new URL('../../dist/soak/sync-soak-run.js', import.meta.url));
const seconds = Number(process.env.NET_SOAK_SECONDS ?? 20);
// Heap samples after a full collection (gc), and a young generation fixed small (see above).
const V8_FLAGS = ['--expose-gc', '--min-semi-space-size=1', '--max-semi-space-size=1'];
const RSS_MARGIN_BYTES = 32 * 1024 * 1024;

interface SyncSoakResult {
  roundTrips: number;
  connections: number;
  problems: number;
  failures: number;
  samples: Required<SoakSample>[];
}

for (const flavour of ['nonblocking', 'blocking'] as const) {
  describe(`soak (${flavour} service, steady load, connections churning)`, () => {
    it(
      `holds heap, RSS and descriptors flat over ${seconds} s, with no reply lost, duplicated or reordered`,
      () => {
        const out = execFileSync(
          process.execPath,
          programArgs(
            script,
            ['--flavour', flavour, '--seconds', String(seconds), '--clients', '20', '--churn-ms', '50'],
            V8_FLAGS,
          ),
          {
            encoding: 'utf8',
            timeout: (seconds + 60) * 1_000,
          },
        );
        const result = JSON.parse(out.trim().split('\n').pop()!) as SyncSoakResult;
        const { samples, ...counts } = result;
        console.log(`[soak ${flavour}] ${JSON.stringify(counts)}; ${describeSeries('rss', samples)}`);
        expect(result.problems).toBe(0);
        expect(result.failures).toBe(0);
        expect(result.roundTrips).toBeGreaterThan(1_000);
        // Churn: far more connections than clients at once.
        expect(result.connections).toBeGreaterThan(20 * 3);
        expect(samples.length).toBeGreaterThanOrEqual(seconds - 2);
        // What the library holds, strictly: both threads' heaps after a full GC of each, the
        // descriptors, and the sockets the broker keeps (churn replaces them, never adds).
        // A runtime that calls the C library directly has no broker thread, so no heap of its own to watch.
        const held =
          socketHostKind() === 'broker' ? (['heap', 'brokerHeap', 'fds'] as const) : (['heap', 'fds'] as const);
        for (const key of held) {
          expect(growthAfterWarmUp(samples.map((s) => s[key])), describeSeries(key, samples)).toBeLessThan(0.05);
        }
        expect(
          Math.max(...samples.map((s) => s.brokerSockets)),
          describeSeries('brokerSockets', samples),
        ).toBeLessThanOrEqual(20 * 2);
        // RSS also moves with pages the allocators keep or give back, which no heap shows: bounded
        // by an absolute margin (docs/reliability.md has the series that set it); a leak of the
        // library's own memory shows in the heaps above first.
        expect(growthInBytesAfterWarmUp(samples.map((s) => s.rss)), describeSeries('rss', samples)).toBeLessThan(
          RSS_MARGIN_BYTES,
        );
      },
      (seconds + 90) * 1_000,
    );
  });
}
