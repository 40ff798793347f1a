import {
  ConnectionState,
  ErrorCode,
  HandshakeStep,
  NetError,
  type Protocol,
  type ProtocolSender,
  type SessionState,
} from '@net/core';
import type { ResolvedTimings, ServerListener } from './options.js';
import { type ClientPacket, formatSequence, type ServerPacket } from './packets.js';
import type { SessionStore } from './session-store.js';

/** What one connection knows about itself: who logged in on it. */
interface ConnectionFacts {
  username: string | undefined;
}

/**
 * The server side of SoupBinTCP as @net protocol hooks, the same in every flavour:
 *
 * - the login is the handshake: the first packet must be a Login Request; it is answered with Login
 *   Accepted (the connection is then handed to the service) or Login Rejected (the handshake fails
 *   and the service drops the connection once the rejection is written);
 * - Server Heartbeats go out whenever the server sent nothing for a heartbeat interval, and a
 *   client silent for the silence timeout is disconnected with `NET_ERR_PEER_SILENT`;
 * - End of Session is the protocol's last word when the server closes a connection of an ended session.
 *
 * The session (store and subscribers) is @net `SessionState`, shared by every connection; who
 * logged in is `ConnectionState`, fresh for each (see {@link forConnection}).
 */
export class SoupServerProtocol implements Protocol<ServerPacket, ClientPacket> {
  /** Milliseconds between Server Heartbeats on an idle connection. */
  readonly heartbeatInterval: number;
  /** Heartbeat intervals a client may stay silent. */
  readonly peerSilenceIntervals: number;
  private readonly _session: SessionState<SessionStore>;
  private readonly _connection: ConnectionState<ConnectionFacts>;
  private readonly _timings: ResolvedTimings;
  private readonly _listener: ServerListener | undefined;

  constructor(
    session: SessionState<SessionStore>,
    timings: ResolvedTimings,
    listener?: ServerListener,
    connection = new ConnectionState<ConnectionFacts>(() => ({ username: undefined })),
  ) {
    this._session = session;
    this._timings = timings;
    this._listener = listener;
    this._connection = connection;
    this.heartbeatInterval = timings.heartbeatInterval;
    this.peerSilenceIntervals = timings.peerSilenceIntervals;
  }

  /** The session this protocol serves. */
  get store(): SessionStore {
    return this._session.value;
  }

  /** A fresh instance for one connection, sharing the session. */
  forConnection(): SoupServerProtocol {
    return new SoupServerProtocol(this._session.fresh(), this._timings, this._listener, this._connection.fresh());
  }

  /** Answers the Login Request; Debug packets before it are allowed and ignored. */
  onHandshakeRecv(packet: ClientPacket, connection: ProtocolSender<ServerPacket>): HandshakeStep {
    if (packet.type === '+') return HandshakeStep.Continue;
    if (packet.type !== 'L') {
      throw new NetError(ErrorCode.HANDSHAKE, `expected a Login Request, got packet type '${packet.type}'`, {
        details: { type: packet.type },
      });
    }
    const store = this._session.value;
    const decision = store.decide(packet);
    if (!decision.accepted) {
      connection.send({ type: 'J', reason: decision.reason });
      this._notify(() => this._listener?.onLoginRejected?.(connection.conId, packet.username, decision.reason));
      throw new NetError(ErrorCode.HANDSHAKE, `login of '${packet.username}' rejected (${decision.reason})`, {
        details: { username: packet.username, reason: decision.reason },
      });
    }
    connection.send({ type: 'A', session: store.name, sequence: formatSequence(decision.nextSequence) });
    this._connection.value.username = packet.username;
    store.subscribe(connection.conId, packet.username, decision.nextSequence, connection);
    this._notify(() => this._listener?.onLogin?.(connection.conId, packet.username, decision.nextSequence));
    return HandshakeStep.Done;
  }

  /** Sends a Server Heartbeat; @net calls it only after a whole interval without sending. */
  sendHeartbeat(sender: ProtocolSender<ServerPacket>): void {
    sender.send({ type: 'H' });
  }

  /** Says End of Session when the server closes a connection because its session ended. */
  onDisconnect(connection: ProtocolSender<ServerPacket>): void {
    if (this._session.value.ended) connection.send({ type: 'Z' });
  }

  /** Logged in: the handshake gave this connection a user. */
  isConnected(): boolean {
    return this._connection.value.username !== undefined;
  }

  // A listener that throws must not fail the login it observes.
  private _notify(report: () => void): void {
    try {
      report();
    } catch {
      // Observers are told, never obeyed.
    }
  }
}
