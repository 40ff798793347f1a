import { type AddressInput, type CallOptions, Clt, END_OF_STREAM, WOULD_BLOCK } from '@net/blocking';
import { SoupClientLink } from './client-link.js';
import { ClientSession, type SoupEvent } from './client-session.js';
import type { SoupClientOptions } from './options.js';
import type { ClientPacket, ServerPacket } from './packets.js';

/**
 * A SoupBinTCP client on `@net/blocking`: {@link login} returns once logged in, and {@link recv}
 * parks the thread until the next data packet. Heartbeats keep going while it is parked (the wait
 * wakes for them), and a silent server ends the wait with `NET_ERR_PEER_SILENT`.
 *
 * ```ts
 * const client = BlockingSoupClient.login('127.0.0.1:7000', { username: 'ALICE', password: 'secret' });
 * for (let event = client.recv(); event !== undefined; event = client.recv()) console.log(event);
 * ```
 */
export class BlockingSoupClient extends SoupClientLink<Clt<ClientPacket, ServerPacket>> {
  private constructor(address: AddressInput, session: ClientSession) {
    super(address, session);
  }

  /**
   * Connects and logs in, parking until done.
   * @throws NetError `NET_ERR_HANDSHAKE` when the login is rejected (`details.reason` is 'A' or 'S')
   * or not answered in time, `NET_ERR_CONNECT_TIMEOUT`, `NET_ERR_INVALID_ARGUMENT`
   */
  static login(address: AddressInput, options: SoupClientOptions): BlockingSoupClient {
    const client = new BlockingSoupClient(address, new ClientSession(options));
    client.reconnect();
    return client;
  }

  /** Logs in again on a new connection, asking for the next sequenced message not yet taken. */
  reconnect(): void {
    this._mustBeDisconnected();
    this._clt = Clt.connect<ClientPacket, ServerPacket>(this._address, this.session.connectOptions());
  }

  /**
   * The next data packet or End of Session, parking until it comes; `undefined` once the server
   * closed the connection.
   * @throws NetError `NET_ERR_TIMEOUT` when `timeout` passed (the connection stays usable), or why
   * the link was lost (`NET_ERR_PEER_SILENT`, `NET_ERR_PEER_RESET`, ...)
   */
  recv(options?: CallOptions): SoupEvent | typeof END_OF_STREAM {
    const event = this._next(options?.timeout ?? Infinity, true);
    if (event === WOULD_BLOCK) throw new Error('unreachable: a throwing receive never says WOULD_BLOCK');
    return event;
  }

  /**
   * As {@link recv}, but time is not an error: `WOULD_BLOCK` when nothing came within `timeout`
   * (default 0: what is already there, no waiting).
   */
  tryRecv(options?: CallOptions): SoupEvent | typeof WOULD_BLOCK | typeof END_OF_STREAM {
    return this._next(options?.timeout ?? 0, false);
  }

  private _next(timeout: number, throwOnTimeout: boolean): SoupEvent | typeof WOULD_BLOCK | typeof END_OF_STREAM {
    const clt = this._connected();
    const deadline = performance.now() + timeout;
    // Session packets (heartbeats, acknowledgements) are taken on the way and not returned.
    for (;;) {
      const remaining = timeout === Infinity ? Infinity : Math.max(0, deadline - performance.now());
      const packet = throwOnTimeout ? clt.recv({ timeout: remaining }) : clt.tryRecv({ timeout: remaining });
      if (packet === WOULD_BLOCK || packet === END_OF_STREAM) return packet;
      const event = this.session.take(packet);
      if (event !== undefined) return event;
    }
  }

  /** Sends Unsequenced Data, returning once it is written. */
  sendUnsequenced(payload: Uint8Array): void {
    this._connected().send(this.session.unsequenced(payload));
  }

  /** Sends Logout Request and closes the connection. */
  logout(): void {
    const clt = this._connected();
    clt.send({ type: 'O' });
    clt.close();
  }

  /** Closes the connection without logging out, as a lost link would; {@link reconnect} resumes. */
  disconnect(): void {
    this._clt?.close();
  }
}
