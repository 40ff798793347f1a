import type { Callbacks } from '../callbacks/callbacks.js';
import { defaultLogger, type Logger } from '../callbacks/logger.js';
import type { Codec } from '../codecs/codec.js';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, MAX_IDLE_TIMEOUT_MS } from '../limits.js';
import type { Protocol } from '../protocol/protocol.js';
import { checkIntegerOption } from './check-integer-option.js';

/** Options every connection of every flavour takes, on either side. */
export interface CommonConnectionOptions<Send, Recv> {
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
}

/** The common options after defaults, validated. */
export interface ResolvedCommonOptions {
  readonly logger: Logger;
  readonly handshakeTimeout: number;
  /** Close after this many ms without a byte from the peer; 0: off. */
  readonly idleTimeout: number;
}

const MAX_MS = 2 ** 31 - 1;

/**
 * Applies the defaults every flavour shares and validates their limits.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` for a `handshakeTimeout` or `idleTimeout` out of range
 */
export function resolveCommonOptions(
  options: CommonConnectionOptions<unknown, unknown> & { readonly idleTimeout?: number },
): ResolvedCommonOptions {
  return {
    logger: options.logger ?? defaultLogger,
    handshakeTimeout: checkIntegerOption(
      'handshakeTimeout',
      options.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      1,
      MAX_MS,
    ),
    idleTimeout: checkIntegerOption(
      'idleTimeout',
      options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_MS,
      0,
      MAX_IDLE_TIMEOUT_MS,
    ),
  };
}
