import { type AddressInput, type ConId, ErrorCode, NetError, Svc } from '@net/async';
import type { SoupServerOptions } from './options.js';
import type { ClientPacket, ServerPacket } from './packets.js';
import { type PoolPort, ServerCore } from './server-core.js';
import { SoupServerHost } from './server-host.js';
import type { Subscriber } from './session-store.js';

/**
 * A SoupBinTCP server on `@net/async`: the service's pool holds the logged-in clients, one loop
 * awaits new connections and another awaits their packets, and {@link publish} sends at once. A
 * send queues the packet (writes are coalesced per tick); a client that cannot keep up is dropped
 * with `NET_ERR_BACKPRESSURE` once its queue passes @net's hard limit.
 *
 * ```ts
 * const server = await AsyncSoupServer.start('127.0.0.1:0', { session: 'TODAY', credentials: { ALICE: 'secret' } });
 * server.publish(new TextEncoder().encode('hello'));
 * ```
 */
export class AsyncSoupServer extends SoupServerHost<Svc<ServerPacket, ClientPacket>> {
  protected readonly _port: PoolPort;
  private readonly _loops: Promise<void>;
  private _closed = false;

  private constructor(svc: Svc<ServerPacket, ClientPacket>, core: ServerCore) {
    super(svc, core);
    this._port = {
      trySendTo: (conId, packet) => {
        // Over the high-water mark the packet is still queued: it counts as sent.
        svc.sendTo(conId, packet);
        return true;
      },
      closeGracefully: (subscriber) => this._closeConnection(subscriber),
    };
    this._loops = Promise.all([this._acceptLoop(), this._recvLoop()]).then(() => undefined);
  }

  /**
   * Listens on `address` (port 0 for any free port).
   * @throws NetError `NET_ERR_INVALID_ARGUMENT` for bad options, `NET_ERR_SOCKET` when the address is taken
   */
  static async start(address: AddressInput, options: SoupServerOptions): Promise<AsyncSoupServer> {
    const core = new ServerCore(options);
    const svc = await Svc.bind<ServerPacket, ClientPacket>(address, core.bindOptions());
    return new AsyncSoupServer(svc, core);
  }

  /** Sends Unsequenced Data to one logged-in client. @throws NetError `NET_ERR_NOT_CONNECTED` */
  sendUnsequenced(conId: ConId, payload: Uint8Array): void {
    this._svc.sendTo(conId, { type: 'U', message: payload });
  }

  /** Stops listening and closes every connection (without End of Session unless the session ended). */
  async close(): Promise<void> {
    if (this._closed) return this._loops;
    this._closed = true;
    await this._svc.close();
    await this._loops;
  }

  private async _acceptLoop(): Promise<void> {
    while (!this._closed) {
      let conId: ConId;
      try {
        conId = await this._svc.acceptIntoPool();
      } catch (error) {
        if (NetError.hasCode(error, ErrorCode.CLOSED)) return;
        this.core.reportError(error);
        continue;
      }
      this.core.attach(conId);
      this.core.pump(this._port);
    }
  }

  private async _recvLoop(): Promise<void> {
    for (;;) {
      let received;
      try {
        received = await this._svc.recvFrom();
      } catch (error) {
        // A packet that did not decode was skipped; the next one is read as usual.
        if (NetError.hasCode(error, ErrorCode.DECODE)) {
          this.core.reportError(error);
          continue;
        }
        return;
      }
      if (received === undefined) return;
      this.core.handle(received.conId, received.message, this._port);
    }
  }

  private _closeConnection(subscriber: Subscriber): void {
    for (const clt of this._svc.connections()) {
      if (clt.conId.serial !== subscriber.conId.serial) continue;
      void clt.close();
      return;
    }
  }
}
