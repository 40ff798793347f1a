// How many bytes a piece of code allocated on the JavaScript heap, for the garbage tests of every
// package: the heap's growth over the run plus what each collection in between freed.
import * as v8 from 'node:v8';

const GCProfiler = v8.GCProfiler;

/**
 * True where the heap's figure moves with every allocation and collections are reported (V8: Node
 * and Deno). Bun's figure moves only at collections, so an allocation count there means nothing.
 */
export const countsAllocations = GCProfiler !== undefined && !('bun' in process.versions);

function allocatedSince(profiler, before) {
  const after = v8.getHeapStatistics().used_heap_size;
  let freed = 0;
  for (const gc of profiler.stop()?.statistics ?? [])
    freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
  return after - before + freed;
}

/** Bytes the heap took while `run` ran (synchronous). */
export function allocatedOver(run) {
  const profiler = new GCProfiler();
  profiler.start();
  const before = v8.getHeapStatistics().used_heap_size;
  run();
  return allocatedSince(profiler, before);
}

/** Bytes the heap took while `run` ran, awaiting it. */
export async function allocatedOverAsync(run) {
  const profiler = new GCProfiler();
  profiler.start();
  const before = v8.getHeapStatistics().used_heap_size;
  await run();
  return allocatedSince(profiler, before);
}
