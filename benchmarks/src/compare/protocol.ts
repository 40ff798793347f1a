/**
 * What the comparison's processes agree on: u32 big-endian length-prefixed frames (the C program
 * uses the same), the marks that tell a streamed frame from one to echo, and the subjects.
 */

/** First body byte of a streamed frame: counted by the server, not echoed. */
export const STREAMED = 0x53; // 'S'
/** First body byte of a frame to echo (ping-pong, fixed rate, the end of a stream). */
export const ECHOED = 0x50; // 'P'
/** First body byte of zeromq's "has the stream arrived?" request. */
export const DONE = 0x44; // 'D'

/** The Node subjects; the C baseline is a separate program. */
export const NODE_SUBJECTS = [
  'async',
  'nonblocking',
  'nonblocking-polled',
  'blocking',
  'blocking-heartbeats',
  'blocking-park',
  'raw',
  'zeromq',
] as const;
/** One of {@link NODE_SUBJECTS}. */
export type NodeSubject = (typeof NODE_SUBJECTS)[number];

/** The transports every subject runs over. */
export type Transport = 'tcp' | 'unix';

/**
 * What a run measures: round trips, a one-way stream, replies at a fixed rate, or (`hold`) the
 * service's memory while the client holds connections open and silent.
 */
export type Mode = 'pingpong' | 'stream' | 'rate' | 'hold';

/**
 * The codecs the flavours are compared with: raw bytes, JSON text, the binary struct codec, and
 * the struct codec receiving views (`structViewCodec`, without the lifetime check).
 */
export type CodecName = 'bytes' | 'json' | 'struct' | 'struct-view';

/** A body of `size` bytes starting with `mark`. */
export function body(size: number, mark: number): Uint8Array {
  return new Uint8Array(size).fill(mark);
}

/** A copy of a borrowed body (valid only until the next receive) for a send that may hold it. */
export function bytesFor(view: Uint8Array): Uint8Array {
  return new Uint8Array(view);
}

/** One run's result line: the client's, or in `hold` mode the service's. */
export interface ClientResult {
  /** Round-trip or scheduled-to-reply latency percentiles in µs (ping-pong and fixed rate). */
  readonly p50?: number;
  readonly p99?: number;
  readonly p999?: number;
  readonly max?: number;
  /** Elapsed µs of a stream, from the first frame to the echo of the last. */
  readonly elapsedUs?: number;
  readonly count: number;
  /** Round trips per second over all connections, warm-up included (many-connection runs). */
  readonly roundTripsPerSecond?: number;
  /** Client process CPU seconds over the measured part. */
  readonly cpuSeconds: number;
  /** Growth of the service's heap and resident set per idle connection, in bytes (`hold` mode). */
  readonly heapPerConnection?: number;
  readonly rssPerConnection?: number;
  /**
   * Bytes the client allocated on its JS heap, and young-generation collections it went through,
   * over the measured part; left out where its runtime has no counter (0 from the C program, which
   * has no collector and allocates nothing per message).
   */
  readonly allocatedBytes?: number;
  readonly youngGcs?: number;
  /** The I/O path the non-blocking client's connection reported while connected (`wasi` or `fs`). */
  readonly ioPath?: string;
}
