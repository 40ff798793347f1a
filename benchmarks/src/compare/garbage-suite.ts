import type { Case, Depth } from './cases.js';
import type { Transport } from './protocol.js';

/**
 * The measured part of a garbage case ends after this many ms: long enough for the young
 * generation to fill many times over (a collection every few thousand round trips), short enough
 * that a subject parking on every receive does not hold the run for minutes.
 */
export const GARBAGE_BUDGET_MS: Record<Depth, number> = { quick: 5_000, default: 60_000, full: 120_000 };

/** Why the subjects left out of the garbage suite are. */
export const GARBAGE_VARIANT = "a variant of a flavour, whose garbage is the flavour's";

/**
 * The garbage suite: a long ping-pong and a long one-way stream whose figures are the garbage the
 * client made per message and its young collections per million messages, judged by no goal and
 * timed only as the other suites are; the round trips run with raw bytes, and again with the struct
 * codec's objects and with its views. 1,000,000 round trips and 10,000,000 streamed messages,
 * scaled by the run's depth like every other count (the time budget ends a slow subject sooner).
 */
export function garbageCases(depth: Depth, transports: readonly Transport[], scale: number): Case[] {
  const n = (count: number) => Math.max(50, Math.round(count * scale));
  const base = {
    rate: 0,
    codec: 'bytes',
    connections: 1,
    idle: 0,
    budgetMs: GARBAGE_BUDGET_MS[depth],
    size: 128,
  } as const;
  return transports.flatMap((transport): Case[] => [
    { ...base, suite: 'garbage', mode: 'pingpong', transport, count: n(1_000_000), warmup: n(20_000) },
    { ...base, suite: 'garbage', mode: 'stream', transport, count: n(10_000_000), warmup: n(1_000_000) },
    // The 128-byte order decoded into an object per message, and into the connection's reused view.
    ...(['struct', 'struct-view'] as const).map((codec): Case => ({
      ...base,
      codec,
      suite: 'garbage',
      mode: 'pingpong',
      transport,
      count: n(1_000_000),
      warmup: n(20_000),
    })),
  ]);
}
