import * as v8 from 'node:v8';

/** The garbage one measured window made; a field the runtime has no counter for is left out. */
export interface Garbage {
  /** Bytes allocated on the JS heap over the window. */
  readonly allocatedBytes?: number;
  /** Young-generation collections over the window (scavenges, minor mark-sweeps, Eden collections). */
  readonly youngGcs?: number;
}

/** One collection as a GC profile lists it: its kind and the heap in use on either side of it. */
export interface GcRecord {
  readonly gcType: string;
  readonly beforeGC: { readonly heapStatistics: { readonly usedHeapSize: number } };
  readonly afterGC: { readonly heapStatistics: { readonly usedHeapSize: number } };
}

/** The part of a runtime's `node:v8` a meter reads (a stand-in in tests). */
export interface HeapCounters {
  /** `v8.GCProfiler`, where the runtime has it (Node, Bun and Deno do). */
  readonly GCProfiler?: new () => { start(): void; stop(): { statistics: readonly GcRecord[] } | undefined };
  getHeapStatistics(): { used_heap_size: number };
  /**
   * True where the heap in use is updated only by collections (Bun's): between two of them it
   * stands still however much is allocated, so a window's bytes are known to within what one young
   * collection takes, and only counted over {@link MIN_COLLECTIONS_FOR_BYTES} collections or more.
   */
  readonly usedMovesOnlyAtCollections?: boolean;
}

/** Young collections a window needs for its bytes to count where the heap moves only at collections (error below 1 in 10). */
export const MIN_COLLECTIONS_FOR_BYTES = 10;

/** This runtime's counters: its `node:v8`, and on Bun the coarser heap figure. */
const RUNTIME_COUNTERS: HeapCounters = {
  GCProfiler: (v8 as unknown as HeapCounters).GCProfiler,
  getHeapStatistics: () => v8.getHeapStatistics(),
  usedMovesOnlyAtCollections: 'bun' in process.versions,
};

/** The collections of the young generation, under the names V8's and Bun's GC profiles give them. */
const YOUNG = /^(Scavenge|MinorMark)/;

/**
 * Counts the garbage a client makes over its measured window, from the runtime's own counters and
 * only at the window's edges and at collections, so that it allocates nothing per message.
 *
 * Where the runtime has `v8.GCProfiler` (Node, Bun and Deno), the profiler records the heap in use
 * before and after every collection, outside the JS heap. Bytes allocated over the window are then
 * the heap's growth from edge to edge plus what every collection in between freed: exact for what
 * lives on the JS heap, to the few hundred bytes the edges themselves allocate. Memory outside it
 * (the backing stores of large buffers) is not counted, and a full collection whose sweeping
 * finishes after the window can make a short window's figure low. Young collections are the
 * profile's entries of a young kind. Bun's heap in use moves only at collections, so there a window
 * with fewer than {@link MIN_COLLECTIONS_FOR_BYTES} young collections has its bytes unknown rather
 * than read as nothing. A runtime without the profiler has neither figure: its `gc` performance
 * entries (where it has them) come on a later turn of the event loop, which a synchronous client's
 * loop never yields to, so they would count nothing in the very clients measured most.
 */
export class GarbageMeter {
  private readonly _counters: HeapCounters;
  private _profiler: { start(): void; stop(): { statistics: readonly GcRecord[] } | undefined } | undefined;
  private _usedAtStart = 0;
  private _result: Garbage | undefined;

  constructor(counters: HeapCounters = RUNTIME_COUNTERS) {
    this._counters = counters;
  }

  /** The window begins (again, dropping what an earlier start counted). */
  start(): void {
    this._halt();
    this._result = undefined;
    const Profiler = this._counters.GCProfiler;
    if (Profiler !== undefined) {
      this._profiler = new Profiler();
      this._profiler.start();
    }
    this._usedAtStart = this._counters.getHeapStatistics().used_heap_size;
  }

  /** The window ends at the first call; later calls return the same figures. */
  stop(): Garbage {
    if (this._result !== undefined) return this._result;
    const usedAtEnd = this._counters.getHeapStatistics().used_heap_size;
    const profile = this._profiler?.stop();
    this._profiler = undefined;
    if (profile !== undefined) {
      let freed = 0;
      let young = 0;
      for (const gc of profile.statistics) {
        freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
        if (YOUNG.test(gc.gcType)) young++;
      }
      // Sweeping that lags its collection can leave a short window a little below zero: none is allocated then.
      const allocatedBytes = Math.max(0, usedAtEnd - this._usedAtStart + freed);
      this._result =
        this._counters.usedMovesOnlyAtCollections === true && young < MIN_COLLECTIONS_FOR_BYTES
          ? { youngGcs: young }
          : { allocatedBytes, youngGcs: young };
    } else {
      this._result = {};
    }
    return this._result;
  }

  private _halt(): void {
    this._profiler?.stop();
    this._profiler = undefined;
  }
}
