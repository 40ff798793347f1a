import { type Callbacks, type ConId, ErrorCode, NetError, SessionState } from '@net/core';
import { resolveTimings, type ServerListener, type SoupServerOptions } from './options.js';
import { type ClientPacket, serverCodec, type ServerPacket } from './packets.js';
import { SoupServerProtocol } from './server-protocol.js';
import { SessionStore, type Subscriber } from './session-store.js';

/** How the server core reaches the pooled connections of one flavour's `Svc`. */
export interface PoolPort {
  /**
   * Sends a packet to one pooled connection: true once it is written or queued, false when the
   * connection cannot take it now (try again later).
   * @throws NetError when the connection is gone
   */
  trySendTo(conId: ConId, packet: ServerPacket): boolean;
  /** Closes one connection gracefully: what was sent goes out first, then the protocol's last words. */
  closeGracefully(subscriber: Subscriber): void;
}

/**
 * Everything a server is apart from its flavour: the session store, the protocol, the service
 * callbacks, what to do with each client packet after login, and the pump that moves every
 * logged-in connection along the store. Each flavour's server feeds it accepted connections and
 * received packets, and gives it a {@link PoolPort}.
 *
 * Replay and live data are one mechanism: each connection has a cursor (its next sequence number)
 * starting where its login asked, and the pump sends from the cursor to the newest message. So a
 * client gets every message exactly once and in order, whether it was published before the login,
 * during it, or after.
 */
export class ServerCore {
  /** The session. */
  readonly store: SessionStore;
  /** The protocol hooks to pass to `Svc.bind`. */
  readonly protocol: SoupServerProtocol;
  /** The service callbacks to pass to `Svc.bind`: they forget connections that end. */
  readonly callbacks: Callbacks<ServerPacket, ClientPacket>;
  /** The codec to pass to `Svc.bind`. */
  readonly codec = serverCodec;
  /** The options as given. */
  readonly options: SoupServerOptions;
  private readonly _listener: ServerListener | undefined;

  /** @throws NetError `NET_ERR_INVALID_ARGUMENT` for bad options */
  constructor(options: SoupServerOptions) {
    this.options = options;
    this._listener = options.listener;
    const timings = resolveTimings(options);
    this.store = new SessionStore(options.session, options.credentials, options.storeCapacity);
    this.protocol = new SoupServerProtocol(new SessionState(this.store), timings, options.listener);
    this.callbacks = {
      onDisconnected: (conId, reason) => {
        if (this.store.unsubscribe(conId) !== undefined)
          this._report(() => this._listener?.onDisconnected?.(conId, reason));
      },
    };
  }

  /** The `Svc.bind` options shared by every flavour. */
  bindOptions(): {
    codec: typeof serverCodec;
    protocol: SoupServerProtocol;
    callbacks: Callbacks<ServerPacket, ClientPacket>;
    name: string;
    handshakeTimeout: number;
    maxConnections?: number;
  } {
    const { maxConnections } = this.options;
    return {
      codec: this.codec,
      protocol: this.protocol,
      callbacks: this.callbacks,
      name: this.options.name ?? 'soup-server',
      handshakeTimeout: resolveTimings(this.options).loginTimeout,
      ...(maxConnections === undefined ? {} : { maxConnections }),
    };
  }

  /** A logged-in connection entered the pool: from now on the pump serves it. */
  attach(conId: ConId): void {
    this.store.attach(conId);
  }

  /** Stores a sequenced message; returns its sequence number. Call {@link pump} to send it. */
  publish(payload: Uint8Array): number {
    return this.store.append(payload);
  }

  /** Ends the session; the pump then closes each connection once it has every message (with End of Session). */
  endSession(): void {
    this.store.end();
  }

  /**
   * Handles a packet a logged-in client sent.
   * @returns false when the packet breaks the protocol (the connection is closed with `NET_ERR_PROTOCOL`)
   */
  handle(conId: ConId, packet: ClientPacket, port: PoolPort): boolean {
    const listener = this._listener;
    switch (packet.type) {
      case 'R':
        this._report(() => listener?.onClientHeartbeat?.(conId));
        return true;
      case 'U':
        this._report(() => listener?.onUnsequenced?.(conId, packet.message));
        return true;
      case '+':
        return true;
      case 'O': {
        const subscriber = this.store.subscriber(conId);
        this._report(() => listener?.onLogout?.(conId));
        if (subscriber !== undefined && !subscriber.closing) {
          subscriber.closing = true;
          port.closeGracefully(subscriber);
        }
        return true;
      }
      default: {
        const error = new NetError(ErrorCode.PROTOCOL, `${String(conId)}: packet type '${packet.type}' after login`, {
          details: { type: packet.type },
        });
        this._report(() => listener?.onError?.(error));
        this.store.subscriber(conId)?.sender.close(error);
        return false;
      }
    }
  }

  /**
   * Sends every attached connection what it has not had yet, as far as each can take it now, and
   * closes those of an ended session that have everything.
   * @returns true when anything was sent or closed
   */
  pump(port: PoolPort): boolean {
    const log = this.store.log;
    const ended = this.store.ended;
    let moved = false;
    for (const subscriber of [...this.store.subscribers()]) {
      if (!subscriber.attached || subscriber.closing) continue;
      try {
        while (subscriber.next < log.nextSequence) {
          const payload = log.get(subscriber.next);
          if (payload === undefined) {
            // It fell behind further than the store reaches: it can never be whole again.
            throw new NetError(
              ErrorCode.BUFFER_LIMIT,
              `${String(subscriber.conId)} fell behind the store (message ${subscriber.next} was dropped)`,
              {
                details: { sequence: subscriber.next, firstKept: log.firstSequence },
              },
            );
          }
          if (!port.trySendTo(subscriber.conId, { type: 'S', message: payload })) break;
          subscriber.next++;
          moved = true;
        }
      } catch (error) {
        this._drop(subscriber, error);
        moved = true;
        continue;
      }
      if (ended && subscriber.next === log.nextSequence) {
        subscriber.closing = true;
        port.closeGracefully(subscriber);
        moved = true;
      }
    }
    return moved;
  }

  /** Ends a connection the pump could not serve. */
  private _drop(subscriber: Subscriber, error: unknown): void {
    const reason = NetError.isNetError(error) ? error : new NetError(ErrorCode.SOCKET, String(error), { cause: error });
    subscriber.closing = true;
    this._report(() => this._listener?.onError?.(reason));
    try {
      subscriber.sender.close(reason);
    } catch {
      // Already closed: the disconnect callback forgets it.
    }
    // A connection that is already gone reports no disconnect, so it is forgotten here too.
    if (this.store.unsubscribe(subscriber.conId) !== undefined)
      this._report(() => this._listener?.onDisconnected?.(subscriber.conId, reason));
  }

  /** Reports an error the server survived (a packet that did not decode: the connection goes on with the next one). */
  reportError(error: unknown): void {
    if (NetError.isNetError(error)) this._report(() => this._listener?.onError?.(error));
  }

  // A listener that throws must not break the server it observes.
  private _report(report: () => void): void {
    try {
      report();
    } catch {
      // Observers are told, never obeyed.
    }
  }
}
