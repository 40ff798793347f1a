import type { ConnectionOptions as TlsConnectionOptions, TlsOptions } from 'node:tls';
import { type CommonConnectionOptions, defaultTimer, type NetError, type Timer } from '@net/core';
import {
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_FLUSH_THRESHOLD,
  DEFAULT_HIGH_WATER_MARK,
  DEFAULT_LOW_WATER_MARK,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_QUEUED_MESSAGES,
} from './limits.js';
import {
  checkIntegerOption,
  protocolForConnection,
  resolveCommonOptions,
  type ResolvedCommonOptions,
} from '@net/core/internal';
import type { Socket } from 'node:net';
import type { ConId } from '@net/core';
import type { ConnectionSetup } from './connection.js';
import type { OutboundLimits } from './outbound.js';
import type { ReconnectOptions } from './reconnect-policy.js';

/** Options every connection takes, on either side. */
export interface ConnectionOptions<Send, Recv> extends CommonConnectionOptions<Send, Recv> {
  /** Above this many outbound bytes `send` returns false. Default 1 MiB. */
  readonly highWaterMark?: number;
  /** `drained()` resolves at this many outbound bytes. Default 256 KiB. */
  readonly lowWaterMark?: number;
  /** Past this many outbound bytes `send` fails with `NET_ERR_BACKPRESSURE`. Default 16 MiB. */
  readonly maxBufferedBytes?: number;
  /** Encoded bytes that are written at once rather than at the end of the tick. Default 64 KiB. */
  readonly flushThreshold?: number;
  /** Received messages queued for `recv()` before reading from the socket pauses. Default 4,096. */
  readonly maxQueuedMessages?: number;
  /** How long a graceful close waits for the peer before destroying the socket, in ms. Default 2,000. */
  readonly closeTimeout?: number;
  /** Disable Nagle's algorithm. Default true: messages go out at once. */
  readonly noDelay?: boolean;
  /** TCP keep-alive: true, or the initial delay in ms. Default off. */
  readonly keepAlive?: boolean | number;
  /** The timer for heartbeats and timeouts. Default: this thread's shared timer. */
  readonly timer?: Timer;
  /**
   * Close the connection with `NET_ERR_IDLE_TIMEOUT` once nothing was received from the peer for
   * this many ms (any bytes count; sending does not), 0 to 2^31-1. Default 0: off. Checked every
   * half timeout, so a silent connection goes between `idleTimeout` and 1.5 times it after its
   * last bytes. While reading is paused (a full `recv` queue) nothing is received either.
   */
  readonly idleTimeout?: number;
}

/** Options of `Clt.connect`. */
export interface CltOptions<Send, Recv> extends ConnectionOptions<Send, Recv> {
  /**
   * Give up connecting after this many ms with `NET_ERR_CONNECT_TIMEOUT`. Default 1,000.
   * `Infinity` retries until a connection is made (for a service that is still starting).
   */
  readonly timeout?: number;
  /** Pause between attempts in ms. Default 200. */
  readonly retryAfter?: number;
  /** Aborts connecting (and, once connected, closes the connection). */
  readonly signal?: AbortSignal;
  /** Connect over TLS with these `node:tls` options (`true` for the defaults). */
  readonly tls?: TlsConnectionOptions | true;
  /** Deliver messages to this function, synchronously, instead of queueing them for `recv()`. */
  readonly onMessage?: (message: Recv) => void;
  /**
   * With `onMessage`: gets each frame that did not decode (`NET_ERR_DECODE`, the codec's error as
   * its `cause`), in order with the messages; the connection goes on with the next frame, as
   * `recv()` does after throwing it. Without it such a frame is only logged at `warn`. The end of
   * the connection is not an error here: it is `closed` and the `onDisconnected` callback.
   */
  readonly onError?: (error: NetError, conId: ConId) => void;
  /** Reconnect automatically after the connection is lost. Default off. */
  readonly reconnect?: boolean | ReconnectOptions;
}

