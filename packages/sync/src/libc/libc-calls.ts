/**
 * The C library's socket calls as the synchronous flavours use them, whichever foreign function
 * interface reaches them (`bun:ffi`, Node's `node:ffi`, Deno's `Deno.dlopen`; see `load-libc.ts`).
 * Pointers are plain numbers on every one of them: addresses fit in 53 bits on the platforms served.
 */

/** The calls used, with Linux's calling conventions; pointers are plain numbers. */
export interface LibcCalls {
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, address: number, length: number): number;
  listen(fd: number, backlog: number): number;
  accept4(fd: number, address: number, length: number, flags: number): number;
  connect(fd: number, address: number, length: number): number;
  recv(fd: number, buffer: number, length: number, flags: number): number;
  /** As {@link read}. */
  send(fd: number, buffer: number | bigint, length: number | bigint, flags: number): number;
  /** Pointer and length as numbers, or as BigInts where the interface wants them ({@link Libc.bigIntArguments}). */
  read(fd: number, buffer: number | bigint, length: number | bigint): number;
  /** As {@link read}. */
  write(fd: number, buffer: number | bigint, length: number | bigint): number;
  /** As {@link read}: pointer and count as numbers, or as BigInts where the interface wants them. */
  poll(fds: number | bigint, count: number | bigint, timeoutMs: number): number;
  close(fd: number): number;
  shutdown(fd: number, how: number): number;
  unlink(path: number): number;
  fcntl(fd: number, command: number, argument: number): number;
  setsockopt(fd: number, level: number, name: number, value: number, length: number): number;
  getsockopt(fd: number, level: number, name: number, value: number, length: number): number;
  getsockname(fd: number, address: number, length: number): number;
  getpeername(fd: number, address: number, length: number): number;
}

/** What the foreign function interface gives besides the calls: pointers to memory, and `errno`. */
export interface Libc {
  readonly calls: LibcCalls;
  /** The address of `view`'s bytes from `offset` on, for as long as `view` is alive. */
  pointer(view: Uint8Array | Int32Array, offset?: number): number;
  /** The calling thread's `errno`, as set by the last call that failed. */
  errno(): number;
  /** Which interface this is, for the comparison's output and the docs: `bun:ffi`, `node:ffi` or `deno:ffi`. */
  readonly name: string;
  /**
   * True where a 64-bit argument given as a number costs garbage per call: Node makes a new BigInt
   * of it, and on Deno optimized code calling with a number is thrown away and rebuilt over and
   * over (the fast call checks for a BigInt). The per-message calls (`read`, `send` or `write`, a
   * receive's `poll`) then pass BigInts their caller keeps between calls.
   */
  readonly bigIntArguments?: boolean;
}

