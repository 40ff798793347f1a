import { POLLIN, type Libc } from './libc-calls.js';

/**
 * Parks the calling thread in one `poll(2)` on one descriptor until it has bytes (or an error, or
 * the end of the stream) or a timeout passes: how a blocking receive with a deadline, or with a
 * heartbeat due, waits where the runtime calls the C library. Without it, such a receive handed
 * its descriptor to the host's watch, whose reports are new objects (a few hundred bytes per wait).
 *
 * It makes nothing per call: the `pollfd` lives in a typed array of its own whose address never
 * changes, and that address (and the count, 1) are kept in the form the interface takes, so no call
 * boxes a number or makes a BigInt (Node), or deoptimizes its caller (Deno).
 */
export class ReadableWait {
  private readonly _libc: Libc;
  // struct pollfd { int fd; short events; short revents; }, little-endian: revents in the high half.
  private readonly _pollFd = new Int32Array(2);
  // Kept as taken (a number above the small-integer range, or a BigInt): never re-made per call.
  private readonly _address: number | bigint;
  private readonly _count: number | bigint;

  constructor(libc: Libc) {
    this._libc = libc;
    const address = libc.pointer(this._pollFd);
    this._address = libc.bigIntArguments === true ? BigInt(address) : address;
    this._count = libc.bigIntArguments === true ? 1n : 1;
  }

  /**
   * Parks until `fd` is readable or `timeoutMs` (a whole number of ms, as `poll` takes it; -1 for
   * no bound) passed: true when it is readable, false on the timeout or an interrupted wait (the
   * caller works out its wait again either way).
   */
  wait(fd: number, timeoutMs: number): boolean {
    const pollFd = this._pollFd;
    pollFd[0] = fd;
    pollFd[1] = POLLIN;
    return this._libc.calls.poll(this._address, this._count, timeoutMs) > 0 && pollFd[1] >>> 16 !== 0;
  }
}
