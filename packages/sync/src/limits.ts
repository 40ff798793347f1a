/**
 * The defaults of the synchronous runtime shared by `@net/nonblocking` and `@net/blocking`, which
 * re-export them (`docs/limits-and-defaults.md` states them all). The `DEFAULT_` values can be
 * changed per `Clt` or `Svc` through the option named beside them; the `BROKER_` ones are fixed
 * timings of the thread (or C-library host) that owns the sockets.
 */

/**
 * The largest batch of encoded frames a synchronous connection holds, in bytes (`maxBatchBytes`):
 * a `send` that would encode more fails with `NET_ERR_BUFFER_LIMIT`.
 */
export const DEFAULT_MAX_BATCH_BYTES = 16 * 1024 * 1024;
/** How long a synchronous connection's peer may take no byte of a waiting frame, in ms. */
export const DEFAULT_WRITE_STALL_TIMEOUT_MS = 5_000;
/** Deadline of a send made by the protocol itself, in ms (`protocolSendTimeout`). */
export const DEFAULT_PROTOCOL_SEND_TIMEOUT_MS = 1_000;
/**
 * `@net/blocking`: how long a receive polls its socket before it parks, in µs (`recvSpinMicros`).
 * A message that comes within it costs no park and no wake-up, whatever timers are pending.
 */
export const DEFAULT_RECV_SPIN_MICROS = 50;

/**
 * How long a synchronous call waits for the broker thread to answer a request that has no
 * deadline of its own (listen, unlisten, set blocking, unwatch, stats), in ms. A broker that has
 * stopped is seen at once, without this wait (`NET_ERR_SOCKET`); this bounds only a live one that
 * does not answer.
 */
export const BROKER_REQUEST_TIMEOUT_MS = 10_000;
/**
 * How long a broker thread may take to start, in ms: the time a request waits for a thread still
 * starting (loading its modules takes seconds on a busy machine) is not taken from the request's
 * own timeout, and a thread that has not started by then is taken to have failed to start
 * (`NET_ERR_SOCKET`).
 */
export const BROKER_START_TIMEOUT_MS = 30_000;
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
 * How long the broker thread (or the C-library host) drains a gracefully closed socket for the
 * peer's side to close too, in ms, before it destroys the socket anyway.
 */
export const BROKER_LINGER_MS = 2_000;