// Linux values (x86-64 and arm64 share them).
/** Address family of Unix sockets. */
export const AF_UNIX = 1;
/** Address family of IPv4. */
export const AF_INET = 2;
/** Address family of IPv6. */
export const AF_INET6 = 10;
/** A stream socket (TCP, or a Unix stream socket). */
export const SOCK_STREAM = 1;
/** `socket`/`accept4` flag: open non-blocking. */
export const SOCK_NONBLOCK = 0o4000;
/** `socket`/`accept4` flag: close on exec, so child processes never inherit the socket. */
export const SOCK_CLOEXEC = 0o2000000;
/** Option level of the socket itself. */
export const SOL_SOCKET = 1;
/** Option: a listener may bind a port in TIME_WAIT, as Node sets it. */
export const SO_REUSEADDR = 2;
/** Option: the error a non-blocking connect ended with. */
export const SO_ERROR = 4;
/** Option: TCP keep-alive probes. */
export const SO_KEEPALIVE = 9;
/** Option: how `close` ends the connection (a zero linger sends a reset). */
export const SO_LINGER = 13;
/** Option level of TCP. */
export const IPPROTO_TCP = 6;
/** Option: Nagle's algorithm off. */
export const TCP_NODELAY = 1;
/** Option: seconds of silence before the first keep-alive probe. */
export const TCP_KEEPIDLE = 4;
/** `fcntl` command: read the status flags. */
export const F_GETFL = 3;
/** `fcntl` command: write the status flags. */
export const F_SETFL = 4;
/** Status flag: non-blocking mode. */
export const O_NONBLOCK = 0o4000;
/** `poll` event: readable (or a connection to accept). */
export const POLLIN = 0x1;
/** `poll` event: writable (a connect finished). */
export const POLLOUT = 0x4;
/** `poll` event: an error is pending. */
export const POLLERR = 0x8;
/** `poll` event: the peer hung up. */
export const POLLHUP = 0x10;
/** `recv` flag: this call does not wait, whatever the descriptor's mode. */
export const MSG_DONTWAIT = 0x40;
/** `send` flag: EPIPE instead of SIGPIPE. */
export const MSG_NOSIGNAL = 0x4000;
/** `shutdown` how: no more sending (FIN). */
export const SHUT_WR = 1;
/** `shutdown` how: no more receiving nor sending (wakes a read parked on another thread). */
export const SHUT_RDWR = 2;
/** errno: interrupted by a signal; the call is made again. */
export const EINTR = 4;
/** errno: nothing to read or no room to write now. */
export const EAGAIN = 11;
/** errno: a non-blocking connect is under way. */
export const EINPROGRESS = 115;

/** errno values and the names Node gives them, for the errors the sockets can raise. */
export const ERRNO_NAMES: Readonly<Record<number, string>> = {
  1: 'EPERM',
  2: 'ENOENT',
  4: 'EINTR',
  9: 'EBADF',
  11: 'EAGAIN',
  13: 'EACCES',
  14: 'EFAULT',
  22: 'EINVAL',
  24: 'EMFILE',
  32: 'EPIPE',
  97: 'EAFNOSUPPORT',
  98: 'EADDRINUSE',
  99: 'EADDRNOTAVAIL',
  101: 'ENETUNREACH',
  103: 'ECONNABORTED',
  104: 'ECONNRESET',
  107: 'ENOTCONN',
  110: 'ETIMEDOUT',
  111: 'ECONNREFUSED',
  113: 'EHOSTUNREACH',
};

/** What an argument is, for an interface to declare it in its own type names. */
export type LibcArgument = 'int' | 'pointer' | 'size';

/**
 * Every call's arguments, for the interfaces to declare. Each returns a C `int`, or a `ssize_t`
 * (`recv`, `send`, `read`, `write`) that the callers keep below 2^31 by never asking for more than
 * {@link MAX_IO_BYTES}, so every interface may read the result as a 32-bit integer: no `BigInt`.
 */
export const LIBC_SIGNATURES: Readonly<Record<keyof LibcCalls, readonly LibcArgument[]>> = {
  socket: ['int', 'int', 'int'],
  bind: ['int', 'pointer', 'int'],
  listen: ['int', 'int'],
  accept4: ['int', 'pointer', 'pointer', 'int'],
  connect: ['int', 'pointer', 'int'],
  recv: ['int', 'pointer', 'size', 'int'],
  send: ['int', 'pointer', 'size', 'int'],
  read: ['int', 'pointer', 'size'],
  write: ['int', 'pointer', 'size'],
  poll: ['pointer', 'size', 'int'],
  close: ['int'],
  shutdown: ['int', 'int'],
  unlink: ['pointer'],
  fcntl: ['int', 'int', 'int'],
  setsockopt: ['int', 'int', 'int', 'pointer', 'int'],
  getsockopt: ['int', 'int', 'int', 'pointer', 'pointer'],
  getsockname: ['int', 'pointer', 'pointer'],
  getpeername: ['int', 'pointer', 'pointer'],
};

/** The most bytes one `recv` or `send` asks for: a result that always fits in 32 bits. */
export const MAX_IO_BYTES = 2 ** 30;

/** The C library every interface opens (glibc's name on Linux). */
export const LIBC_PATH = 'libc.so.6';
