/**
 * Which scenario groups the conformance suite runs, and how hard it pushes. Every field is
 * optional; the defaults keep one flavour pair well under a minute on two shared CI cores. Set
 * `NET_TEST_LONG=1` in the environment for the long counts (the same scenarios, more traffic).
 */
export interface ConformanceOptions {
  /** Ping-pong, streaming both ways, connect failures, restarts, peer drops. Default true. */
  readonly messaging?: boolean;
  /** `maxConnections`, the service pool (round robin, `sendTo`, `broadcast`, fair `recvFrom`). Default true. */
  readonly servicePool?: boolean;
  /** Protocol hooks: handshake, heartbeats, auto-reply, goodbye messages. Default true. */
  readonly protocol?: boolean;
  /** Every frame size up to the limit, every framer and codec, frames fed in pieces. Default true. */
  readonly framing?: boolean;
  /** Oversized, undecodable, truncated and garbage input; the service keeps serving. Default true. */
  readonly faults?: boolean;
  /** Many clients at once and bulk streams. Default true. */
  readonly load?: boolean;
  /** Messages streamed each way by the bulk scenario. Default 100,000 (1,000,000 with `NET_TEST_LONG`). */
  readonly messageCount?: number;
  /** Strict request/response round trips. Default 2,000 (100,000 with `NET_TEST_LONG`). */
  readonly roundTrips?: number;
  /** Clients connected at once in the load scenarios. Default 200 (1,000 with `NET_TEST_LONG`). */
  readonly concurrentClients?: number;
  /** Messages each of those clients sends and gets echoed. Default 20 (200 with `NET_TEST_LONG`). */
  readonly messagesPerClient?: number;
  /** Connection attempts over `maxConnections` in the overload scenario. Default 2,000 (10,000 with `NET_TEST_LONG`). */
  readonly connectionAttempts?: number;
  /** Test timeout of the heavy scenarios in ms. Default 60,000 (600,000 with `NET_TEST_LONG`). */
  readonly heavyTimeout?: number;
  /** Use the long counts. Default: true when `NET_TEST_LONG` is set to anything but `''` or `'0'`. */
  readonly long?: boolean;
}

/** {@link ConformanceOptions} with every default applied. */
export type ResolvedConformanceOptions = Required<ConformanceOptions>;

/** True when the environment asks for the long runs (`NET_TEST_LONG`). */
export function longRunRequested(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const value = env.NET_TEST_LONG;
  return value !== undefined && value !== '' && value !== '0';
}

/** Applies the documented defaults to `options`. */
export function resolveConformanceOptions(options: ConformanceOptions = {}): ResolvedConformanceOptions {
  const long = options.long ?? longRunRequested();
  return {
    messaging: options.messaging ?? true,
    servicePool: options.servicePool ?? true,
    protocol: options.protocol ?? true,
    framing: options.framing ?? true,
    faults: options.faults ?? true,
    load: options.load ?? true,
    messageCount: options.messageCount ?? (long ? 1_000_000 : 100_000),
    roundTrips: options.roundTrips ?? (long ? 100_000 : 2_000),
    concurrentClients: options.concurrentClients ?? (long ? 1_000 : 200),
    messagesPerClient: options.messagesPerClient ?? (long ? 200 : 20),
    connectionAttempts: options.connectionAttempts ?? (long ? 10_000 : 2_000),
    heavyTimeout: options.heavyTimeout ?? (long ? 600_000 : 60_000),
    long,
  };
}
