/**
 * Every error code `@net` reports, with its meaning. The values are stable across releases; the
 * full table with what to do about each lives in `docs/design.md`.
 */
export const ErrorCode = {
  /** A frame (received or about to be sent) is longer than the configured maximum. */
  FRAME_TOO_LARGE: 'NET_ERR_FRAME_TOO_LARGE',
  /** Bytes that cannot be a frame under the configured framing (for example a negative length). */
  FRAME_CORRUPT: 'NET_ERR_FRAME_CORRUPT',
  /** A complete frame could not be turned into a message. */
  DECODE: 'NET_ERR_DECODE',
  /** A message could not be turned into a frame (wrong shape, out-of-range value). */
  ENCODE: 'NET_ERR_ENCODE',
  /** An option or argument is out of its allowed range. */
  INVALID_ARGUMENT: 'NET_ERR_INVALID_ARGUMENT',
  /** A buffer pool or accumulator limit would be exceeded. */
  BUFFER_LIMIT: 'NET_ERR_BUFFER_LIMIT',
  /** A buffer was released twice or released to the wrong pool. */
  BUFFER_RELEASE: 'NET_ERR_BUFFER_RELEASE',
  /** A host name could not be resolved to an address. */
  RESOLVE: 'NET_ERR_RESOLVE',
  /** Connecting did not succeed within the timeout. */
  CONNECT_TIMEOUT: 'NET_ERR_CONNECT_TIMEOUT',
  /** The operation needs a connection and there is none. */
  NOT_CONNECTED: 'NET_ERR_NOT_CONNECTED',
  /** The protocol handshake failed or ran past its deadline. */
  HANDSHAKE: 'NET_ERR_HANDSHAKE',
  /** The service refused the connection (over `maxConnections`, or the handshake rejected it). */
  REJECTED: 'NET_ERR_REJECTED',
  /** The connection or service is closed. */
  CLOSED: 'NET_ERR_CLOSED',
  /** The stream ended inside a frame: the partial frame was dropped, nothing half was delivered. */
  TRUNCATED: 'NET_ERR_TRUNCATED',
  /** A socket-level failure with no more specific code (the system error is the cause). */
  SOCKET: 'NET_ERR_SOCKET',
  /** The peer reset the connection. */
  PEER_RESET: 'NET_ERR_PEER_RESET',
  /** A timed operation ran past its timeout. */
  TIMEOUT: 'NET_ERR_TIMEOUT',
  /** The outbound buffer of a connection is over its hard limit. */
  BACKPRESSURE: 'NET_ERR_BACKPRESSURE',
  /** A protocol hook threw; the connection is closed with this reason and the hook's error as cause. */
  PROTOCOL: 'NET_ERR_PROTOCOL',
  /** The peer sent nothing (no message, no heartbeat) for longer than allowed. */
  PEER_SILENT: 'NET_ERR_PEER_SILENT',
  /**
   * Nothing at all was received from the peer for the connection's `idleTimeout`; the connection
   * is closed with this reason (sending does not count: a silent peer holding a slot is the case).
   */
  IDLE_TIMEOUT: 'NET_ERR_IDLE_TIMEOUT',
  /** The operation was aborted through an AbortSignal. */
  ABORTED: 'NET_ERR_ABORTED',
  /** The platform or Node version lacks something this flavour needs. */
  UNSUPPORTED: 'NET_ERR_UNSUPPORTED',
  /**
   * A message view was read after the next message was received on its connection, or after the
   * connection closed (checked in development mode only): its bytes now hold something else.
   */
  VIEW_EXPIRED: 'NET_ERR_VIEW_EXPIRED',
} as const;

/** One of the stable error code strings in {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
