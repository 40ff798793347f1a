import { readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Memory and descriptors of this process at one moment. */
export interface ResourceSample {
  /** Resident set size of the whole process (every thread, hosted flavours included), bytes. */
  readonly rss: number;
  /** This thread's JavaScript heap in use after a full collection, bytes. */
  readonly heap: number;
  /** Memory held by ArrayBuffers of this thread (socket and pool buffers), bytes. */
  readonly arrayBuffers: number;
  /** Open file descriptors of the process. */
  readonly fds: number;
}

let collect: (() => void) | undefined;

/**
 * A full garbage collection of this thread, so that what a sample counts is what is still held,
 * not what is merely not yet collected. Vitest does not start Node with `--expose-gc`; the flag
 * can still be set at run time, and a fresh context then sees `gc`.
 */
export function fullGc(): void {
  if (collect === undefined) {
    // Bun has its own, always there; Node's must be exposed first.
    const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
    if (bun !== undefined) {
      collect = () => bun.gc(true);
    } else {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
  }
  collect();
}

/** Open descriptors of this process (Linux; 0 where `/proc` is missing). */
export function openDescriptors(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return 0;
  }
}

/** Samples memory after a full collection, and the open descriptors. */
export function sampleResources(): ResourceSample {
  fullGc();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed, arrayBuffers: usage.arrayBuffers, fds: openDescriptors() };
}

/** `after` minus `before`, field by field. */
export function growth(before: ResourceSample, after: ResourceSample): ResourceSample {
  return {
    rss: after.rss - before.rss,
    heap: after.heap - before.heap,
    arrayBuffers: after.arrayBuffers - before.arrayBuffers,
    fds: after.fds - before.fds,
  };
}

/** A sample in MiB (descriptors as they are), for messages and logs. */
export function describeSample(sample: ResourceSample): string {
  const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return `rss ${mib(sample.rss)}, heap ${mib(sample.heap)}, arrayBuffers ${mib(sample.arrayBuffers)}, fds ${sample.fds}`;
}

/** One MiB. */
export const MIB = 1024 * 1024;
