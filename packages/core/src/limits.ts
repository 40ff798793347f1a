/**
 * Every default and limit, in one place so the documentation, the flavours and the tests agree
 * (`docs/limits-and-defaults.md` states each one). The `DEFAULT_` values can be changed per `Clt`,
 * `Svc` or object through the option named beside them; the `BROKER_` ones are fixed timings of the
 * synchronous flavours' broker thread.
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
/** Outbound bytes per connection above which `send` reports backpressure. */
export const DEFAULT_HIGH_WATER_MARK = 1024 * 1024;
/** Outbound bytes per connection below which a backpressured connection is writable again. */
export const DEFAULT_LOW_WATER_MARK = 256 * 1024;
/** Outbound bytes per connection past which `send` fails with `NET_ERR_BACKPRESSURE`. */
export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
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
/** How long a synchronous connection's peer may take no byte of a waiting frame, in ms. */
export const DEFAULT_WRITE_STALL_TIMEOUT_MS = 5_000;

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

/** `@net/async`: a tick's frames are written at once when they reach this many bytes (`flushThreshold`). */
export const DEFAULT_FLUSH_THRESHOLD = 64 * 1024;
/** `@net/async`: received messages waiting for `recv` before reading pauses (`maxQueuedMessages`). */
export const DEFAULT_MAX_QUEUED_MESSAGES = 4096;
/** `@net/async`: how long a graceful close waits for unsent bytes, in ms (`closeTimeout`). */
export const DEFAULT_CLOSE_TIMEOUT_MS = 2_000;
/** `@net/async` reconnect: the first pause, in ms (`initialDelay`). */
export const DEFAULT_RECONNECT_INITIAL_DELAY_MS = 100;
/** `@net/async` reconnect: the longest pause, in ms (`maxDelay`). */
export const DEFAULT_RECONNECT_MAX_DELAY_MS = 30_000;
/** `@net/async` reconnect: each pause is the last one times this (`factor`). */
export const DEFAULT_RECONNECT_FACTOR = 2;
/** `@net/async` reconnect: the share of each pause that is random (`jitter`). */
export const DEFAULT_RECONNECT_JITTER = 0.5;

/** Synchronous flavours: deadline of a send made by the protocol itself, in ms (`protocolSendTimeout`). */
export const DEFAULT_PROTOCOL_SEND_TIMEOUT_MS = 1_000;
/**
 * `@net/blocking`: how long a receive polls its socket before it parks, in µs (`recvSpinMicros`).
 * A message that comes within it costs no park and no wake-up, whatever timers are pending.
 */
export const DEFAULT_RECV_SPIN_MICROS = 50;
/** `@net/nonblocking`: empty polls of a pooled connection before the broker watches it (`idlePollsBeforeWatch`). */
export const DEFAULT_IDLE_POLLS_BEFORE_WATCH = 64;
/**
 * `@net/nonblocking`: messages a `Poller` takes from one connection in one pass before it moves on
 * to the next (`messagesPerPass`), so a peer that never stops sending cannot starve the others.
 */
export const DEFAULT_POLLER_MESSAGES_PER_PASS = 64;

/**
 * How long a synchronous call waits for the broker thread to answer a request that has no
 * deadline of its own (listen, unlisten, set blocking, unwatch, stats), in ms. A broker that has
 * stopped is seen at once, without this wait (`NET_ERR_SOCKET`); this bounds only a live one that
 * does not answer.
 */
export const BROKER_REQUEST_TIMEOUT_MS = 10_000;
/**
 * Extra time a synchronous connect waits for the broker's answer beyond the attempt's own
 * `timeoutMs`, in ms: the broker times the attempt out itself and needs a moment to say so.
 */
export const BROKER_CONNECT_SLACK_MS = 1_000;
/**
 * How often a synchronous call waiting for the broker's answer checks that the broker thread is
 * still there, in ms: a thread that ends without an exit handler (`terminate()`, out of memory)
 * is seen within this time instead of at the request's timeout.
 */
export const BROKER_LIVENESS_CHECK_MS = 50;
/**
 * How long the broker thread drains a gracefully closed socket for the peer's side to close too,
 * in ms, before it destroys the socket anyway.
 */
export const BROKER_LINGER_MS = 2_000;
