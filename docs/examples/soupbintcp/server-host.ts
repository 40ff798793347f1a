import type { PoolPort, ServerCore } from './server-core.js';

/** What a server host needs of the flavour's service. */
interface HostedService {
  readonly port: number;
  readonly size: number;
}

/**
 * What every flavour's SoupBinTCP server is apart from how it waits: the session core, the
 * flavour's service, and the port through which the core sends (each flavour says what a send
 * that finds a full socket does). Publishing and ending the session are the core's work, then a
 * pump of whatever the sockets take now; the flavours add accepting, receiving and closing.
 */
export abstract class SoupServerHost<S extends HostedService> {
  /** The session, its store and its subscribers. */
  readonly core: ServerCore;
  protected readonly _svc: S;
  protected abstract readonly _port: PoolPort;

  protected constructor(svc: S, core: ServerCore) {
    this._svc = svc;
    this.core = core;
  }

  /** The port the server listens on. */
  get port(): number {
    return this._svc.port;
  }

  /** Clients logged in and in the pool. */
  get size(): number {
    return this._svc.size;
  }

  /**
   * Stores a sequenced message for replay and sends it to every logged-in client whose socket
   * takes it now (the others get it as their sockets drain, in order).
   * @returns its sequence number
   * @throws NetError `NET_ERR_CLOSED` once the session ended, `NET_ERR_INVALID_ARGUMENT` for a bad payload
   */
  publish(payload: Uint8Array): number {
    const sequence = this.core.publish(payload);
    this.core.pump(this._port);
    return sequence;
  }

  /** Ends the session: each client gets what it has not had yet, then End of Session, then its connection closes. */
  endSession(): void {
    this.core.endSession();
    this.core.pump(this._port);
  }
}
