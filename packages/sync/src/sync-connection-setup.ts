import { type ConId, ErrorCode, NetError } from '@net/core';
import { ConnectionDriver, type ConnectionModelSetup, driverOptionsOf } from '@net/core/internal';
import type { SocketHost } from './socket-host.js';
import type { IdleStrategy } from './status.js';
import type { SharedHold } from './transfer/shared-hold.js';

/** Everything a `SyncConnection` is made of (see {@link driverFor} for the protocol's side of it). */
export interface SyncConnectionSetup<Send, Recv> extends ConnectionModelSetup<Send, Recv> {
  /** The connected descriptor the broker handed over, in non-blocking mode. */
  readonly fd: number;
  /** The broker thread that handed the descriptor over, and alone closes it. */
  readonly broker: SocketHost;
  /** Bound in ms on sends the protocol makes itself (handshake, heartbeats, replies, last words). */
  readonly protocolSendTimeout: number;
  /** How a send waits between attempts on a full socket. */
  readonly idleStrategy: IdleStrategy;
  /** Largest frame this connection may hold encoded at once (its output buffer's limit). */
  readonly maxBatchBytes: number;
  /** How long the peer may take no byte while a frame waits, in ms, before `NET_ERR_BACKPRESSURE` closes it. */
  readonly writeStallTimeout: number;
  /** The state shared with other threads, for a connection adopted from another thread. */
  readonly shared?: SharedHold;
}

/** What the protocol's driver uses of its connection: the connection's own sends and close. */
export interface DriverPort<Send> {
  /** The connection's id, for error messages. */
  readonly conId: ConId;
  /** Sends one message whole by `deadline`: true when written, false when none of it could be. */
  sendUntil(message: Send, deadline: number): boolean;
  /** Closes the connection; without `reason`, gracefully. */
  close(reason?: NetError): void;
}

/**
 * The protocol's side of a connection made of `setup`: hooks, callbacks, the handshake and its
 * deadline, heartbeats. The protocol's own sends (handshake, heartbeats, replies, last words) go
 * through the connection, each bounded by `protocolSendTimeout`.
 */
export function driverFor<Send, Recv>(
  setup: SyncConnectionSetup<Send, Recv>,
  connection: DriverPort<Send>,
  onFailed: (error: NetError) => void,
): ConnectionDriver<Send, Recv> {
  return new ConnectionDriver<Send, Recv>({
    ...driverOptionsOf(setup),
    transport: {
      send: (message) => {
        if (!connection.sendUntil(message, performance.now() + setup.protocolSendTimeout)) {
          throw new NetError(
            ErrorCode.TIMEOUT,
            `${String(connection.conId)}: protocol send not written within ${setup.protocolSendTimeout} ms`,
          );
        }
      },
      close: (reason) => connection.close(reason),
    },
    onFailed,
  });
}
