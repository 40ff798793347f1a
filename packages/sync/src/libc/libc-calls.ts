/**
 * The C library's socket calls, reached through the runtime's foreign function interface where it
 * has one (Bun's `bun:ffi`, on Linux). On such a runtime the synchronous flavours create, connect,
 * accept, read, write and wait on sockets with these calls directly: no broker thread, no WASI.
 * Everywhere else {@link libc} is `undefined` and the Node path (the broker thread and WASI) is used.
 */

/** The calls used, with Linux's calling conventions; pointers are plain numbers. */
export interface LibcCalls {
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, address: number, length: number): number;
  listen(fd: number, backlog: number): number;
  accept4(fd: number, address: number, length: number, flags: number): number;
  connect(fd: number, address: number, length: number): number;
  recv(fd: number, buffer: number, length: number, flags: number): number;
  send(fd: number, buffer: number, length: number, flags: number): number;
  poll(fds: number, count: number, timeoutMs: number): number;
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
  /** Which interface this is, for the comparison's output and the docs: `bun:ffi`. */
  readonly name: string;
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

// The subset of `bun:ffi` used here; the project builds without Bun's types.
interface BunFfi {
  dlopen(path: string, symbols: Record<string, { args: string[]; returns: string }>): { symbols: Record<string, (...args: number[]) => number> };
  ptr(view: ArrayBufferView, byteOffset?: number): number;
  read: { i32(pointer: number, byteOffset?: number): number };
}

const I32 = 'i32';
const PTR = 'ptr';
const SIGNATURES: Record<keyof LibcCalls, { args: string[]; returns: string }> = {
  socket: { args: [I32, I32, I32], returns: I32 },
  bind: { args: [I32, PTR, I32], returns: I32 },
  listen: { args: [I32, I32], returns: I32 },
  accept4: { args: [I32, PTR, PTR, I32], returns: I32 },
  connect: { args: [I32, PTR, I32], returns: I32 },
  recv: { args: [I32, PTR, 'u64', I32], returns: 'i64_fast' },
  send: { args: [I32, PTR, 'u64', I32], returns: 'i64_fast' },
  poll: { args: [PTR, 'u64', I32], returns: I32 },
  close: { args: [I32], returns: I32 },
  shutdown: { args: [I32, I32], returns: I32 },
  unlink: { args: [PTR], returns: I32 },
  fcntl: { args: [I32, I32, I32], returns: I32 },
  setsockopt: { args: [I32, I32, I32, PTR, I32], returns: I32 },
  getsockopt: { args: [I32, I32, I32, PTR, PTR], returns: I32 },
  getsockname: { args: [I32, PTR, PTR], returns: I32 },
  getpeername: { args: [I32, PTR, PTR], returns: I32 },
};

async function loadBunLibc(): Promise<Libc | undefined> {
  const versions = process.versions as Record<string, string | undefined>;
  if (versions['bun'] === undefined || process.platform !== 'linux') return undefined;
  // A specifier in a variable: Node and the bundlers never try to resolve it.
  const specifier = 'bun:ffi';
  const ffi = (await import(/* @vite-ignore */ specifier)) as BunFfi;
  const library = ffi.dlopen('libc.so.6', { ...SIGNATURES, __errno_location: { args: [], returns: PTR } });
  const symbols = library.symbols;
  // errno lives in thread-local storage: its address is fixed for this thread, asked once.
  const errnoAddress = symbols['__errno_location']!();
  return {
    calls: symbols as unknown as LibcCalls,
    pointer: (view, offset = 0) => ffi.ptr(view, offset),
    errno: () => ffi.read.i32(errnoAddress, 0),
    name: 'bun:ffi',
  };
}

let loadProblem: string | undefined;

/** The C library's calls on this runtime, or `undefined` where there is no usable interface. */
export const libc: Libc | undefined = await loadBunLibc().catch((error: unknown) => {
  // A runtime that has the interface but not a C library it can open: the Node path is tried.
  loadProblem = error instanceof Error ? error.message : String(error);
  return undefined;
});

/** Why {@link libc} could not be loaded on a runtime that has an interface, if it could not. */
export function libcLoadProblem(): string | undefined {
  return loadProblem;
}
