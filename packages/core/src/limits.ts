/**
 * The defaults and limits of what core implements or every flavour shares (framing buffers,
 * protocol timings, connecting, accepting); each flavour's own live in that flavour's package, and
 * `docs/limits-and-defaults.md` states them all. The `DEFAULT_` values can be changed per `Clt`,
 * `Svc` or object through the option named beside them.
 */

/** Pending connections the kernel queues for a listener before `accept` (Node's own default). */
export const DEFAULT_BACKLOG = 511;
/** Connections one service accepts at once. */
export const DEFAULT_MAX_CONNECTIONS = 1024;
/** Deadline for a protocol handshake, in ms. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5_000;
/** How long `connect` keeps trying, in ms. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 1_000;
/** Pause between connection attempts, in ms. */
export const DEFAULT_CONNECT_RETRY_AFTER_MS = 200;
/** Heartbeat intervals a peer may stay silent before it is disconnected. */
export const DEFAULT_PEER_SILENCE_INTERVALS = 3;
/**
 * How long a connection may receive nothing from its peer before it is closed with
 * `NET_ERR_IDLE_TIMEOUT`, in ms (`idleTimeout`); 0 is off, the default.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 0;
/** The longest `idleTimeout`, in ms (the longest delay a timer takes). */
export const MAX_IDLE_TIMEOUT_MS = 2 ** 31 - 1;
/**
 * Idle-timeout checks per `idleTimeout`: a silent connection is closed between `idleTimeout` and
 * `idleTimeout` plus one check period (half of it) after the last bytes it received.
 */
export const IDLE_TIMEOUT_CHECKS_PER_TIMEOUT = 2;

/** Smallest buffer a `BufferPool` hands out, in bytes (`minBufferSize`). */
export const DEFAULT_MIN_BUFFER_SIZE = 1024;
/** Largest buffer a `BufferPool` pools, in bytes; larger ones are not pooled (`maxBufferSize`). */
export const DEFAULT_MAX_BUFFER_SIZE = 4 * 1024 * 1024;
/** Idle bytes a `BufferPool` keeps for reuse (`maxPooledBytes`). */
export const DEFAULT_MAX_POOLED_BYTES = 64 * 1024 * 1024;
/** A `FrameAccumulator`'s first capacity, in bytes (`initialCapacity`). */
export const DEFAULT_ACCUMULATOR_CAPACITY = 64 * 1024;
/** Room a `FrameAccumulator` keeps free for one read, in bytes (`minReadSize`). */
export const DEFAULT_MIN_READ_SIZE = 16 * 1024;
/** A `ByteWriter`'s first capacity, in bytes (`initialCapacity`). */
export const DEFAULT_WRITER_CAPACITY = 16 * 1024;
/** The most a `ByteWriter` grows to, in bytes (`maxBytes`). */
export const DEFAULT_WRITER_MAX_BYTES = 64 * 1024 * 1024;
