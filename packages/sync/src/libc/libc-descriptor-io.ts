import type { DescriptorIo } from '../descriptor-io.js';
import { WOULD_BLOCK_IO } from '../node-internals.js';
import { EAGAIN, EINTR, MAX_IO_BYTES, MSG_NOSIGNAL } from './libc-calls.js';
import type { LibcSockets } from './libc-sockets.js';

/**
 * Reads and writes one descriptor with the C library's `recv` and `send`, straight from and into
 * the caller's buffer: no copy, no exception for an empty poll (EAGAIN is a number), and the same
 * calls for either mode (a blocking descriptor's `recv` parks in the kernel).
 */
export class LibcDescriptorIo implements DescriptorIo {
  readonly path = 'ffi';
  private readonly _sockets: LibcSockets;
  private readonly _fd: number;

  constructor(sockets: LibcSockets, fd: number) {
    this._sockets = sockets;
    this._fd = fd;
  }

  read(buffer: Uint8Array, offset: number, length: number): number {
    const libc = this._sockets.libc;
    for (;;) {
      const count = libc.calls.recv(this._fd, libc.pointer(buffer, offset), Math.min(length, MAX_IO_BYTES), 0);
      if (count >= 0) return count;
      const errno = libc.errno();
      if (errno === EAGAIN) return WOULD_BLOCK_IO;
      if (errno !== EINTR) throw this._sockets.failure('read', errno);
    }
  }

  write(buffer: Uint8Array, offset: number, length: number): number {
    const libc = this._sockets.libc;
    for (;;) {
      // MSG_NOSIGNAL: a peer that went away is an EPIPE error here, never a SIGPIPE that ends the process.
      const count = libc.calls.send(
        this._fd,
        libc.pointer(buffer, offset),
        Math.min(length, MAX_IO_BYTES),
        MSG_NOSIGNAL,
      );
      if (count >= 0) return count;
      const errno = libc.errno();
      if (errno === EAGAIN) return 0;
      if (errno !== EINTR) throw this._sockets.failure('write', errno);
    }
  }
}
