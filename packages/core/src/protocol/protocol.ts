import type { ConId } from '../connection/con-id.js';
import type { NetError } from '../errors/net-error.js';

/**
 * What a protocol hook may use to talk on its connection: send a message (it goes through the
 * same path as the user's sends, hooks and callbacks included) and close the connection.
 */
export interface ProtocolSender<Send> {
  /** The connection this sender writes to. */
  readonly conId: ConId;
  /**
   * Sends `message` now. In the synchronous flavours it returns once the frame is written; in
   * `@net/async` once it is queued for the next write.
   * @throws NetError when the connection cannot take it
   */
  send(message: Send): void;
  /** Closes the connection, with `reason` reported to callbacks and to the peer-facing side. */
  close(reason?: NetError): void;
}

/** The answer of {@link Protocol.onHandshakeRecv}: is the handshake complete? */
export const HandshakeStep = {
  /** The handshake succeeded: the connection is handed to the user. */
  Done: 'done',
  /** The handshake needs more messages. */
  Continue: 'continue',
} as const;

/** One of the {@link HandshakeStep} values. */
export type HandshakeStep = (typeof HandshakeStep)[keyof typeof HandshakeStep];

/**
 * The user's protocol: hooks every flavour calls at the same points, so a protocol written once
 * (login, heartbeats, sequence numbers, scripted replies) works over every flavour. Every member
 * is optional.
 *
 * ## Handshake
 * The handshake is message-driven so that it runs unchanged in the blocking, non-blocking and async
 * flavours: {@link onConnect} runs first and may send (a login request); then every received
 * message goes to {@link onHandshakeRecv} until it answers `'done'`. Throwing from either (or
 * passing the handshake deadline) fails the connection: a client's `connect` fails with
 * `NET_ERR_HANDSHAKE`, a service rejects the connection. Without `onHandshakeRecv` the handshake is
 * complete as soon as `onConnect` returns. Messages received during the handshake reach callbacks
 * but are not delivered to the user.
 *
 * ## Per-connection instances
 * A service calls {@link forConnection} once per accepted connection (a client once per connect)
 * and uses the result for that connection only, so per-connection state (logged in, last
 * heartbeat) lives in fields of that instance, while session state (a message log for replay) is
 * an object the instances share. Without `forConnection` the same object serves every connection.
 */
export interface Protocol<Send, Recv> {
  /** A fresh instance for one connection (see "Per-connection instances"). */
  forConnection?(): Protocol<Send, Recv>;
  /** Starts the handshake; may send (a login request). */
  onConnect?(connection: ProtocolSender<Send>): void;
  /** Gets each message received during the handshake; answers whether the handshake is complete. */
  onHandshakeRecv?(message: Recv, connection: ProtocolSender<Send>): HandshakeStep;
  /** Last words before a graceful close (an end-of-session message). Not called when the peer is already gone. */
  onDisconnect?(connection: ProtocolSender<Send>): void;
  /** Runs before a message is encoded; may return a replacement (sequence number, timestamp). */
  onSend?(conId: ConId, message: Send): Send | void;
  /** Runs once per message after its whole frame was written. */
  onSent?(conId: ConId, message: Send): void;
  /** Runs once per message right after it was decoded, before callbacks and before delivery. */
  onRecv?(conId: ConId, message: Recv): void;
  /** Runs once per message that a bounded send gave up on (nothing of it was written). */
  onWouldBlock?(conId: ConId, message: Send): void;
  /** Runs once per message whose send failed. */
  onError?(conId: ConId, message: Send, error: NetError): void;
  /** Logical connection state (logged in, heartbeats fresh), as opposed to socket state. Default: true once the handshake is done. */
  isConnected?(): boolean;
  /** Milliseconds between heartbeats; heartbeats are off when absent. */
  readonly heartbeatInterval?: number;
  /** Sends one heartbeat. Called only while the connection has sent nothing for a whole interval. */
  sendHeartbeat?(sender: ProtocolSender<Send>): void;
  /**
   * How many heartbeat intervals the peer may stay silent (nothing received) before the connection
   * is closed with `NET_ERR_PEER_SILENT`. Default 3; 0 turns the check off.
   */
  readonly peerSilenceIntervals?: number;
  /** Scripted answers: called after each delivered message; may send replies (ping to pong). */
  reply?(message: Recv, sender: ProtocolSender<Send>): void;
}

/**
 * The protocol instance for one new connection: `forConnection()` when the protocol has it (a
 * fresh instance, links' clone), else the protocol itself. Every flavour calls this once per
 * connection.
 */
export function protocolForConnection<Send, Recv>(
  protocol: Protocol<Send, Recv> | undefined,
): Protocol<Send, Recv> | undefined {
  return protocol?.forConnection?.() ?? protocol;
}
