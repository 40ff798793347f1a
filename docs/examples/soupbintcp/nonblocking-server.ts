import { type AddressInput, ErrorCode, NetError, REJECTED, Svc, WOULD_BLOCK } from '@net/nonblocking';
import type { SoupServerOptions } from './options.js';
import type { ClientPacket, ServerPacket } from './packets.js';
import { type PoolPort, ServerCore } from './server-core.js';
import { SoupServerHost } from './server-host.js';

/** Most connections accepted and packets read in one {@link NonblockingSoupServer.poll}, so one busy client cannot starve the rest. */
const MAX_STEPS_PER_POLL = 64;

/**
 * A SoupBinTCP server on `@net/nonblocking`: nothing ever waits. The application calls
 * {@link poll} in its own loop (it accepts, reads and sends as far as each socket allows at that
 * moment, and runs heartbeats and silence checks); {@link publish} stores a message and sends it
 * to every client whose socket has room, and the rest get it on later polls. A slow client
 * therefore never holds up the others, and never loses its place: its cursor waits.
 *
 * ```ts
 * const server = NonblockingSoupServer.bind('127.0.0.1:0', { session: 'TODAY', credentials: { ALICE: 'secret' } });
 * for (;;) server.poll();
 * ```
 */
export class NonblockingSoupServer extends SoupServerHost<Svc<ServerPacket, ClientPacket>> {
  protected readonly _port: PoolPort;

  private constructor(svc: Svc<ServerPacket, ClientPacket>, core: ServerCore) {
    super(svc, core);
    this._port = {
      // One attempt (the default): a full socket answers 'wouldBlock' with nothing written.
      trySendTo: (conId, packet) => svc.sendTo(conId, packet) === 'completed',
      // A synchronous send is on the wire when it returns, so closing through the protocol loses nothing.
      closeGracefully: (subscriber) => subscriber.sender.close(),
    };
  }

  /**
   * Listens on `address` (port 0 for any free port) and returns at once.
   * @throws NetError `NET_ERR_INVALID_ARGUMENT`, `NET_ERR_SOCKET`, `NET_ERR_UNSUPPORTED`
   */
  // `override`: a class's static side already has Function's `bind`, which this name shadows on purpose.
  static override bind(address: AddressInput, options: SoupServerOptions): NonblockingSoupServer {
    const core = new ServerCore(options);
    return new NonblockingSoupServer(Svc.bind<ServerPacket, ClientPacket>(address, core.bindOptions()), core);
  }

  /**
   * One pass without waiting: accepts (logins progress a step each time), reads what clients sent,
   * and sends what the sockets take.
   * @returns true when anything happened (a caller may back off after a run of false)
   */
  poll(): boolean {
    let moved = false;
    for (let step = 0; step < MAX_STEPS_PER_POLL; step++) {
      const accepted = this._svc.acceptIntoPool();
      if (accepted === WOULD_BLOCK) break;
      moved = true;
      if (accepted !== REJECTED) this.core.attach(accepted);
    }
    for (let step = 0; step < MAX_STEPS_PER_POLL; step++) {
      let received;
      try {
        received = this._svc.recvFrom();
      } catch (error) {
        // A packet that did not decode was consumed; the connection goes on with the next one.
        if (!NetError.hasCode(error, ErrorCode.DECODE)) throw error;
        this.core.reportError(error);
        moved = true;
        continue;
      }
      if (received === WOULD_BLOCK) break;
      moved = true;
      this.core.handle(received.conId, received.message, this._port);
    }
    return this.core.pump(this._port) || moved;
  }

  /** Stops listening and closes every connection. */
  close(): void {
    this._svc.close();
  }
}
