import {
  type AddressInput,
  Clt,
  END_OF_STREAM,
  type IdleStrategy,
  type SendStatus,
  WOULD_BLOCK,
} from '@net/nonblocking';
import { SoupClientLink } from './client-link.js';
import { ClientSession, type SoupEvent } from './client-session.js';
import type { SoupClientOptions } from './options.js';
import type { ClientPacket, ServerPacket } from './packets.js';

/** Options only the non-blocking client takes. */
export interface NonblockingClientOptions extends SoupClientOptions {
  /** How connecting and the login wait between attempts. Default `'spin-park'` (little CPU when idle). */
  readonly idleStrategy?: IdleStrategy;
}

/**
 * A SoupBinTCP client on `@net/nonblocking`: {@link recv} makes one attempt and returns an event,
 * `WOULD_BLOCK` or `END_OF_STREAM` at once, and heartbeats are sent from inside those calls, so an
 * application that polls keeps the link alive without any event loop. {@link login} and
 * {@link reconnect} spin (by the idle strategy) until logged in or refused.
 *
 * ```ts
 * const client = NonblockingSoupClient.login('127.0.0.1:7000', { username: 'ALICE', password: 'secret' });
 * for (;;) {
 *   const event = client.recv();
 *   if (event === END_OF_STREAM) break;
 *   if (event !== WOULD_BLOCK) console.log(event);
 * }
 * ```
 */
export class NonblockingSoupClient extends SoupClientLink<Clt<ClientPacket, ServerPacket>> {
  private readonly _idleStrategy: IdleStrategy;

  private constructor(address: AddressInput, session: ClientSession, idleStrategy: IdleStrategy) {
    super(address, session);
    this._idleStrategy = idleStrategy;
  }

  /**
   * Connects and logs in, spinning until done.
   * @throws NetError `NET_ERR_HANDSHAKE` when the login is rejected (`details.reason` is 'A' or 'S')
   * or not answered in time, `NET_ERR_CONNECT_TIMEOUT`, `NET_ERR_INVALID_ARGUMENT`
   */
  static login(address: AddressInput, options: NonblockingClientOptions): NonblockingSoupClient {
    const client = new NonblockingSoupClient(address, new ClientSession(options), options.idleStrategy ?? 'spin-park');
    client.reconnect();
    return client;
  }

  /** Logs in again on a new connection, asking for the next sequenced message not yet taken. */
  reconnect(): void {
    this._mustBeDisconnected();
    this._clt = Clt.connect<ClientPacket, ServerPacket>(this._address, {
      ...this.session.connectOptions(),
      idleStrategy: this._idleStrategy,
    });
  }

  /**
   * One attempt: the next data packet or End of Session, `WOULD_BLOCK` when nothing is there yet,
   * or `END_OF_STREAM` once the server closed the connection.
   * @throws NetError why the link was lost (`NET_ERR_PEER_SILENT`, `NET_ERR_PEER_RESET`, ...)
   */
  recv(): SoupEvent | typeof WOULD_BLOCK | typeof END_OF_STREAM {
    const clt = this._connected();
    for (;;) {
      const packet = clt.recv();
      if (packet === WOULD_BLOCK || packet === END_OF_STREAM) return packet;
      const event = this.session.take(packet);
      if (event !== undefined) return event;
    }
  }

  /** One attempt to send Unsequenced Data: `'wouldBlock'` when the socket is full (nothing was written). */
  sendUnsequenced(payload: Uint8Array): SendStatus {
    return this._connected().send(this.session.unsequenced(payload));
  }

  /** Sends Unsequenced Data, spinning until it is written. */
  sendUnsequencedBusywait(payload: Uint8Array): void {
    this._connected().sendBusywait(this.session.unsequenced(payload));
  }

  /** Sends Logout Request (spinning until written) and closes the connection. */
  logout(): void {
    const clt = this._connected();
    clt.sendBusywait({ type: 'O' });
    clt.close();
  }

  /** Closes the connection without logging out, as a lost link would; {@link reconnect} resumes. */
  disconnect(): void {
    this._clt?.close();
  }
}
