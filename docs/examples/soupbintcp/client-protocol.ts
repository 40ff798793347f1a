import { ErrorCode, HandshakeStep, NetError, type Protocol, type ProtocolSender, type SessionState } from '@net/core';
import type { ResolvedTimings } from './options.js';
import {
  type ClientPacket,
  formatSequence,
  parseSequence,
  parseSession,
  RejectReason,
  type ServerPacket,
} from './packets.js';

/**
 * What a client remembers across connections: the session it joined and the sequence number of
 * the next sequenced message it expects. A reconnect logs in with both, so the server replays
 * exactly what was missed.
 */
export interface ClientTracking {
  /** The session joined; blank before the first login when the client asked for the current one. */
  session: string;
  /** The next sequence number expected (0 before the first login when no replay was asked for). */
  nextSequence: number;
}

/** Credentials of a Login Request. */
export interface ClientCredentials {
  readonly username: string;
  readonly password: string;
}

const REASON_TEXT: Record<string, string> = {
  [RejectReason.NotAuthorized]: 'not authorized',
  [RejectReason.SessionNotAvailable]: 'session not available',
};

/**
 * The client side of SoupBinTCP as @net protocol hooks, the same in every flavour: the Login
 * Request goes out as soon as the socket connects, and the handshake completes with Login Accepted
 * (which resets the tracked sequence number to where the server really starts) or fails with
 * `NET_ERR_HANDSHAKE` on Login Rejected, whose `details.reason` is the spec's reason character.
 * Client Heartbeats go out after a heartbeat interval without sending; a silent server is
 * `NET_ERR_PEER_SILENT`.
 *
 * The tracking is @net `SessionState`: every connection's instance (see {@link forConnection})
 * shares it, which is what makes reconnect-and-replay work.
 */
export class SoupClientProtocol implements Protocol<ClientPacket, ServerPacket> {
  /** Milliseconds between Client Heartbeats on an idle connection. */
  readonly heartbeatInterval: number;
  /** Heartbeat intervals the server may stay silent. */
  readonly peerSilenceIntervals: number;
  private readonly _credentials: ClientCredentials;
  private readonly _tracking: SessionState<ClientTracking>;
  private readonly _timings: ResolvedTimings;
  private _loggedIn = false;

  constructor(credentials: ClientCredentials, tracking: SessionState<ClientTracking>, timings: ResolvedTimings) {
    this._credentials = credentials;
    this._tracking = tracking;
    this._timings = timings;
    this.heartbeatInterval = timings.heartbeatInterval;
    this.peerSilenceIntervals = timings.peerSilenceIntervals;
  }

  /** A fresh instance for one connection, sharing the tracking. */
  forConnection(): SoupClientProtocol {
    return new SoupClientProtocol(this._credentials, this._tracking.fresh(), this._timings);
  }

  /** Sends the Login Request for the tracked session and sequence number. */
  onConnect(connection: ProtocolSender<ClientPacket>): void {
    const tracking = this._tracking.value;
    connection.send({
      type: 'L',
      username: this._credentials.username,
      password: this._credentials.password,
      session: tracking.session,
      sequence: formatSequence(tracking.nextSequence),
    });
  }

  /** Login Accepted completes the login, Login Rejected fails it; Debug packets are skipped. */
  onHandshakeRecv(packet: ServerPacket): HandshakeStep {
    switch (packet.type) {
      case 'A': {
        const tracking = this._tracking.value;
        tracking.session = parseSession(packet.session);
        tracking.nextSequence = parseSequence(packet.sequence);
        this._loggedIn = true;
        return HandshakeStep.Done;
      }
      case 'J':
        throw new NetError(
          ErrorCode.HANDSHAKE,
          `login rejected: ${REASON_TEXT[packet.reason] ?? `reason '${packet.reason}'`}`,
          {
            details: { reason: packet.reason },
          },
        );
      case '+':
        return HandshakeStep.Continue;
      default:
        throw new NetError(
          ErrorCode.HANDSHAKE,
          `expected Login Accepted or Rejected, got packet type '${packet.type}'`,
          { details: { type: packet.type } },
        );
    }
  }

  /** Sends a Client Heartbeat; @net calls it only after a whole interval without sending. */
  sendHeartbeat(sender: ProtocolSender<ClientPacket>): void {
    sender.send({ type: 'R' });
  }

  /** Logged in on this connection. */
  isConnected(): boolean {
    return this._loggedIn;
  }
}
