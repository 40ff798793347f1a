import type { Callbacks } from './callbacks.js';

/**
 * Accepts every event and does nothing. For benchmarks, so the cost measured is the connection's
 * and not an observer's; it defines every method so the call sites are the same as with a real
 * callback.
 */
export class DevNullCallback<Send = unknown, Recv = unknown> implements Callbacks<Send, Recv> {
  /** Ignores a received message. */
  onRecv(): void {}
  /** Ignores a sent message. */
  onSent(): void {}
  /** Ignores a connection. */
  onConnected(): void {}
  /** Ignores a disconnection. */
  onDisconnected(): void {}
  /** Ignores a rejection. */
  onRejected(): void {}

  /** `DevNullCallback`. */
  toString(): string {
    return 'DevNullCallback';
  }
}

/** A shared {@link DevNullCallback}; it has no state, so one serves every connection of any message type. */
export const devNullCallback: DevNullCallback = new DevNullCallback();
