/** One sample of a soak: seconds since the start, heap after a full GC, RSS, open descriptors. */
export interface SoakSample {
  readonly at: number;
  readonly heap: number;
  readonly rss: number;
  readonly fds: number;
  /** A synchronous service's broker thread: its heap after its own full GC, and its sockets. */
  readonly brokerHeap?: number;
  readonly brokerSockets?: number;
}

/**
 * Growth after warm-up: the median of the last 30 % of the samples over the median of the 30 %
 * before them. The first 40 % are warm-up (JIT, allocator and buffer pools settling). Medians, so
 * one sample taken in the middle of a burst does not decide.
 */
export function growthAfterWarmUp(values: readonly number[]): number {
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  const at = (fraction: number) => Math.floor(values.length * fraction);
  const early = median(values.slice(at(0.4), at(0.7)));
  const late = median(values.slice(at(0.7)));
  return (late - early) / early;
}

/** {@link growthAfterWarmUp} as a difference (late median minus early median), in the measure's unit. */
export function growthInBytesAfterWarmUp(values: readonly number[]): number {
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  const at = (fraction: number) => Math.floor(values.length * fraction);
  return median(values.slice(at(0.7))) - median(values.slice(at(0.4), at(0.7)));
}

/** The samples of one measure, in KiB (descriptors as they are), for an assertion's message. */
export function describeSeries(name: keyof Omit<SoakSample, 'at'>, samples: readonly SoakSample[]): string {
  const unit = name === 'fds' || name === 'brokerSockets' ? 1 : 1024;
  return `${name}: ${samples.map((s) => Math.round((s[name] ?? 0) / unit)).join(',')}`;
}
