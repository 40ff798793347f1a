import type { ClientResult } from './protocol.js';

/**
 * The idle-memory suite's measurement, taken inside the service process: its heap and resident set
 * after garbage collection, once before the connections arrive and once when it holds them all.
 * The process runs with `--expose-gc`; a figure taken without a collection would count garbage.
 */

/** What the service process holds at one moment. */
export interface MemoryMark {
  readonly heapUsed: number;
  readonly rss: number;
}

/** The process's memory after two full collections (the first can leave work for finalizers). */
export function memoryAfterGc(): MemoryMark {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('the service must run with --expose-gc to measure its memory');
  gc();
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}

/**
 * Prints the result line of a service holding `connections` idle connections: its growth per
 * connection since `before`. The harness reads it as the second line of the service's output.
 */
export function reportHeld(before: MemoryMark, connections: number): void {
  const after = memoryAfterGc();
  const result: ClientResult = {
    count: connections,
    cpuSeconds: 0,
    heapPerConnection: (after.heapUsed - before.heapUsed) / connections,
    rssPerConnection: (after.rss - before.rss) / connections,
  };
  console.log(JSON.stringify(result));
}

/**
 * Calls {@link reportHeld} once `connections` connections have arrived, for a service that learns
 * of each one by an event: `arrived()` is called per connection.
 */
export function reportWhenHeld(before: MemoryMark, connections: number): () => void {
  let held = 0;
  return () => {
    // The report waits a turn of the event loop, so that the last connection's setup is done.
    if (++held === connections) setImmediate(() => reportHeld(before, connections));
  };
}
