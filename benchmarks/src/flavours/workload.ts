/**
 * What every subject of the flavour benchmarks sends and checks, so all of them move the same
 * bytes: 128-byte message bodies (the hand-encoded order of `messages/`), framed with a u32
 * big-endian length prefix; the echo server answers each request with the same body, its first
 * byte (the message type) set to "accepted".
 */
import type { RecordableHistogram } from 'node:perf_hooks';
import { protocolFor } from '../demo/protocols.js';
import { MSG_ACCEPTED, MSG_NEW_ORDER, ORDER_BODY_BYTES } from '../messages/order.js';

/** Body bytes of every message. */
export const BODY_BYTES = ORDER_BODY_BYTES;
/** Bytes of the u32 length prefix. */
export const HEADER_BYTES = 4;
/** Bytes of one frame on the wire. */
export const FRAME_BYTES = HEADER_BYTES + BODY_BYTES;
/** Distinct requests the clients cycle through (a power of two: the index is `seq & REQUEST_MASK`). */
export const REQUEST_COUNT = 64;
/** `seq & REQUEST_MASK` picks a request. */
export const REQUEST_MASK = REQUEST_COUNT - 1;

/**
 * The requests, built once per process (building one is an encode, which is not what these
 * benchmarks measure): the 128-byte bodies of orders 0 to 63, from the demo's bytes protocol.
 */
export function requestBodies(): Buffer[] {
  const protocol = protocolFor('bytes');
  const bodies: Buffer[] = [];
  for (let seq = 0; seq < REQUEST_COUNT; seq++) bodies.push(Buffer.from(protocol.request(seq) as Uint8Array));
  return bodies;
}

/** What the echo server does to a request body, in place: mark it accepted. */
export function acceptInPlace(body: Uint8Array): void {
  body[0] = MSG_ACCEPTED;
}

/**
 * Whether `reply` (`length` bytes of `bytes` from `offset`) is the answer to `request`: the same
 * body, first byte set to accepted.
 */
export function isReplyTo(request: Uint8Array, bytes: Uint8Array, offset = 0, length = bytes.length - offset): boolean {
  if (length !== request.length || bytes[offset] !== MSG_ACCEPTED) return false;
  for (let i = 1; i < length; i++) if (bytes[offset + i] !== request[i]) return false;
  return true;
}

/** Frames `body` with a u32 big-endian length prefix into `out` at `at`; returns the frame's length. */
export function writeFrame(body: Uint8Array, out: Buffer, at: number): number {
  out.writeUInt32BE(body.length, at);
  out.set(body, at + HEADER_BYTES);
  return HEADER_BYTES + body.length;
}

/** Where a server listens: TCP on loopback (port 0 picks a free one) or a Unix socket path. */
export type ListenSpec = { readonly transport: 'tcp'; readonly host: string } | { readonly transport: 'unix'; readonly path: string };

/** Where a client connects. */
export type ServerAddress = { readonly transport: 'tcp'; readonly host: string; readonly port: number } | { readonly transport: 'unix'; readonly path: string };

/** `127.0.0.1:4242` or the socket path. */
export function describeAddress(address: ServerAddress): string {
  return address.transport === 'tcp' ? `${address.host}:${address.port}` : address.path;
}

/** What a server does with the messages it gets. */
export type ServerMode = 'echo' | 'sink';

/** Percentiles of one ping-pong round, in nanoseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/** The summary of an HDR histogram of nanoseconds. */
export function summarizeHistogram(histogram: RecordableHistogram): LatencySummary {
  return {
    count: histogram.count,
    min: histogram.min,
    mean: histogram.mean,
    p50: histogram.percentile(50),
    p99: histogram.percentile(99),
    p999: histogram.percentile(99.9),
    max: histogram.max,
  };
}

/** Parameters of a client's `pingpong` command. */
export interface PingPongParams {
  /** Round trips. */
  readonly count: number;
  /** Sequence number of the first request (requests cycle through {@link REQUEST_COUNT} bodies). */
  readonly firstSeq: number;
}

/** The answer to a client's `pingpong` command. */
export interface PingPongRound {
  readonly latency: LatencySummary;
  /** Replies received. */
  readonly replies: number;
  /** Replies that were not the answer to their request. */
  readonly mismatches: number;
  /** Wall time of the round, in ns. */
  readonly elapsedNs: number;
}

/** The answer to a client's `blast` command. */
export interface BlastResult {
  /** Messages sent. */
  readonly sent: number;
  /** `process.hrtime` (CLOCK_MONOTONIC, shared by every process of the machine) just before the first send, in ns. */
  readonly startAt: number;
  /** When the last message was handed to the transport, in ns. */
  readonly sendEndAt: number;
  /** Times the sender had to wait for the transport to drain. */
  readonly waits: number;
}

/** The answer to a server's `await-messages` command: when the expected messages had all arrived. */
export interface ArrivalResult {
  /** Messages received since `expect` (more than expected only if a client sent too many). */
  readonly received: number;
  /** `process.hrtime` of the first and the last arrival, in ns. */
  readonly firstAt: number;
  readonly lastAt: number;
  /** Messages whose body was not one of the requests. */
  readonly corrupt: number;
}

/** `process.hrtime.bigint()` as a number of ns (exact for 104 days of uptime, then to within a few ns). */
export function nowNs(): number {
  return Number(process.hrtime.bigint());
}

/**
 * Counts arriving messages for a sink server and settles the orchestrator's wait once the expected
 * number is in.
 */
export class ArrivalCounter {
  private _received = 0;
  private _corrupt = 0;
  private _firstAt = 0;
  private _lastAt = 0;
  private _expected = Infinity;
  private _waiter: ((result: ArrivalResult) => void) | undefined;

  /** Starts a round: `count` messages are on their way. */
  expect(count: number): void {
    this._received = 0;
    this._corrupt = 0;
    this._firstAt = 0;
    this._lastAt = 0;
    this._expected = count;
    this._waiter = undefined;
  }

  /** Resolves once the expected messages have arrived. */
  wait(): Promise<ArrivalResult> {
    if (this._received >= this._expected) return Promise.resolve(this._result());
    return new Promise((resolve) => (this._waiter = resolve));
  }

  /** One message arrived; `firstByte` is its first body byte (a request has the new-order type). */
  arrived(firstByte: number | undefined): void {
    if (this._received === 0) this._firstAt = nowNs();
    if (firstByte !== MSG_NEW_ORDER) this._corrupt++;
    if (++this._received === this._expected) {
      this._lastAt = nowNs();
      const waiter = this._waiter;
      this._waiter = undefined;
      waiter?.(this._result());
    }
  }

  private _result(): ArrivalResult {
    return { received: this._received, firstAt: this._firstAt, lastAt: this._lastAt, corrupt: this._corrupt };
  }
}
