import { type AddressInput, ConId, isRetryable, type NetError, parseEndpoint } from '@net/core';
import { ConnectAttempts, resolveConnectTiming } from '@net/core/internal';
import { socketBroker } from './shared-broker.js';
import { parkFor } from './status.js';
import type { SyncConnection } from './sync-connection.js';
import {
  newSyncConnection,
  type ResolvedSyncOptions,
  resolveSyncOptions,
  type SyncCltOptions,
} from './sync-options.js';

/**
 * Connects a synchronous-flavour client: one attempt at a time through the broker, retried every
 * `retryAfter` ms until `timeout`, then `handshake` (each flavour waits for it its own way). Errors
 * after the connection was made (the handshake) are not retried.
 * @throws NetError `NET_ERR_CONNECT_TIMEOUT` (the last attempt's own reason as cause: see `ConnectAttempts`), `NET_ERR_HANDSHAKE`,
 * `NET_ERR_RESOLVE` (at once, not retried), `NET_ERR_INVALID_ARGUMENT`, `NET_ERR_UNSUPPORTED`
 */
export function connectSync<Send, Recv>(
  address: AddressInput,
  options: SyncCltOptions<Send, Recv>,
  handshake: (connection: SyncConnection<Send, Recv>, resolved: ResolvedSyncOptions) => void,
): { connection: SyncConnection<Send, Recv>; resolved: ResolvedSyncOptions } {
  const endpoint = parseEndpoint(address);
  const resolved = resolveSyncOptions(options);
  const { timeout, retryAfter } = resolveConnectTiming(options);
  const attempts = new ConnectAttempts(endpoint, timeout, performance.now());
  for (;;) {
    let connection: SyncConnection<Send, Recv> | undefined;
    try {
      // Asked each attempt: a broker that stopped meanwhile is replaced by a new one.
      const broker = socketBroker();
      const remaining = attempts.attemptTimeout(performance.now());
      // Non-blocking until the handshake is done, so that its deadline and heartbeats can fire.
      const socket = broker.connect(endpoint, {
        noDelay: resolved.noDelay,
        keepAlive: options.keepAlive ?? false,
        blocking: false,
        timeoutMs: remaining,
      });
      connection = newSyncConnection(
        socket.fd,
        ConId.initiator(options.name, socket.peer, socket.local),
        options,
        resolved,
        broker,
      );
    } catch (error) {
      if (!isRetryable(error)) throw error;
      attempts.failed(error as NetError);
    }
    if (connection !== undefined) {
      handshake(connection, resolved);
      return { connection, resolved };
    }
    parkFor(attempts.retryPause(performance.now(), retryAfter));
  }
}
