/**
 * Default limits, in one place so the documentation, the flavours and the tests agree. Every one
 * can be changed per `Clt` or `Svc`; see `docs/design.md` for what each bounds.
 */

/** Connections one service accepts at once. */
export const DEFAULT_MAX_CONNECTIONS = 1024;
/** Deadline for a protocol handshake, in ms. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5_000;
/** How long `connect` keeps trying, in ms. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 1_000;
/** Pause between connection attempts, in ms. */
export const DEFAULT_CONNECT_RETRY_AFTER_MS = 200;
/** Outbound bytes per connection above which `send` reports backpressure. */
export const DEFAULT_HIGH_WATER_MARK = 1024 * 1024;
/** Outbound bytes per connection below which a backpressured connection is writable again. */
export const DEFAULT_LOW_WATER_MARK = 256 * 1024;
/** Outbound bytes per connection past which `send` fails with `NET_ERR_BACKPRESSURE`. */
export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** Heartbeat intervals a peer may stay silent before it is disconnected. */
export const DEFAULT_PEER_SILENCE_INTERVALS = 3;
/** How long a synchronous connection's peer may take no byte of a waiting frame, in ms. */
export const DEFAULT_WRITE_STALL_TIMEOUT_MS = 5_000;
