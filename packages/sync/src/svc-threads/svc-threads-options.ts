import type { NetError } from '@net/core';
import type { HandlerModule } from './thread-handler.js';

/** Options of `SvcThreads.bind`. */
export interface SvcThreadsOptions {
  /** Service threads: 1 to 256. Each loads {@link handler} and serves the connections it is given. */
  readonly threads: number;
  /**
   * The handler module every thread imports (and `bind` first, to check it): a URL such as
   * `new URL('./handler.js', import.meta.url)`, or a file path. Its default export is made with
   * `defineHandler`: the codec, `onMessage`, optionally `onConnect` and `onDisconnect`.
   */
  readonly handler: HandlerModule;
  /** The service's name, in the ids of its connections. */
  readonly name?: string;
  /** Connections served at once across all threads (1 to 2^24, default 1,024); more are closed as they come. */
  readonly maxConnections?: number;
  /** The listen backlog (1 to 65,535, default 511). */
  readonly backlog?: number;
  /** TCP_NODELAY on accepted connections (default true). */
  readonly noDelay?: boolean;
  /**
   * The longest a handler's `conn.send` waits while the peer reads nothing (ms, default 5,000);
   * past it the send throws `NET_ERR_TIMEOUT` and the connection is closed.
   */
  readonly sendTimeout?: number;
  /** Messages one connection hands its handler before the next connection on its thread gets a turn: 1 to 65,536, default 64. */
  readonly messagesPerTurn?: number;
  /**
   * Called on the binding thread's event loop for a connection closed because its handler threw
   * (`NET_ERR_PROTOCOL`, the handler's error as `cause`), and for a service thread that ended
   * while the service was open (`NET_ERR_CLOSED`). Without it, {@link SvcThreadStats.handlerErrors}
   * and `SvcThreads.threadFailures` still count them.
   */
  readonly onError?: (error: NetError) => void;
}

/** One service thread's counts, read from the words it shares with the binding thread. */
export interface SvcThreadStats {
  /** Connections the thread serves now (those handed to it and not yet taken included). */
  readonly connections: number;
  /** Connections handed to the thread since the service started. */
  readonly accepted: number;
  /** Messages the thread handed to its handler. */
  readonly messages: number;
  /** Connections the thread closed because its handler threw. */
  readonly handlerErrors: number;
  /** False once the thread ended (the service closed, or the thread died). */
  readonly alive: boolean;
}

/** Default {@link SvcThreadsOptions.sendTimeout} (ms). */
export const DEFAULT_THREAD_SEND_TIMEOUT_MS = 5_000;
/** Default {@link SvcThreadsOptions.messagesPerTurn}. */
export const DEFAULT_MESSAGES_PER_TURN = 64;
/** The most service threads one service runs. */
export const MAX_SERVICE_THREADS = 256;
