import { describe, expect, it } from 'vitest';
import { casesFor, type Case, SUBJECTS, type Subject, whyNotRun } from './cases.js';
import { type GcRecord, GarbageMeter, type HeapCounters, MIN_COLLECTIONS_FOR_BYTES } from './garbage-meter.js';
import type { ClientResult } from './protocol.js';
import { ALLOCATED, Results, YOUNG_GCS } from './results.js';
import { renderTables } from './tables.js';

// The garbage counts of the comparison: what the meter reads from the runtime, and how the figures
// reach the results file and the tables. No speed is asserted, and no exact byte count either:
// only which of two loops made more garbage, and what is printed where a runtime has no counter.

const MESSAGES = 100_000;

/** Bytes per message of `loop`, measured in this process as a client measures its own. */
function bytesPerMessage(loop: (messages: number) => unknown): { bytes: number; young: number } {
  loop(MESSAGES / 10); // warm-up: let the loop be compiled before it is measured
  const meter = new GarbageMeter();
  meter.start();
  loop(MESSAGES);
  const garbage = meter.stop();
  expect(garbage.allocatedBytes, 'this runtime has v8.GCProfiler').toBeDefined();
  expect(garbage.youngGcs).toBeDefined();
  return { bytes: garbage.allocatedBytes! / MESSAGES, young: garbage.youngGcs! };
}

/** A profile of `young` scavenges and one full collection, each freeing 1,000 bytes. */
function fakeCounters(young: number, movesOnlyAtCollections: boolean): HeapCounters {
  const gc = (gcType: string): GcRecord => ({
    gcType,
    beforeGC: { heapStatistics: { usedHeapSize: 5_000 } },
    afterGC: { heapStatistics: { usedHeapSize: 4_000 } },
  });
  const statistics = [...Array.from({ length: young }, () => gc('Scavenge')), gc('MarkSweepCompact')];
  return {
    GCProfiler: class {
      start(): void {}
      stop() {
        return { statistics };
      }
    },
    getHeapStatistics: () => ({ used_heap_size: 4_000 }),
    usedMovesOnlyAtCollections: movesOnlyAtCollections,
  };
}

describe('the garbage meter', () => {
  it('counts more bytes per message for a loop that allocates than for one that does not', () => {
    const kept: unknown[] = new Array<unknown>(64);
    const allocating = bytesPerMessage((messages) => {
      // Each message leaves an object and an array of 64 numbers behind (over 500 bytes): garbage
      // once overwritten, and 50 MB in all, so young collections must happen.
      for (let i = 0; i < messages; i++) kept[i & 63] = { i, body: new Array<number>(64).fill(i) };
      return kept;
    });
    // Small integers only, kept below 2^16: they never need a heap number, so this loop allocates
    // nothing whether it runs interpreted or compiled (a double sum allocated in the interpreter,
    // and a loaded machine can keep the loop there for the whole window).
    const counts = new Int32Array(64);
    const quiet = bytesPerMessage((messages) => {
      for (let i = 0; i < messages; i++) counts[i & 63] = (counts[i & 63] + i) & 0xffff;
      return counts;
    });
    expect(allocating.bytes).toBeGreaterThan(64);
    expect(allocating.bytes).toBeGreaterThan(quiet.bytes * 10);
    expect(quiet.bytes).toBeLessThan(8);
    expect(allocating.young).toBeGreaterThan(quiet.young);
  });

  it('sums what every collection freed with the growth between the edges, and counts the young ones only', () => {
    const meter = new GarbageMeter(fakeCounters(3, false));
    meter.start();
    expect(meter.stop()).toEqual({ allocatedBytes: 4_000, youngGcs: 3 });
    // The window ends once: a later stop gives the same figures.
    expect(meter.stop()).toEqual({ allocatedBytes: 4_000, youngGcs: 3 });
  });

  it('leaves the bytes unknown where the heap moves only at collections and too few came, never 0', () => {
    const few = new GarbageMeter(fakeCounters(MIN_COLLECTIONS_FOR_BYTES - 1, true));
    few.start();
    expect(few.stop()).toEqual({ youngGcs: MIN_COLLECTIONS_FOR_BYTES - 1 });
    const enough = new GarbageMeter(fakeCounters(MIN_COLLECTIONS_FOR_BYTES, true));
    enough.start();
    expect(enough.stop().allocatedBytes).toBe((MIN_COLLECTIONS_FOR_BYTES + 1) * 1_000);
  });

  it('reports neither figure on a runtime without a GC profile', () => {
    const meter = new GarbageMeter({ getHeapStatistics: () => ({ used_heap_size: 1 }) });
    meter.start();
    expect(meter.stop()).toEqual({});
  });
});

const roundTrip = (garbage: Partial<ClientResult>): ClientResult => ({
  p50: 10,
  p99: 20,
  p999: 30,
  max: 40,
  count: 1_000,
  cpuSeconds: 0.01,
  elapsedUs: 10_000,
  ...garbage,
});
const pick = (...ids: string[]): Subject[] => SUBJECTS.filter((s) => ids.includes(s.id));

