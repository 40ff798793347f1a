import type { ConId } from '@net/core';
import type { SyncConnection } from './sync-connection.js';
import type { ResolvedSyncOptions } from './sync-options.js';

/**
 * What a client of either synchronous flavour is apart from how it waits: its connection, its
 * settings, its id, its logical state and its close. `@net/nonblocking` and `@net/blocking` extend
 * it with their own `send` and `recv`.
 */
export abstract class SyncCltBase<Send, Recv> {
  /** The connection under this client (for the flavours and tools built on them). */
  readonly connection: SyncConnection<Send, Recv>;
  /** The settings it runs with. */
  protected readonly resolved: ResolvedSyncOptions;

  /** Built by the flavours' `connect` and by their services. */
  constructor(connection: SyncConnection<Send, Recv>, resolved: ResolvedSyncOptions) {
    this.connection = connection;
    this.resolved = resolved;
  }

  /** The connection's id. */
  get conId(): ConId {
    return this.connection.conId;
  }

  /** Logical state: open, handshake done, and the protocol agrees. */
  isConnected(): boolean {
    return this.connection.isOpen && this.connection.driver.isConnected();
  }

  /** True once the connection is closed, by either side or after a failure. */
  get isClosed(): boolean {
    return !this.connection.isOpen;
  }

  /** Graceful close: the protocol's last words, then the socket is closed. */
  close(): void {
    this.connection.close();
  }

  /** Same as {@link close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }
}
