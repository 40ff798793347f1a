import type { Callbacks } from '../callbacks/callbacks.js';
import type { Logger } from '../callbacks/logger.js';
import type { ConId } from '../connection/con-id.js';
import type { NetError } from '../errors/net-error.js';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, MAX_IDLE_TIMEOUT_MS } from '../limits.js';
import { checkIntegerOption } from '../options/check-integer-option.js';
import type { Protocol } from './protocol.js';

/** What the driver needs from a timer: a clock and one-shot tasks it can cancel. */
export interface DriverScheduler {
  /** Monotonic milliseconds. */
  now(): number;
  /** Runs `fn` once after `delayMs`; the handle cancels it. */
  once(delayMs: number, fn: () => void): { cancel(): void };
}

/** How the driver reaches the socket: provided by each flavour. */
export interface DriverTransport<Send> {
  /** Sends through the flavour's normal path (which calls the driver's send hooks). */
  send(message: Send): void;
  /** Closes the connection; `reason` is undefined for a clean close. */
  close(reason?: NetError): void;
}

/** Options of a `ConnectionDriver`. */
export interface ConnectionDriverOptions<Send, Recv> {
  /** The connection's id. */
  readonly conId: ConId;
  /** The per-connection protocol instance (already derived with `forConnection`). */
  readonly protocol?: Protocol<Send, Recv> | undefined;
  /** Observers of messages and events. */
  readonly callbacks?: Callbacks<Send, Recv> | undefined;
  /** Where callback failures are reported. Default: the console from `warn` up. */
  readonly logger?: Logger | undefined;
  /** Clock and timers for the handshake deadline and heartbeats. */
  readonly scheduler: DriverScheduler;
  /** The flavour's side of the connection. */
  readonly transport: DriverTransport<Send>;
  /** Deadline for the whole handshake in ms. Default 5,000. */
  readonly handshakeTimeout?: number | undefined;
  /**
   * Close the connection with `NET_ERR_IDLE_TIMEOUT` once nothing was received for this many ms
   * (the flavour reports reads with `ConnectionDriver.bytesReceived`). Default 0: off.
   */
  readonly idleTimeout?: number | undefined;
  /** Called once when the handshake has succeeded. */
  readonly onReady?: (() => void) | undefined;
  /** Called once when the handshake failed; the flavour closes the socket and reports the error. */
  readonly onFailed?: ((error: NetError) => void) | undefined;
}

/** Where a connection is in its life. */
export type DriverState = 'idle' | 'handshaking' | 'ready' | 'failed' | 'closed';

/** A driver's time limits, checked (`NET_ERR_INVALID_ARGUMENT` for one out of range), defaults filled in. */
export interface DriverLimits {
  readonly handshakeTimeout: number;
  /** 0: off. */
  readonly idleTimeout: number;
  /** `undefined`: the protocol sends no heartbeats. */
  readonly heartbeatInterval: number | undefined;
}

/** The limits of `options` and its protocol, checked once as the driver is built. */
export function checkedDriverLimits<Send, Recv>(options: ConnectionDriverOptions<Send, Recv>): DriverLimits {
  // In the order they have always been checked: the first bad one is the one reported.
  const handshakeTimeout = checkIntegerOption(
    'handshakeTimeout',
    options.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
    1,
    2 ** 31 - 1,
  );
  const heartbeatInterval = options.protocol?.heartbeatInterval;
  if (heartbeatInterval !== undefined) checkIntegerOption('heartbeatInterval', heartbeatInterval, 1, 2 ** 31 - 1);
  const idleTimeout = checkIntegerOption(
    'idleTimeout',
    options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_MS,
    0,
    MAX_IDLE_TIMEOUT_MS,
  );
  return { handshakeTimeout, idleTimeout, heartbeatInterval };
}