describe('the garbage figures in the results and the tables', () => {
  const cases = casesFor({ depth: 'quick', transports: ['tcp'], sizes: [128], suites: ['roundtrip'], idleLimit: 0 });
  const c: Case = cases[0];

  it('writes bytes and young collections per message, and nothing for a runtime without a counter', () => {
    const results = new Results();
    results.add('node:net', c, roundTrip({ allocatedBytes: 2_000_000, youngGcs: 3 }), 1_000);
    results.add('@net/async on Bun', c, roundTrip({}), 1_000);
    results.add('C busy-poll', c, roundTrip({ allocatedBytes: 0, youngGcs: 0 }), 1_000);
    const garbage = results.figures.filter((f) => f.metric === ALLOCATED || f.metric === YOUNG_GCS);
    expect(garbage.map((f) => `${f.subject} ${f.metric} ${f.value} ${f.unit}`)).toEqual([
      `node:net ${ALLOCATED} 2000 B`,
      `node:net ${YOUNG_GCS} 3000 per 1M messages`,
      `C busy-poll ${ALLOCATED} 0 B`,
      `C busy-poll ${YOUNG_GCS} 0 per 1M messages`,
    ]);
    const printed = renderTables(results, pick('net', 'async-bun', 'c-poll'), cases);
    expect(printed).toContain('| allocated B per round trip | young GCs per 1M round trips |');
    expect(printed).toMatch(/\| node:net \| .* \| 2000 \| 3000\.0 \|$/m);
    expect(printed).toMatch(/\| @net\/async on Bun \| .* \| n\/a \| n\/a \|$/m);
    expect(printed).toMatch(/\| C busy-poll \| .* \| 0 \| 0\.0 \|$/m);
  });

  it('has a garbage suite of long ping-pongs (bytes, struct objects, struct views) and a long stream, scaled like the others, with a table of its own', () => {
    const grid = { transports: ['tcp'], sizes: [128], suites: ['garbage'], idleLimit: 0 } as const;
    const garbageCases = casesFor({ ...grid, depth: 'default' });
    expect(garbageCases.map((x) => [x.mode, x.codec, x.count])).toEqual([
      ['pingpong', 'bytes', 1_000_000],
      ['stream', 'bytes', 10_000_000],
      ['pingpong', 'struct', 1_000_000],
      ['pingpong', 'struct-view', 1_000_000],
    ]);
    const quick = casesFor({ ...grid, depth: 'quick' });
    expect(quick.map((x) => x.count)).toEqual([20_000, 200_000, 20_000, 20_000]);
    const results = new Results();
    results.add('@net/nonblocking', quick[0], roundTrip({ allocatedBytes: 500_000, youngGcs: 1 }), 20_000);
    results.add('@net/nonblocking', quick[3], roundTrip({ allocatedBytes: 20_000, youngGcs: 0 }), 20_000);
    results.add('@net/blocking on Bun', quick[2], roundTrip({}), 20_000);
    const printed = renderTables(results, pick('nonblocking', 'blocking-bun', 'c-poll'), quick);
    expect(printed).toContain(
      '### Garbage per message (tcp 128B bytes and the 128B struct order, up to 20,000 round trips and 200,000 streamed messages',
    );
    expect(printed).toContain('0 by construction');
    expect(printed).toContain(
      '| allocated B per bytes round trip | young GCs per 1M bytes round trips | allocated B per struct-object round trip | young GCs per 1M struct-object round trips | allocated B per struct-view round trip | young GCs per 1M struct-view round trips | allocated B per streamed message |',
    );
    // The codec rows sit beside the bytes rows: objects, then views, then the stream.
    expect(printed).toMatch(/^\| @net\/nonblocking \| 500 \| 1000\.0 \| - \| - \| 20 \| 0\.0 \| - \| - \|$/m);
    expect(printed).toMatch(/^\| @net\/blocking on Bun \| - \| - \| n\/a \| n\/a \| - \| - \| - \| - \|$/m);
  });

  it('runs the codec cases on every flavour, on Bun and Deno too, and not on subjects that send bytes', () => {
    const cases = casesFor({ depth: 'quick', transports: ['tcp'], sizes: [128], suites: ['garbage'], idleLimit: 0 });
    const views = cases.find((x) => x.codec === 'struct-view')!;
    const runs = SUBJECTS.filter((s) => whyNotRun(s, views) === undefined).map((s) => s.id);
    expect(runs).toEqual(
      expect.arrayContaining([
        'nonblocking',
        'blocking',
        'nonblocking-bun',
        'blocking-bun',
        'nonblocking-deno',
        'blocking-deno',
      ]),
    );
    for (const bytesOnly of ['net', 'c-poll', 'zeromq']) expect(runs).not.toContain(bytesOnly);
    expect(whyNotRun(pick('c-poll')[0], cases[0])).toBeUndefined();
  });
});
