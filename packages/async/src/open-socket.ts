import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { ConId, type Endpoint, ErrorCode, formatEndpoint, fromSocketError, NetError } from '@net/core';

/**
 * Where the bytes of a client socket go. The socket reads before the connection that will take
 * its bytes exists, so anything that arrives in between is kept (copied: the shared read buffer
 * is reused by the next read) and handed over when the connection attaches.
 */
export class ReadTarget {
  private _deliver: ((chunk: Uint8Array, stable: boolean) => boolean) | undefined;
  private _early: Uint8Array[] = [];

  /** Takes bytes from the socket; false pauses reading. `stable`: a chunk that is never reused. */
  push(chunk: Uint8Array, stable = false): boolean {
    if (this._deliver !== undefined) return this._deliver(chunk, stable);
    this._early.push(Uint8Array.prototype.slice.call(chunk));
    return true;
  }

  /** Routes bytes to `deliver` from now on, after replaying what came before. */
  attach(deliver: (chunk: Uint8Array, stable: boolean) => boolean): void {
    for (const chunk of this._early.splice(0)) deliver(chunk, true);
    this._deliver = deliver;
  }
}

/** How to open one socket. */
export interface OpenSocketOptions {
  readonly tls: TlsConnectionOptions | true | undefined;
  readonly noDelay: boolean;
  readonly keepAlive: boolean | number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly target: ReadTarget;
}

// One receive buffer for every client socket of this thread: `onread` reads land here and are
// framed at once, so no buffer is allocated per read. Frames that must outlive the read are
// copied by the connection (only a frame cut by the end of a read, or a borrowing codec's).
const SHARED_READ_BUFFER = Buffer.allocUnsafeSlow(64 * 1024);
// The bytes of the last read, as a view of the shared buffer: reads of one length in a row (one
// message at a time, fixed-size frames) reuse it instead of making a view per read. Sharing it is
// safe for the same reason sharing the buffer is: nothing keeps a read's bytes past the next read.
let lastRead: Uint8Array = SHARED_READ_BUFFER.subarray(0, 0);

function readBytes(length: number): Uint8Array {
  if (lastRead.length !== length) lastRead = SHARED_READ_BUFFER.subarray(0, length);
  return lastRead;
}

/**
 * One attempt to connect to `endpoint`: resolves with a connected socket (TCP_NODELAY and
 * keep-alive applied) or rejects with a coded error. Plain TCP and Unix sockets read through the
 * shared `onread` buffer; TLS sockets through `'data'` events.
 */
export function openSocket(endpoint: Endpoint, options: OpenSocketOptions): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new NetError(ErrorCode.ABORTED, 'connect aborted', { cause: options.signal.reason }));
      return;
    }
    const target = options.target;
    let socket: Socket;
    if (options.tls !== undefined) {
      const tlsOptions = options.tls === true ? {} : options.tls;
      const where = endpoint.kind === 'unix' ? { path: endpoint.path } : { host: endpoint.host, port: endpoint.port };
      socket = tlsConnect({ ...tlsOptions, ...where });
      socket.on('data', (chunk: Buffer) => {
        if (!target.push(chunk, true)) socket.pause();
      });
    } else {
      const onread = {
        buffer: SHARED_READ_BUFFER,
        callback: (length: number) => target.push(readBytes(length)),
      };
      socket =
        endpoint.kind === 'unix'
          ? netConnect({ path: endpoint.path, onread })
          : netConnect({ host: endpoint.host, port: endpoint.port, onread });
    }
    let settled = false;
    const timer = setTimeout(
      () =>
        fail(
          new NetError(
            ErrorCode.CONNECT_TIMEOUT,
            `no connection to ${formatEndpoint(endpoint)} within ${options.timeoutMs} ms`,
          ),
        ),
      options.timeoutMs,
    );
    const onAbort = () => fail(new NetError(ErrorCode.ABORTED, 'connect aborted', { cause: options.signal?.reason }));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanUp = () => {
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.off('error', fail);
    };
    function fail(error: unknown) {
      if (settled) return;
      cleanUp();
      // The socket is given up: an error it still emits (Bun reports a refused connect after a
      // destroy that came first) is no one's to handle, and must not end the process.
      socket.on('error', ignoreLateError);
      socket.destroy();
      reject(fromSocketError(error, `connect to ${formatEndpoint(endpoint)}`));
    }
    socket.once('error', fail);
    socket.once(options.tls !== undefined ? 'secureConnect' : 'connect', () => {
      if (settled) return;
      cleanUp();
      if (endpoint.kind === 'tcp') {
        socket.setNoDelay(options.noDelay);
        if (options.keepAlive !== false) socket.setKeepAlive(true, options.keepAlive === true ? 0 : options.keepAlive);
      }
      resolve(socket);
    });
  });
}

/** Takes an error a given-up socket emits after its attempt ended. */
function ignoreLateError(): void {}

/** The connection id of a connected client socket, with both addresses filled in. */
export function initiatorConId(name: string | undefined, socket: Socket, endpoint: Endpoint): ConId {
  if (endpoint.kind === 'unix') return ConId.initiator(name, endpoint, { kind: 'unix', path: 'pending' });
  const local: Endpoint = { kind: 'tcp', host: socket.localAddress ?? 'pending', port: socket.localPort ?? 0 };
  const peer: Endpoint = {
    kind: 'tcp',
    host: socket.remoteAddress ?? endpoint.host,
    port: socket.remotePort ?? endpoint.port,
  };
  return ConId.initiator(name, peer, local);
}
