import { type Endpoint, fromSocketError, type NetError } from '@net/core';
import {
  EAGAIN,
  EINPROGRESS,
  EINTR,
  ERRNO_NAMES,
  F_GETFL,
  F_SETFL,
  IPPROTO_TCP,
  type Libc,
  O_NONBLOCK,
  SO_ERROR,
  SO_KEEPALIVE,
  SO_LINGER,
  SO_REUSEADDR,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  SOL_SOCKET,
  TCP_KEEPIDLE,
  TCP_NODELAY,
} from './libc-calls.js';
import { libc } from './load-libc.js';
import { decodeAddress, type EncodedAddress, encodeAddress, SOCKADDR_BYTES } from './socket-address.js';

/** A connected socket's descriptor and both its addresses. */
export interface OpenSocket {
  readonly fd: number;
  readonly local: Endpoint;
  readonly peer: Endpoint;
}

/**
 * Socket operations over the C library: each one call or a few, with the errors Node would give
 * (the same `NET_ERR_*` codes through `fromSocketError`). Scratch memory is this object's own and
 * reused, so nothing is allocated per call but the results.
 */
export class LibcSockets {
  readonly libc: Libc;
  private readonly _address = new Uint8Array(SOCKADDR_BYTES);
  private readonly _length = new Int32Array(1);
  private readonly _option = new Int32Array(2);

  constructor(libc: Libc) {
    this.libc = libc;
  }

  /** The error of the call that just failed, named as Node names it. */
  failure(what: string, errno = this.libc.errno()): NetError {
    const code = ERRNO_NAMES[errno] ?? `E${errno}`;
    return fromSocketError(Object.assign(new Error(`${what}: ${code}`), { code, errno: -errno }), what);
  }

  /**
   * A listening socket on `endpoint` (non-blocking, close-on-exec, address reuse as Node sets it).
   * @throws NetError `NET_ERR_SOCKET` (address in use, ...), `NET_ERR_RESOLVE` for a host name
   */
  listen(endpoint: Endpoint, backlog: number): { fd: number; local: Endpoint } {
    const address = encodeAddress(endpoint);
    const fd = this._socket(address, `bind ${describe(endpoint)}`);
    const calls = this.libc.calls;
    if (endpoint.kind === 'tcp') this._setInt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
    if (calls.bind(fd, this.libc.pointer(address.bytes), address.length) !== 0 || calls.listen(fd, backlog) !== 0) {
      const error = this.failure(`bind ${describe(endpoint)}`);
      calls.close(fd);
      throw error;
    }
    return { fd, local: this.localAddress(fd) };
  }

  /**
   * Starts connecting to `endpoint` on a new non-blocking socket; {@link connectResult} says how it went.
   * @throws NetError when the attempt fails at once (refused on a Unix socket, ...)
   */
  beginConnect(endpoint: Endpoint): number {
    const address = encodeAddress(endpoint);
    const what = `connect to ${describe(endpoint)}`;
    const fd = this._socket(address, what);
    if (this.libc.calls.connect(fd, this.libc.pointer(address.bytes), address.length) !== 0) {
      const errno = this.libc.errno();
      if (errno !== EINPROGRESS && errno !== EAGAIN && errno !== EINTR) {
        this.libc.calls.close(fd);
        throw this.failure(what, errno);
      }
    }
    return fd;
  }

  /** The error a connection attempt ended with (`SO_ERROR`), or `undefined` when it connected. */
  connectResult(fd: number, what: string): NetError | undefined {
    this._length[0] = 4;
    if (
      this.libc.calls.getsockopt(
        fd,
        SOL_SOCKET,
        SO_ERROR,
        this.libc.pointer(this._option),
        this.libc.pointer(this._length),
      ) !== 0
    )
      return this.failure(what);
    const errno = this._option[0];
    return errno === 0 ? undefined : this.failure(what, errno);
  }

  /** A connection waiting on listener `fd`, non-blocking; `undefined` when none is waiting. */
  accept(fd: number): OpenSocket | undefined {
    for (;;) {
      const accepted = this.libc.calls.accept4(fd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (accepted >= 0) return this.opened(accepted);
      const errno = this.libc.errno();
      if (errno === EINTR) continue;
      // Nothing waiting, or a connection that went away before it was taken: try again later.
      return undefined;
    }
  }

  /** `fd` with both its addresses. */
  opened(fd: number): OpenSocket {
    return { fd, local: this.localAddress(fd), peer: this._name(fd, false) };
  }

  /** The address a socket is bound to (with the port the system chose). */
  localAddress(fd: number): Endpoint {
    return this._name(fd, true);
  }

  /** Sets Nagle's algorithm off (`noDelay`) and keep-alive as asked; TCP only. */
  setOptions(fd: number, endpoint: Endpoint, noDelay: boolean, keepAlive: boolean | number): void {
    if (endpoint.kind !== 'tcp') return;
    if (noDelay) this._setInt(fd, IPPROTO_TCP, TCP_NODELAY, 1);
    if (keepAlive !== false) {
      this._setInt(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
      if (typeof keepAlive === 'number')
        this._setInt(fd, IPPROTO_TCP, TCP_KEEPIDLE, Math.max(1, Math.round(keepAlive / 1000)));
    }
  }

  /** Puts `fd` in blocking or non-blocking mode. @throws NetError when the system refuses */
  setBlocking(fd: number, blocking: boolean): void {
    const calls = this.libc.calls;
    const flags = calls.fcntl(fd, F_GETFL, 0);
    if (flags < 0 || calls.fcntl(fd, F_SETFL, blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK) < 0)
      throw this.failure('set blocking mode');
  }

  /** Makes the next `close` of `fd` send a reset instead of a graceful end. */
  setResetOnClose(fd: number): void {
    this._option[0] = 1; // l_onoff
    this._option[1] = 0; // l_linger: 0 s
    this.libc.calls.setsockopt(fd, SOL_SOCKET, SO_LINGER, this.libc.pointer(this._option), 8);
  }

  private _socket(address: EncodedAddress, what: string): number {
    const fd = this.libc.calls.socket(address.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) throw this.failure(what);
    return fd;
  }

  private _setInt(fd: number, level: number, name: number, value: number): void {
    this._option[0] = value;
    this.libc.calls.setsockopt(fd, level, name, this.libc.pointer(this._option), 4);
  }

  private _name(fd: number, local: boolean): Endpoint {
    this._address.fill(0);
    this._length[0] = SOCKADDR_BYTES;
    const call = local ? this.libc.calls.getsockname : this.libc.calls.getpeername;
    if (call(fd, this.libc.pointer(this._address), this.libc.pointer(this._length)) !== 0)
      throw this.failure(local ? 'getsockname' : 'getpeername');
    return decodeAddress(this._address);
  }
}

function describe(endpoint: Endpoint): string {
  return endpoint.kind === 'unix' ? endpoint.path : `${endpoint.host}:${endpoint.port}`;
}

let shared: LibcSockets | undefined;

/** This runtime's socket calls through the C library, or `undefined` where it has no interface to it. */
export function libcSockets(): LibcSockets | undefined {
  if (libc === undefined) return undefined;
  return (shared ??= new LibcSockets(libc));
}
