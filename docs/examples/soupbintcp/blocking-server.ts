import { type AddressInput, ErrorCode, NetError, REJECTED, Svc, WOULD_BLOCK } from '@net/blocking';
import { checkWholeNumber, type SoupServerOptions } from './options.js';
import type { ClientPacket, ServerPacket } from './packets.js';
import { type PoolPort, ServerCore } from './server-core.js';
import { SoupServerHost } from './server-host.js';

/** Options of {@link BlockingSoupServer.serve}. */
export interface ServeOptions {
  /** Longest the call parks waiting for a client packet, in ms. Default 10. */
  readonly timeout?: number;
}

/**
 * A SoupBinTCP server on `@net/blocking`: calls park the thread. The application calls
 * {@link serve} in its loop; each call accepts whoever is waiting (logins complete inside it),
 * then parks until a client packet arrives or the timeout passes (heartbeats and silence checks
 * run while it is parked), then sends what is due. {@link publish} returns once every logged-in
 * client's socket took the message: simple and exact, at the price that one client whose socket
 * is full holds up the server, as any single-threaded blocking server would.
 *
 * The timeout of `serve` bounds how long a new client waits for its Login Accepted, since logins
 * progress only inside `serve`; keep it short.
 *
 * ```ts
 * const server = BlockingSoupServer.bind('127.0.0.1:0', { session: 'TODAY', credentials: { ALICE: 'secret' } });
 * for (;;) server.serve({ timeout: 10 });
 * ```
 */
export class BlockingSoupServer extends SoupServerHost<Svc<ServerPacket, ClientPacket>> {
  protected readonly _port: PoolPort;

  private constructor(svc: Svc<ServerPacket, ClientPacket>, core: ServerCore) {
    super(svc, core);
    this._port = {
      trySendTo: (conId, packet) => {
        svc.sendTo(conId, packet);
        return true;
      },
      // A blocking send is on the wire when it returns, so closing through the protocol loses nothing.
      closeGracefully: (subscriber) => subscriber.sender.close(),
    };
  }

  /**
   * Listens on `address` (port 0 for any free port).
   * @throws NetError `NET_ERR_INVALID_ARGUMENT`, `NET_ERR_SOCKET`, `NET_ERR_UNSUPPORTED`
   */
  // `override`: a class's static side already has Function's `bind`, which this name shadows on purpose.
  static override bind(address: AddressInput, options: SoupServerOptions): BlockingSoupServer {
    const core = new ServerCore(options);
    return new BlockingSoupServer(Svc.bind<ServerPacket, ClientPacket>(address, core.bindOptions()), core);
  }

  /**
   * One turn: accepts the clients waiting, parks up to `timeout` ms for a client packet and
   * handles it, then sends what is due.
   * @returns true when anything happened
   */
  serve(options: ServeOptions = {}): boolean {
    const timeout = checkWholeNumber('timeout', options.timeout ?? 10, 0, 2 ** 31 - 1);
    let moved = false;
    // One attempt each, no waiting; a client refused (over the limit, or a failed login) is skipped.
    for (let conId = this._svc.tryAcceptIntoPool(); conId !== WOULD_BLOCK; conId = this._svc.tryAcceptIntoPool()) {
      if (conId !== REJECTED) this.core.attach(conId);
      moved = true;
    }
    moved = this.core.pump(this._port) || moved;
    let received;
    try {
      received = this._svc.tryRecvFrom({ timeout });
    } catch (error) {
      // A packet that did not decode was consumed; the connection goes on with the next one.
      if (!NetError.hasCode(error, ErrorCode.DECODE)) throw error;
      this.core.reportError(error);
      return true;
    }
    if (received === WOULD_BLOCK) return moved;
    this.core.handle(received.conId, received.message, this._port);
    this.core.pump(this._port);
    return true;
  }

  /** Stops listening and closes every connection. */
  close(): void {
    this._svc.close();
  }
}
