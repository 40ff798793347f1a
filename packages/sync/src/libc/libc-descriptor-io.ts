import type { DescriptorIo } from '../descriptor-io.js';
import { WOULD_BLOCK_IO } from '../node-internals.js';
import { EAGAIN, EINTR, type Libc, MAX_IO_BYTES, MSG_NOSIGNAL } from './libc-calls.js';
import type { LibcSockets } from './libc-sockets.js';

/**
 * Reads and writes one descriptor with the C library's `read` and `send` (or `write`), straight
 * from and into the caller's buffer: no copy, no exception for an empty poll (EAGAIN is a number),
 * and the same calls for either mode (a blocking descriptor's `read` parks in the kernel).
 *
 * Why `read` and not `recv(…, 0)`, and `write` on Node: they mean the same on a socket, and
 * Node's interface gathers the arguments of a call with four or more into a new array, about 130
 * bytes of garbage per message; with three it passes them as they are. `send` stays where it is
 * needed: `MSG_NOSIGNAL` makes a write to a peer that went away an EPIPE error instead of a
 * SIGPIPE, which Node ignores for the whole process but other runtimes may not.
 */
export class LibcDescriptorIo implements DescriptorIo {
  readonly path = 'ffi';
  private readonly _sockets: LibcSockets;
  private readonly _fd: number;
  private readonly _plainWrite: boolean;
  // Where the interface wants BigInts, the ones of the last call: a connection reads into the same
  // place and writes frames of the same size call after call, so a steady exchange makes none.
  private readonly _bigInts: boolean;
  private readonly _read = new LastArguments();
  private readonly _write = new LastArguments();

  constructor(sockets: LibcSockets, fd: number) {
    this._sockets = sockets;
    this._fd = fd;
    this._plainWrite = sockets.libc.name === 'node:ffi';
    this._bigInts = sockets.libc.bigIntArguments === true;
  }

  read(buffer: Uint8Array, offset: number, length: number): number {
    const libc = this._sockets.libc;
    for (;;) {
      const last = this._read;
      const at = last.pointer(libc, buffer, offset);
      const size = Math.min(length, MAX_IO_BYTES);
      const count = this._bigInts
        ? libc.calls.read(this._fd, last.bigPointer(), last.bigLength(size))
        : libc.calls.read(this._fd, at, size);
      if (count >= 0) return count;
      const errno = libc.errno();
      if (errno === EAGAIN) return WOULD_BLOCK_IO;
      if (errno !== EINTR) throw this._sockets.failure('read', errno);
    }
  }

  write(buffer: Uint8Array, offset: number, length: number): number {
    const libc = this._sockets.libc;
    for (;;) {
      const last = this._write;
      const pointer = last.pointer(libc, buffer, offset);
      const size = Math.min(length, MAX_IO_BYTES);
      let count: number;
      if (!this._plainWrite)
        count = this._bigInts
          ? libc.calls.send(this._fd, last.bigPointer(), last.bigLength(size), MSG_NOSIGNAL)
          : libc.calls.send(this._fd, pointer, size, MSG_NOSIGNAL);
      else if (this._bigInts) count = libc.calls.write(this._fd, last.bigPointer(), last.bigLength(size));
      else count = libc.calls.write(this._fd, pointer, size);
      if (count >= 0) return count;
      const errno = libc.errno();
      if (errno === EAGAIN) return 0;
      if (errno !== EINTR) throw this._sockets.failure('write', errno);
    }
  }
}

/**
 * The arguments of one direction's last call, kept while they stay the same: the address of a
 * buffer's bytes at an offset, and, for an interface that wants BigInts, that address and the
 * length as BigInts. An address is no small integer, so handing a new one out of a function boxes
 * it (16 bytes on V8, per call on Deno), and a new BigInt is an object too; the kept ones are
 * handed out as they are. Sound as long as the buffer's bytes never move, which
 * {@link Libc.pointer} already relies on.
 */
export class LastArguments {
  private _view: Uint8Array | Int32Array | undefined;
  private _offset = 0;
  // Never a plain number field: V8 would keep a number there unboxed, and box it again at each read.
  private _pointer: number | undefined = undefined;
  // The BigInt of `_pointer`, made when first asked for after the address changed.
  private _bigPointer: bigint | undefined = undefined;
  private _length = 0;
  private _bigLength = 0n;

  /** `libc.pointer(view, offset)`: the same value as last time when neither has changed. */
  pointer(libc: Libc, view: Uint8Array | Int32Array, offset: number): number {
    if (view !== this._view || offset !== this._offset || this._pointer === undefined) {
      this._pointer = libc.pointer(view, offset);
      this._bigPointer = undefined;
      this._view = view;
      this._offset = offset;
    }
    return this._pointer;
  }

  /** The last {@link pointer} as a BigInt: the same one as last time while the address holds. */
  bigPointer(): bigint {
    return (this._bigPointer ??= BigInt(this._pointer ?? 0));
  }

  /**
   * `poll(2)` over the first `count` `pollfd`s of `fds` (two words each), passed as this runtime
   * wants them: the kept address, and where BigInts are wanted the kept BigInts, so a thread that
   * waits in a loop makes no new value per wait.
   */
  poll(libc: Libc, fds: Int32Array, count: number, timeoutMs: number): number {
    const pointer = this.pointer(libc, fds, 0);
    return libc.bigIntArguments === true
      ? libc.calls.poll(this.bigPointer(), this.bigLength(count), timeoutMs)
      : libc.calls.poll(pointer, count, timeoutMs);
  }

  /** `BigInt(length)`: the same one as last time when `length` has not changed. */
  bigLength(length: number): bigint {
    if (length !== this._length) {
      this._bigLength = BigInt(length);
      this._length = length;
    }
    return this._bigLength;
  }
}
