import { type CommonConnectionOptions, type ConId, defaultTimer, ErrorCode, NetError, type Timer } from '@net/core';
import {
  DEFAULT_MAX_BATCH_BYTES,
  DEFAULT_PROTOCOL_SEND_TIMEOUT_MS,
  DEFAULT_RECV_SPIN_MICROS,
  DEFAULT_WRITE_STALL_TIMEOUT_MS,
} from './limits.js';
import {
  checkIntegerOption,
  protocolForConnection,
  resolveCommonOptions,
  type ResolvedCommonOptions,
} from '@net/core/internal';
import type { SocketHost } from './socket-host.js';
import type { SharedHold } from './transfer/shared-hold.js';
import type { IdleStrategy } from './status.js';
import { SyncConnection } from './sync-connection.js';

/** Options every connection of a synchronous flavour takes, on either side. */
export interface SyncConnectionOptions<Send, Recv> extends CommonConnectionOptions<Send, Recv> {
  /** How busy-waits wait between attempts (the non-blocking flavour). Default `'spin'`. */
  readonly idleStrategy?: IdleStrategy;
  /** Bound on sends the protocol makes itself (heartbeats, replies), in ms. Default 1,000. */
  readonly protocolSendTimeout?: number;
  /**
   * Largest frame or batch of frames a connection encodes at once, in bytes, at least 64: a `send`
   * over it fails with `NET_ERR_BUFFER_LIMIT` and writes nothing. Default 16 MiB.
   */
  readonly maxBatchBytes?: number;
  /**
   * @deprecated Renamed `maxBatchBytes` (in `@net/async`, `maxBufferedBytes` is an outbound-queue
   * limit, which these flavours do not have). Passing it throws `NET_ERR_INVALID_ARGUMENT`.
   */
  readonly maxBufferedBytes?: never;
  /**
   * How long the peer may take no byte while a frame waits to be written, in ms: a send refused
   * this long (however many calls) or a frame left half written this long closes the connection
   * with `NET_ERR_BACKPRESSURE`. Default 5,000. A half-written frame must be finished (half a frame
   * would corrupt the stream), so without this bound a peer that stops reading would hold the
   * sending thread forever.
   */
  readonly writeStallTimeout?: number;
  /**
   * `@net/blocking`: how long a receive polls its socket before it parks, in µs, 0 to 1,000,000.
   * A message that comes within the spin costs no park and no wake-up; a wait past it parks in the
   * kernel's `read`, or, when a `timeout` or a timer task (a heartbeat of any connection of this
   * thread) must also wake it, through the broker thread, which costs two thread wake-ups. The spin
   * uses a core while it lasts: 0 parks at once, which is what to choose where every core is busy.
   * On Node's broker path a receive with no deadline skips the spin while a park has left the
   * socket blocking (switching mode there is a broker round trip each way). Default 50. The non-blocking flavour, which never parks, ignores it.
   */
  readonly recvSpinMicros?: number;
  /** Disable Nagle's algorithm. Default true. */
  readonly noDelay?: boolean;
  /** The timer for heartbeats and deadlines. Default: this thread's shared timer. */
  readonly timer?: Timer;
  /**
   * Close the connection with `NET_ERR_IDLE_TIMEOUT` once nothing was received from the peer for
   * this many ms (any bytes the connection reads count; sending does not), 0 to 2^31-1. Default 0:
   * off. It is a timer task, checked every half timeout, so it runs when this thread's timer does:
   * in every call on the thread's connections and services, a `Poller`'s passes, and a
   * `@net/blocking` receive's wait. Bytes count when they are read: a connection nobody receives
   * from reads nothing and goes idle even if its peer sends.
   */
  readonly idleTimeout?: number;
}

/** Options of `Clt.connect`. */
export interface SyncCltOptions<Send, Recv> extends SyncConnectionOptions<Send, Recv> {
  /**
   * Give up connecting after this many ms with `NET_ERR_CONNECT_TIMEOUT`. Default 1,000.
   * `Infinity` retries until a connection is made (for a service that is still starting).
   */
  readonly timeout?: number;
  /** Pause between attempts in ms. Default 200. */
  readonly retryAfter?: number;
  /** TCP keep-alive: true, or the initial delay in ms. Default off. */
  readonly keepAlive?: boolean | number;
}

