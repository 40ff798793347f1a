import { type AddressInput, ErrorCode, NetError } from '@net/core';
import type { ClientSession } from './client-session.js';

/** What a client link needs of the flavour's connection. */
interface LinkConnection {
  isConnected(): boolean;
}

/**
 * What every flavour's SoupBinTCP client holds apart from how it waits: where it connects, the
 * session (options, next expected sequence number, protocol) kept across reconnects, and the
 * current connection. The flavours add `login`, `reconnect`, `recv`, sends and `disconnect`.
 */
export abstract class SoupClientLink<C extends LinkConnection> {
  /** Options, tracking and protocol, shared with the other flavours. */
  readonly session: ClientSession;
  protected readonly _address: AddressInput;
  protected _clt: C | undefined;

  protected constructor(address: AddressInput, session: ClientSession) {
    this._address = address;
    this.session = session;
  }

  /** Logged in and connected. */
  isConnected(): boolean {
    return this._clt?.isConnected() ?? false;
  }

  /** @throws NetError `NET_ERR_INVALID_ARGUMENT` while a connection is still up: a reconnect replaces only a lost one */
  protected _mustBeDisconnected(): void {
    if (this._clt !== undefined && this._clt.isConnected())
      throw new NetError(ErrorCode.INVALID_ARGUMENT, 'still connected: disconnect or log out first');
  }

  /** @throws NetError `NET_ERR_NOT_CONNECTED` before the first login */
  protected _connected(): C {
    if (this._clt === undefined) throw new NetError(ErrorCode.NOT_CONNECTED, 'not logged in');
    return this._clt;
  }
}
