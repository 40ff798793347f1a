/** One sample of a soak: seconds since the start, heap after a full GC, RSS, open descriptors. */
export interface SoakSample {
  readonly at: number;
  readonly heap: number;
  readonly rss: number;
  readonly fds: number;
}

/**
 * Growth after warm-up: the median of the last 30 % of the samples over the median of the 30 %
 * before them. The first 40 % are warm-up (JIT, allocator and buffer pools settling). Medians, so
 * one sample taken in the middle of a burst does not decide.
 */
export function growthAfterWarmUp(values: readonly number[]): number {
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  const at = (fraction: number) => Math.floor(values.length * fraction);
  const early = median(values.slice(at(0.4), at(0.7)));
  const late = median(values.slice(at(0.7)));
  return (late - early) / early;
}

/** The samples of one measure, in KiB (descriptors as they are), for an assertion's message. */
export function describeSeries(name: keyof Omit<SoakSample, 'at'>, samples: readonly SoakSample[]): string {
  return `${name}: ${samples.map((s) => Math.round(s[name] / (name === 'fds' ? 1 : 1024))).join(',')}`;
}
