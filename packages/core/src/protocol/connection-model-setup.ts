import type { Callbacks } from '../callbacks/callbacks.js';
import type { Logger } from '../callbacks/logger.js';
import type { Codec } from '../codecs/codec.js';
import type { ConId } from '../connection/con-id.js';
import type { Timer } from '../timer/index.js';
import type { ConnectionDriverOptions } from './connection-driver.js';
import type { Protocol } from './protocol.js';

/**
 * What every flavour's connection is made of apart from its I/O: the same fields in the async
 * and the synchronous connections, each flavour adding its socket and its limits.
 */
export interface ConnectionModelSetup<Send, Recv> {
  /** The connection's id. */
  readonly conId: ConId;
  /** How messages become frames and back. */
  readonly codec: Codec<Send, Recv>;
  /** The per-connection protocol instance. */
  readonly protocol: Protocol<Send, Recv> | undefined;
  /** Observers of every message and connection event. */
  readonly callbacks: Callbacks<Send, Recv> | undefined;
  /** Where diagnostics go. */
  readonly logger: Logger;
  /** The timer the handshake deadline and heartbeats run on. */
  readonly timer: Timer;
  /** Deadline for the protocol handshake, in ms. */
  readonly handshakeTimeout: number;
  /** Close after this many ms without a byte from the peer, in ms; 0 or absent: off. */
  readonly idleTimeout?: number | undefined;
}

/** The driver options that come from the model alone; a flavour adds its transport and callbacks. */
export function driverOptionsOf<Send, Recv>(
  setup: ConnectionModelSetup<Send, Recv>,
): Pick<
  ConnectionDriverOptions<Send, Recv>,
  'conId' | 'protocol' | 'callbacks' | 'logger' | 'scheduler' | 'handshakeTimeout' | 'idleTimeout'
> {
  return {
    conId: setup.conId,
    protocol: setup.protocol,
    callbacks: setup.callbacks,
    logger: setup.logger,
    scheduler: setup.timer,
    handshakeTimeout: setup.handshakeTimeout,
    idleTimeout: setup.idleTimeout,
  };
}
