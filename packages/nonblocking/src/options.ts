import {
  type Callbacks,
  checkIntegerOption,
  type Codec,
  DEFAULT_CONNECT_RETRY_AFTER_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  defaultLogger,
  defaultTimer,
  ErrorCode,
  NetError,
  type Logger,
  type Protocol,
  type Timer,
} from '@net/core';
import type { IdleStrategy } from '@net/core/sync';

/** Options every connection takes, on either side. */
export interface ConnectionOptions<Send, Recv> {
  /** How messages become frames and back. */
  readonly codec: Codec<Send, Recv>;
  /** Name shown in connection ids and logs. Default `'clt'` or `'svc'`. */
  readonly name?: string;
  /** The protocol hooks (handshake, heartbeats, auto-reply). */
  readonly protocol?: Protocol<Send, Recv>;
  /** Observers of every message and connection event. */
  readonly callbacks?: Callbacks<Send, Recv>;
  /** Where diagnostics go. Default: the console, from `warn` up. */
  readonly logger?: Logger;
  /** Deadline for the protocol handshake in ms. Default 5,000. */
  readonly handshakeTimeout?: number;
  /** How busy-waits wait between attempts. Default `'spin'`. */
  readonly idleStrategy?: IdleStrategy;
  /** Bound on sends the protocol makes itself (heartbeats, replies), in ms. Default 1,000. */
  readonly protocolSendTimeout?: number;
  /** Largest encoded frame a connection holds at once. Default 16 MiB. */
  readonly maxBufferedBytes?: number;
  /** Disable Nagle's algorithm. Default true. */
  readonly noDelay?: boolean;
  /** The timer for heartbeats and deadlines. Default: this thread's shared timer. */
  readonly timer?: Timer;
}

/** Options of `Clt.connect`. */
export interface CltOptions<Send, Recv> extends ConnectionOptions<Send, Recv> {
  /** Give up connecting after this many ms with `NET_ERR_CONNECT_TIMEOUT`. Default 1,000. */
  readonly timeout?: number;
  /** Pause between attempts in ms. Default 200. */
  readonly retryAfter?: number;
  /** TCP keep-alive: true, or the initial delay in ms. Default off. */
  readonly keepAlive?: boolean | number;
}

/** Options of `Svc.bind`. */
export interface SvcOptions<Send, Recv> extends ConnectionOptions<Send, Recv> {
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
export interface ResolvedOptions {
  readonly logger: Logger;
  readonly timer: Timer;
  readonly handshakeTimeout: number;
  readonly idleStrategy: IdleStrategy;
  readonly protocolSendTimeout: number;
  readonly maxBufferedBytes: number;
  readonly noDelay: boolean;
}

const MAX_MS = 2 ** 31 - 1;

/** Applies defaults and validates every limit. */
export function resolveOptions(options: ConnectionOptions<unknown, unknown>): ResolvedOptions {
  const idleStrategy = options.idleStrategy ?? 'spin';
  if (idleStrategy !== 'spin' && idleStrategy !== 'spin-yield' && idleStrategy !== 'spin-park') {
    throw new NetError(ErrorCode.INVALID_ARGUMENT, `idleStrategy must be 'spin', 'spin-yield' or 'spin-park', got ${String(idleStrategy)}`);
  }
  return {
    logger: options.logger ?? defaultLogger,
    timer: options.timer ?? defaultTimer(),
    handshakeTimeout: checkIntegerOption('handshakeTimeout', options.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT_MS, 1, MAX_MS),
    idleStrategy,
    protocolSendTimeout: checkIntegerOption('protocolSendTimeout', options.protocolSendTimeout ?? 1_000, 1, MAX_MS),
    maxBufferedBytes: checkIntegerOption('maxBufferedBytes', options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES, 64, Number.MAX_SAFE_INTEGER),
    noDelay: options.noDelay ?? true,
  };
}

/** Connect timing after defaults. */
export function resolveConnectTiming(options: CltOptions<unknown, unknown>): { timeout: number; retryAfter: number } {
  return {
    timeout: checkIntegerOption('timeout', options.timeout ?? DEFAULT_CONNECT_TIMEOUT_MS, 0, MAX_MS),
    retryAfter: checkIntegerOption('retryAfter', options.retryAfter ?? DEFAULT_CONNECT_RETRY_AFTER_MS, 1, MAX_MS),
  };
}
