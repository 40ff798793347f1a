import { pathToFileURL } from 'node:url';
import { type Codec, type ConId, ErrorCode, NetError } from '@net/core';

/**
 * One connection as a service thread's handler sees it: it replies with {@link send} and ends
 * with {@link close}. It is valid until the handler's `onDisconnect` for it returned.
 */
export interface ThreadConn<Send> {
  /** The connection's id (its peer's address, its serial number on this thread). */
  readonly conId: ConId;
  /** Which service thread serves it: 0 to `threads - 1`. */
  readonly thread: number;
  /** True until the connection closed. */
  readonly isOpen: boolean;
  /**
   * Sends `message` on this connection, waiting while the socket is full up to the service's
   * `sendTimeout`.
   * @throws NetError `NET_ERR_TIMEOUT` when the peer read nothing for that long, `NET_ERR_CLOSED`
   * once the connection closed, an encode or socket error (a throw from a handler closes the connection)
   */
  send(message: Send): void;
  /** Closes the connection (its peer sees the end of the stream); idempotent. */
  close(): void;
}

/**
 * What a service thread's handler module exports as its default export: the codec the thread
 * reads and writes with (codecs are functions, so each thread builds its own by loading the
 * module), and the callbacks it runs for each connection it serves. Write it with
 * {@link defineHandler}, which only checks the types.
 */
export interface ThreadHandler<Recv, Send> {
  /** The codec of every connection: it decodes what clients send and encodes the replies. */
  readonly codec: Codec<Send, Recv>;
  /**
   * Runs for every message, in the order the connection's messages came. A throw closes that
   * connection only, with the error reported to the service's `onError`.
   */
  onMessage(message: Recv, conn: ThreadConn<Send>): void;
  /** Runs once when the thread takes a connection, before its first message; a throw closes it. */
  onConnect?(conn: ThreadConn<Send>): void;
  /** Runs once when a connection ended, for whatever reason (`reason` undefined for a clean end). */
  onDisconnect?(conn: ThreadConn<Send>, reason: NetError | undefined): void;
}

/**
 * Types a handler module's default export: `export default defineHandler<Recv, Send>({ codec,
 * onMessage })`. Returns `handler` as it is.
 */
export function defineHandler<Recv, Send>(handler: ThreadHandler<Recv, Send>): ThreadHandler<Recv, Send> {
  return handler;
}

/** Where a handler module is: a URL (`new URL('./handler.js', import.meta.url)`), or a file path. */
export type HandlerModule = URL | string;

/**
 * The module's address as a string a thread can import: a URL as it is, a file path made absolute.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` for anything else
 */
export function handlerHref(module: unknown): string {
  if (module instanceof URL) return module.href;
  if (typeof module === 'string' && module.length > 0) {
    return /^[a-z][a-z0-9+.-]+:/i.test(module) && !/^[a-z]:[\\/]/i.test(module) ? module : pathToFileURL(module).href;
  }
  throw new NetError(ErrorCode.INVALID_ARGUMENT, 'handler must be a URL or a path of a module', {
    details: { option: 'handler' },
  });
}

/**
 * Imports the handler module at `href` and checks its default export.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` (with the import's error as `cause`) for a module
 * that does not load, or whose default export lacks a codec or `onMessage`
 */
export async function loadHandler(href: string): Promise<ThreadHandler<unknown, unknown>> {
  let loaded: { default?: unknown };
  try {
    loaded = (await import(href)) as { default?: unknown };
  } catch (cause) {
    throw new NetError(ErrorCode.INVALID_ARGUMENT, `the handler module ${href} did not load`, {
      cause,
      details: { option: 'handler' },
    });
  }
  const handler = loaded.default as Partial<ThreadHandler<unknown, unknown>> | null | undefined;
  const codec = handler?.codec as Partial<Codec<unknown, unknown>> | undefined;
  const missing =
    typeof handler !== 'object' || handler === null
      ? 'a default export made with defineHandler'
      : typeof codec?.encode !== 'function' || typeof codec.decode !== 'function' || codec.framer === undefined
        ? 'a codec'
        : typeof handler.onMessage !== 'function'
          ? 'an onMessage function'
          : checkOptional(handler);
  if (missing !== undefined)
    throw new NetError(ErrorCode.INVALID_ARGUMENT, `the handler module ${href} lacks ${missing}`, {
      details: { option: 'handler' },
    });
  return handler as ThreadHandler<unknown, unknown>;
}

function checkOptional(handler: Partial<ThreadHandler<unknown, unknown>>): string | undefined {
  for (const name of ['onConnect', 'onDisconnect'] as const) {
    if (handler[name] !== undefined && typeof handler[name] !== 'function') return `a function ${name}`;
  }
  return undefined;
}
