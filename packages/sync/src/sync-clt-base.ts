// The one `#` field: the connection is private at run time too, not only to TypeScript, since its
// raw calls bypass framing.
/* eslint-disable no-restricted-syntax -- see above */
import type { ConId } from '@net/core';
import type { IoPath } from './descriptor-io.js';
import type { SyncConnection } from './sync-connection.js';
import type { ResolvedSyncOptions } from './sync-options.js';

// Set once by the class's static block: the only way to the private connection from outside the
// class, handed out by `connectionOf` in `@net/sync/internal` and nowhere else.
let readConnection: <Send, Recv>(clt: SyncCltBase<Send, Recv>) => SyncConnection<Send, Recv>;

/**
 * What a client of either synchronous flavour is apart from how it waits: its connection, its
 * settings, its id, its logical state and its close. `@net/nonblocking` and `@net/blocking` extend
 * it with their own `send` and `recv`.
 */
export abstract class SyncCltBase<Send, Recv> {
  // Private: its raw calls (`writeSome`, `feed`, `unread`, `setBlocking`) bypass framing.
  readonly #connection: SyncConnection<Send, Recv>;
  /** The settings it runs with. */
  protected readonly resolved: ResolvedSyncOptions;

  /** Built by the flavours' `connect` and by their services. */
  constructor(connection: SyncConnection<Send, Recv>, resolved: ResolvedSyncOptions) {
    this.#connection = connection;
    this.resolved = resolved;
  }

  static {
    readConnection = (clt) => clt.#connection;
  }

  /** The connection under this client, for the flavour's own calls. */
  protected get connection(): SyncConnection<Send, Recv> {
    return this.#connection;
  }

  /** Which path reads and writes take now (`ffi`, `wasi` or `fs`); `undefined` once closed. */
  get ioPath(): IoPath | undefined {
    return this.#connection.ioPath;
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

/**
 * The connection under a synchronous client, for the flavours' pollers, services and halves.
 * @param clt a client of either synchronous flavour
 * @returns its connection
 */
export function connectionOf<Send, Recv>(clt: SyncCltBase<Send, Recv>): SyncConnection<Send, Recv> {
  return readConnection(clt);
}
