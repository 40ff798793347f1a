import type { NetError } from '../errors/net-error.js';
import type { ConId } from '../connection/con-id.js';

/**
 * Observers of every message and connection event, shared by all connections of a `Clt` or
 * `Svc`. Every method is optional. They run synchronously on the connection's path, so they must
 * be quick; a callback that throws is reported through `onCallbackError` (or the logger) and never
 * breaks the connection.
 *
 * - `onRecv` runs after the message is decoded and after the protocol's `onRecv`.
 * - `onSent` runs only after the whole frame is written: never on would-block or on error.
 */
export interface Callbacks<Send, Recv> {
  /** A message arrived on `conId`. */
  onRecv?(conId: ConId, message: Recv): void;
  /** A message was completely written on `conId`. */
  onSent?(conId: ConId, message: Send): void;
  /** `conId` is connected and its handshake (if any) succeeded. */
  onConnected?(conId: ConId): void;
  /** `conId` ended; `reason` is undefined for a clean close by either side. */
  onDisconnected?(conId: ConId, reason: NetError | undefined): void;
  /** A connection attempt was refused (over `maxConnections`, or the handshake failed). */
  onRejected?(conId: ConId, reason: NetError): void;
}

/** The events a {@link Callbacks} object may observe, by method name. */
export type CallbackEvent = keyof Callbacks<unknown, unknown>;