/** Options of `Svc.bind`. */
export interface SyncSvcOptions<Send, Recv> extends SyncConnectionOptions<Send, Recv> {
  /** Connections served at once; more are refused as they are accepted. Default 1,024. */
  readonly maxConnections?: number;
  /** Pending connections the kernel queues. Default 511. */
  readonly backlog?: number;
  /**
   * Empty polls in a row after which a pooled connection is handed to the broker thread to watch,
   * so that a pool of many idle connections costs nothing per pass. Default 64.
   */
  readonly idlePollsBeforeWatch?: number;
}

/** The settings a connection runs with, after defaults. */
export interface ResolvedSyncOptions extends ResolvedCommonOptions {
  readonly timer: Timer;
  readonly idleStrategy: IdleStrategy;
  readonly protocolSendTimeout: number;
  readonly maxBatchBytes: number;
  readonly writeStallTimeout: number;
  /** Spin before a receive with a deadline parks, in ms (the option is in µs). */
  readonly recvSpinMs: number;
  readonly noDelay: boolean;
}

const MAX_MS = 2 ** 31 - 1;

/** Applies defaults and validates every limit. */
export function resolveSyncOptions(options: SyncConnectionOptions<unknown, unknown>): ResolvedSyncOptions {
  if (options.maxBufferedBytes !== undefined) {
    // Ignoring it would silently drop a limit the user meant to set.
    throw new NetError(
      ErrorCode.INVALID_ARGUMENT,
      'maxBufferedBytes is not an option of the synchronous flavours: the largest encoded batch is maxBatchBytes',
    );
  }
  const idleStrategy = options.idleStrategy ?? 'spin';
  if (idleStrategy !== 'spin' && idleStrategy !== 'spin-yield' && idleStrategy !== 'spin-park') {
    throw new NetError(
      ErrorCode.INVALID_ARGUMENT,
      `idleStrategy must be 'spin', 'spin-yield' or 'spin-park', got ${String(idleStrategy)}`,
    );
  }
  return {
    ...resolveCommonOptions(options),
    timer: options.timer ?? defaultTimer(),
    idleStrategy,
    protocolSendTimeout: checkIntegerOption(
      'protocolSendTimeout',
      options.protocolSendTimeout ?? DEFAULT_PROTOCOL_SEND_TIMEOUT_MS,
      1,
      MAX_MS,
    ),
    maxBatchBytes: checkIntegerOption(
      'maxBatchBytes',
      options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES,
      64,
      Number.MAX_SAFE_INTEGER,
    ),
    writeStallTimeout: checkIntegerOption(
      'writeStallTimeout',
      options.writeStallTimeout ?? DEFAULT_WRITE_STALL_TIMEOUT_MS,
      1,
      MAX_MS,
    ),
    recvSpinMs:
      checkIntegerOption('recvSpinMicros', options.recvSpinMicros ?? DEFAULT_RECV_SPIN_MICROS, 0, 1_000_000) / 1_000,
    noDelay: options.noDelay ?? true,
  };
}

/**
 * A connection for a connected descriptor, with a fresh protocol instance, bound to the broker
 * that handed the descriptor over (after a broker restart the thread's broker is another one).
 */
export function newSyncConnection<Send, Recv>(
  fd: number,
  conId: ConId,
  options: SyncConnectionOptions<Send, Recv>,
  resolved: ResolvedSyncOptions,
  broker: SocketHost,
  shared?: SharedHold,
): SyncConnection<Send, Recv> {
  return new SyncConnection<Send, Recv>({
    shared,
    fd,
    conId,
    codec: options.codec,
    protocol: protocolForConnection(options.protocol),
    callbacks: options.callbacks,
    logger: resolved.logger,
    timer: resolved.timer,
    broker,
    handshakeTimeout: resolved.handshakeTimeout,
    idleTimeout: resolved.idleTimeout,
    protocolSendTimeout: resolved.protocolSendTimeout,
    idleStrategy: resolved.idleStrategy,
    maxBatchBytes: resolved.maxBatchBytes,
    writeStallTimeout: resolved.writeStallTimeout,
  });
}
