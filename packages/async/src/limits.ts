/**
 * The defaults of `@net/async`'s own options (`docs/limits-and-defaults.md` states them with the
 * shared ones of `@net/core`). Each can be changed per `Clt` or `Svc` through the option named
 * beside it.
 */

/** Outbound bytes per connection above which `send` reports backpressure. */
export const DEFAULT_HIGH_WATER_MARK = 1024 * 1024;
/** Outbound bytes per connection below which a backpressured connection is writable again. */
export const DEFAULT_LOW_WATER_MARK = 256 * 1024;
/** Outbound bytes per connection past which `send` fails with `NET_ERR_BACKPRESSURE`. */
export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** A tick's frames are written at once when they reach this many bytes (`flushThreshold`). */
export const DEFAULT_FLUSH_THRESHOLD = 64 * 1024;
/** Received messages waiting for `recv` before reading pauses (`maxQueuedMessages`). */
export const DEFAULT_MAX_QUEUED_MESSAGES = 4096;
/** How long a graceful close waits for unsent bytes, in ms (`closeTimeout`). */
export const DEFAULT_CLOSE_TIMEOUT_MS = 2_000;
/** Reconnect: the first pause, in ms (`initialDelay`). */
export const DEFAULT_RECONNECT_INITIAL_DELAY_MS = 100;
/** Reconnect: the longest pause, in ms (`maxDelay`). */
export const DEFAULT_RECONNECT_MAX_DELAY_MS = 30_000;
/** Reconnect: each pause is the last one times this (`factor`). */
export const DEFAULT_RECONNECT_FACTOR = 2;
/** Reconnect: the share of each pause that is random (`jitter`). */
export const DEFAULT_RECONNECT_JITTER = 0.5;