/** Options of `Svc.bind`. */
export interface SvcOptions<Send, Recv> extends ConnectionOptions<Send, Recv> {
  /** Connections served at once; more are closed as soon as they arrive. Default 1,024. */
  readonly maxConnections?: number;
  /** Put every connection that completes its handshake into the pool without `acceptIntoPool()`. Default false. */
  readonly autoPool?: boolean;
  /** Listen with TLS using these `node:tls` server options (a key and certificate). */
  readonly tls?: TlsOptions;
  /** Pending connections the kernel queues before accepting. Default 511. */
  readonly backlog?: number;
  /**
   * Deliver every connection's messages to this function, synchronously, instead of queueing them
   * for `recv()`: the fastest path, with no Promise per message. The message is valid after the
   * call (a borrowing codec's bytes point into a chunk Node does not reuse, or are copied).
   */
  readonly onMessage?: (message: Recv, conId: ConId) => void;
  /**
   * With `onMessage`: gets each frame that did not decode (`NET_ERR_DECODE`, the codec's error as
   * its `cause`) and the connection it came on, in order with that connection's messages; the
   * connection goes on with the next frame, as `recv()` does after throwing it. Without it such a
   * frame is only logged at `warn`. A connection's end is not an error here: it is the
   * `onDisconnected` callback.
   */
  readonly onError?: (error: NetError, conId: ConId) => void;
}

/** The resolved settings a connection runs with. */
export interface ResolvedConnectionOptions extends ResolvedCommonOptions {
  readonly timer: Timer;
  readonly limits: OutboundLimits;
  readonly maxQueuedMessages: number;
  readonly closeTimeout: number;
  readonly noDelay: boolean;
  readonly keepAlive: boolean | number;
}

const MAX_MS = 2 ** 31 - 1;

/** Applies defaults to the shared options and validates every limit. */
export function resolveConnectionOptions(options: ConnectionOptions<unknown, unknown>): ResolvedConnectionOptions {
  const timer = options.timer ?? defaultTimer();
  if (!timer.isAttached) timer.attachToEventLoop();
  const highWaterMark = checkIntegerOption(
    'highWaterMark',
    options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK,
    1,
    Number.MAX_SAFE_INTEGER,
  );
  const lowWaterMark = checkIntegerOption(
    'lowWaterMark',
    options.lowWaterMark ?? Math.min(DEFAULT_LOW_WATER_MARK, highWaterMark),
    0,
    highWaterMark,
  );
  const maxBufferedBytes = checkIntegerOption(
    'maxBufferedBytes',
    options.maxBufferedBytes ?? Math.max(DEFAULT_MAX_BUFFERED_BYTES, highWaterMark),
    highWaterMark,
    Number.MAX_SAFE_INTEGER,
  );
  return {
    ...resolveCommonOptions(options),
    timer,
    limits: {
      highWaterMark,
      lowWaterMark,
      maxBufferedBytes,
      flushThreshold: checkIntegerOption(
        'flushThreshold',
        options.flushThreshold ?? DEFAULT_FLUSH_THRESHOLD,
        1,
        maxBufferedBytes,
      ),
    },
    maxQueuedMessages: checkIntegerOption(
      'maxQueuedMessages',
      options.maxQueuedMessages ?? DEFAULT_MAX_QUEUED_MESSAGES,
      2,
      1 << 24,
    ),
    closeTimeout: checkIntegerOption('closeTimeout', options.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT_MS, 0, MAX_MS),
    noDelay: options.noDelay ?? true,
    keepAlive: options.keepAlive ?? false,
  };
}

/**
 * The setup of one connection from the user's options: the same for a client's socket and for
 * each socket a service accepts, apart from where its messages go.
 */
export function connectionSetup<Send, Recv>(
  socket: Socket,
  conId: ConId,
  options: ConnectionOptions<Send, Recv>,
  resolved: ResolvedConnectionOptions,
  onMessage: ((message: Recv) => boolean | void) | undefined,
  keepsMessages: boolean,
  onError?: (error: NetError) => void,
): ConnectionSetup<Send, Recv> {
  return {
    socket,
    conId,
    codec: options.codec,
    protocol: protocolForConnection(options.protocol),
    callbacks: options.callbacks,
    logger: resolved.logger,
    timer: resolved.timer,
    limits: resolved.limits,
    handshakeTimeout: resolved.handshakeTimeout,
    idleTimeout: resolved.idleTimeout,
    maxQueuedMessages: resolved.maxQueuedMessages,
    closeTimeout: resolved.closeTimeout,
    onMessage,
    onError,
    keepsMessages,
  };
}
