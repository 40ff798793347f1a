import { type Callbacks, ConId, type ConnectionGate, ErrorCode, type Logger, NetError } from '@net/core';
import type { SocketHost } from './socket-host.js';
import { REJECTED, WOULD_BLOCK } from './status.js';
import type { SyncConnection } from './sync-connection.js';

/** What a {@link SyncAcceptor} needs from its service. */
export interface SyncAcceptorSetup<Send, Recv> {
  readonly broker: SocketHost;
  /** The broker's id of the listener. */
  readonly serverId: number;
  /** The service's name, for the ids of its connections. */
  readonly name: string | undefined;
  readonly gate: ConnectionGate;
  readonly callbacks: Callbacks<Send, Recv> | undefined;
  readonly logger: Logger;
  /** Builds the connection for an accepted descriptor (with a fresh protocol instance). */
  makeConnection(fd: number, conId: ConId): SyncConnection<Send, Recv>;
}

/**
 * The accepting side of a synchronous service, one step at a time: each {@link step} takes what
 * the broker accepted, refuses what is over `maxConnections` at once, and moves every handshake in
 * progress forward by what has arrived, without waiting. One slow or silent client therefore never
 * holds up the acceptor: it is dropped at its handshake deadline while others get through.
 */
export class SyncAcceptor<Send, Recv> {
  /** Connections refused for being over `maxConnections` (failed handshakes are not counted here). */
  rejectedCount = 0;
  /** Every connection this acceptor handed over and that is still open. */
  readonly open = new Set<SyncConnection<Send, Recv>>();
  private readonly _setup: SyncAcceptorSetup<Send, Recv>;
  private readonly _handshaking: { connection: SyncConnection<Send, Recv>; release: () => void }[] = [];

  constructor(setup: SyncAcceptorSetup<Send, Recv>) {
    this._setup = setup;
  }

  /** Handshakes in progress. */
  get handshaking(): number {
    return this._handshaking.length;
  }

  /** One step: a connection whose handshake completed, {@link REJECTED}, or {@link WOULD_BLOCK}. */
  step(): SyncConnection<Send, Recv> | typeof REJECTED | typeof WOULD_BLOCK {
    const { broker, serverId, gate } = this._setup;
    if (broker.stopped)
      throw new NetError(
        ErrorCode.CLOSED,
        `${this._setup.name ?? 'service'}: the listener closed with the socket broker thread`,
      );
    for (let socket = broker.takeAccepted(serverId); socket !== undefined; socket = broker.takeAccepted(serverId)) {
      const conId = ConId.acceptor(this._setup.name, socket.local, socket.peer);
      const slot = gate.tryAcquire();
      if (slot === undefined) {
        // Closed at once, so the peer sees the end of the stream rather than a silent socket.
        broker.close(socket.fd);
        this.rejectedCount++;
        this._reportRejected(
          conId,
          new NetError(ErrorCode.REJECTED, `${String(conId)} refused: ${gate.max} connections in use`, {
            details: { maxConnections: gate.max },
          }),
        );
        return REJECTED;
      }
      const connection = this._setup.makeConnection(socket.fd, conId);
      this._handshaking.push({ connection, release: () => slot.release() });
      connection.driver.start();
    }
    return this._advance();
  }

  /**
   * Closes every handshake in progress and every connection handed over that is still open (each
   * says goodbye through its protocol first), so the service's close ends them all.
   */
  close(): void {
    for (const { connection, release } of this._handshaking.splice(0)) {
      connection.close(new NetError(ErrorCode.CLOSED, 'service closed'));
      release();
    }
    for (const connection of [...this.open]) connection.close();
  }

  private _advance(): SyncConnection<Send, Recv> | typeof REJECTED | typeof WOULD_BLOCK {
    for (let i = 0; i < this._handshaking.length; i++) {
      const entry = this._handshaking[i];
      const { connection } = entry;
      let ready: boolean;
      try {
        // Watched after one empty poll: a waiting service then wakes on the broker's report.
        ready = connection.stepHandshake(1);
      } catch {
        this._handshaking.splice(i, 1);
        entry.release();
        return REJECTED;
      }
      if (!ready) continue;
      this._handshaking.splice(i, 1);
      this.open.add(connection);
      connection.onClose(() => {
        this.open.delete(connection);
        entry.release();
      });
      return connection;
    }
    return WOULD_BLOCK;
  }

  private _reportRejected(conId: ConId, reason: NetError): void {
    try {
      this._setup.callbacks?.onRejected?.(conId, reason);
    } catch (error) {
      this._setup.logger.warn(`${String(conId)}: onRejected threw`, error);
    }
  }
}
