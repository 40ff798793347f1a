import type { Cleanups } from './cleanups.mjs';

/** The codec of a both-ways stream: frames of `size` bytes, a receive limit that holds `count` of them. */
export function streamCodec(flavour: object, size: number, count: number): never;

/** Sends `count` frames, then receives `count`; the first problem, or undefined. */
export function streamBothWays(
  clt: object,
  blocking: boolean,
  count: number,
  size: number,
  timeoutMs: number,
): string | undefined;

/** What the client peer is told: its flavour's calls, the service's port, the stream and its limits. */
export interface StreamClientOptions {
  readonly blocking: boolean;
  readonly port: number;
  readonly count: number;
  readonly size: number;
  readonly timeoutMs: number;
  readonly writeStallTimeout: number;
}

/** Starts the client peer on a worker; resolves to its problem, or undefined. */
export function startStreamClient(
  cleanups: Cleanups,
  flavourUrl: URL,
  options: StreamClientOptions,
): Promise<string | undefined>;
