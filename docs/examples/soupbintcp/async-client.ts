import { type AddressInput, Clt } from '@net/async';
import { SoupClientLink } from './client-link.js';
import { ClientSession, type SoupEvent } from './client-session.js';
import type { SoupClientOptions } from './options.js';
import type { ClientPacket, ServerPacket } from './packets.js';

/**
 * A SoupBinTCP client on `@net/async`. {@link login} connects and logs in (the handshake), and
 * {@link recv} resolves with each data packet numbered; heartbeats run by themselves. After the
 * link is lost (or {@link disconnect}), {@link reconnect} logs in again asking for the next
 * message not yet taken, so the server replays exactly what was missed.
 *
 * ```ts
 * const client = await AsyncSoupClient.login('127.0.0.1:7000', { username: 'ALICE', password: 'secret', sequence: 1 });
 * for (let event = await client.recv(); event !== undefined; event = await client.recv()) console.log(event);
 * ```
 */
export class AsyncSoupClient extends SoupClientLink<Clt<ClientPacket, ServerPacket>> {
  private constructor(address: AddressInput, session: ClientSession) {
    super(address, session);
  }

  /**
   * Connects and logs in.
   * @throws NetError `NET_ERR_HANDSHAKE` when the login is rejected (`details.reason` is 'A' or 'S')
   * or not answered in time, `NET_ERR_CONNECT_TIMEOUT`, `NET_ERR_INVALID_ARGUMENT`
   */
  static async login(address: AddressInput, options: SoupClientOptions): Promise<AsyncSoupClient> {
    const client = new AsyncSoupClient(address, new ClientSession(options));
    await client.reconnect();
    return client;
  }

  /** Logs in again on a new connection, asking for the next sequenced message not yet taken. */
  async reconnect(): Promise<void> {
    this._mustBeDisconnected();
    this._clt = await Clt.connect<ClientPacket, ServerPacket>(this._address, this.session.connectOptions());
  }

  /**
   * The next data packet or End of Session; `undefined` once the server closed the connection.
   * @throws NetError why the link was lost (`NET_ERR_PEER_SILENT`, `NET_ERR_PEER_RESET`, ...)
   */
  async recv(): Promise<SoupEvent | undefined> {
    const clt = this._connected();
    for (;;) {
      const packet = await clt.recv();
      if (packet === undefined) return undefined;
      const event = this.session.take(packet);
      if (event !== undefined) return event;
    }
  }

  /** Sends Unsequenced Data. @returns false when the outbound queue is over its high-water mark (it was queued anyway) */
  sendUnsequenced(payload: Uint8Array): boolean {
    return this._connected().send(this.session.unsequenced(payload));
  }

  /** Sends Logout Request and closes the connection. */
  async logout(): Promise<void> {
    const clt = this._connected();
    clt.send({ type: 'O' });
    await clt.close();
  }

  /** Closes the connection without logging out, as a lost link would; {@link reconnect} resumes. */
  async disconnect(): Promise<void> {
    await this._clt?.close();
  }
}
