import { createRequire } from 'node:module';
import { ErrorCode, fromSocketError, NetError } from '@net/core';
import { LibcDescriptorIo } from './libc/libc-descriptor-io.js';
import { ReusedView } from './reused-view.js';
import { libcSockets } from './libc/libc-sockets.js';
import { readSome, WOULD_BLOCK_IO, writeSome } from './node-internals.js';
import { withoutNotice } from './without-notice.js';

/** The ways a descriptor can be read and written, fastest first. */
export type IoPath = 'ffi' | 'wasi' | 'fs';

/**
 * Reads and writes one connection's descriptor, in either mode. {@link read} has the contract of
 * {@link readSome}: the bytes read, 0 at end of stream, {@link WOULD_BLOCK_IO} when nothing is
 * there (a blocking descriptor parks instead).
 */
export interface DescriptorIo {
  /** Which system call path this takes: `ffi` (the C library directly), `wasi` (no exception per empty poll) or `fs`. */
  readonly path: IoPath;
  read(buffer: Uint8Array, offset: number, length: number): number;
  /** Has the contract of {@link writeSome}: the bytes written, 0 when the socket takes none now. */
  write(buffer: Uint8Array, offset: number, length: number): number;
}

/*
 * Why WASI: an empty non-blocking `fs.readSync` throws EAGAIN, and building that exception costs
 * 5-8 µs, four to six times the read(2) itself. A busy-polling receiver pays it on every empty poll,
 * which sets its round-trip latency. Node's built-in WASI runs the same read(2) through libuv and
 * reports EAGAIN as a number: an empty poll then costs about as much as the system call. WASI
 * reaches a descriptor only as one of its three standard streams, so each connection gets its own
 * small WASI object whose stdin and stdout are the socket. No native code and no dependency are involved.
 */

// A module with nothing in it but the memory it imports and exports again, and an empty
// `_initialize`: the least `WASI.initialize()` accepts. Hand-assembled WebAssembly binary.
const MODULE_BYTES = Uint8Array.of(
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // magic, version 1
  ...[0x01, 0x04, 0x01, 0x60, 0x00, 0x00], // types: () -> ()
  ...[0x02, 0x0f, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x01], // import env.memory, 1 page
  ...[0x03, 0x02, 0x01, 0x00], // one function of type 0
  ...[0x07, 0x18, 0x02, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00], // export "memory"
  ...[0x0b, 0x5f, 0x69, 0x6e, 0x69, 0x74, 0x69, 0x61, 0x6c, 0x69, 0x7a, 0x65, 0x00, 0x00], // export "_initialize"
  ...[0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b], // its empty body
);

const PAGE = 64 * 1024;
// Layout of the shared memory: one iovec {buf, len} at 0, the byte count read at 8, data from 64.
const IOVEC = 0;
const COUNT = 8;
const SCRATCH = 64;
/** Largest single read or write through WASI: the scratch area of the memory this thread shares. */
export const WASI_IO_BYTES = 4 * PAGE - SCRATCH;

// WASI preview1 errno values (wasi_snapshot_preview1 `errno`) that a socket read can give.
const WASI_EAGAIN = 6;
const WASI_ERRNO_NAMES: Readonly<Record<number, string>> = {
  8: 'EBADF',
  13: 'ECONNABORTED',
  15: 'ECONNRESET',
  27: 'EINTR',
  29: 'EIO',
  53: 'ENOTCONN',
  64: 'EPIPE',
  73: 'ETIMEDOUT',
};

// The few WebAssembly globals used here (the project compiles without the DOM library's types).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => object;
}

type FdIo = (fd: number, iovs: number, iovsLength: number, countOut: number) => number;
interface WasiLike {
  readonly wasiImport: Record<string, unknown>;
  initialize(instance: object): void;
}
type WasiConstructor = new (options: { version: 'preview1'; stdin: number; stdout: number }) => WasiLike;

/** What every WASI descriptor of this thread shares: one compiled module and one memory. */
interface WasiKit {
  readonly Wasi: WasiConstructor;
  readonly wasm: WasmApi;
  readonly module: object;
  readonly memory: WasmMemory;
  readonly words: Uint32Array;
  readonly scratch: Uint8Array;
}

let kit: WasiKit | null | undefined;

/**
 * Reads and writes for `fd`, in either mode: through the C library where the runtime calls it
 * directly, through WASI where this Node has it (see above), else through `fs.readSync`. A
 * blocking descriptor's calls park in the kernel on every path; WASI's `fd_read` allocates nothing
 * per call where `fs.readSync` makes an object (Node 20), so a parked read keeps WASI too.
 * `NET_SYNC_READ=fs` in the environment forces the `fs` path (for comparison and diagnosis).
 */
export function createDescriptorIo(fd: number): DescriptorIo {
  const direct = libcSockets();
  if (direct !== undefined) return new LibcDescriptorIo(direct, fd);
  const wasi = wasiKit();
  if (wasi !== null) {
    try {
      return new WasiDescriptorIo(wasi, fd);
    } catch {
      // A WASI that refuses this descriptor leaves the connection on the fs path.
    }
  }
  return new FsDescriptorIo(fd);
}

class FsDescriptorIo implements DescriptorIo {
  readonly path = 'fs';
  private readonly _fd: number;

  constructor(fd: number) {
    this._fd = fd;
  }

  read(buffer: Uint8Array, offset: number, length: number): number {
    return readSome(this._fd, buffer, offset, length);
  }

  write(buffer: Uint8Array, offset: number, length: number): number {
    return writeSome(this._fd, buffer, offset, length);
  }
}

class WasiDescriptorIo implements DescriptorIo {
  readonly path = 'wasi';
  private readonly _kit: WasiKit;
  private readonly _fdRead: FdIo;
  private readonly _fdWrite: FdIo;
  // The views large copies go through, kept: one for each direction.
  private readonly _readView = new ReusedView();
  private readonly _writeView = new ReusedView();

  constructor(wasiKit: WasiKit, fd: number) {
    this._kit = wasiKit;
    // The object must live as long as this object: its stdin and stdout (WASI 0 and 1) are the socket.
    // Dropping it frees its table and never closes the socket, which the broker alone closes.
    const wasi = new wasiKit.Wasi({ version: 'preview1', stdin: fd, stdout: fd });
    wasi.initialize(
      new wasiKit.wasm.Instance(wasiKit.module, {
        env: { memory: wasiKit.memory },
        wasi_snapshot_preview1: wasi.wasiImport,
      }),
    );
    this._fdRead = wasi.wasiImport.fd_read as FdIo;
    this._fdWrite = wasi.wasiImport.fd_write as FdIo;
  }

  read(buffer: Uint8Array, offset: number, length: number): number {
    const { words, scratch } = this._kit;
    words[1] = length < WASI_IO_BYTES ? length : WASI_IO_BYTES;
    const errno = this._fdRead(0, IOVEC, 1, COUNT);
    if (errno === 0) {
      const count = words[COUNT / 4];
      // One copy out of the shared scratch area; it is this thread's, and nothing runs between.
      if (count > 0) copyBytes(scratch, 0, buffer, offset, count, this._readView);
      return count;
    }
    if (errno === WASI_EAGAIN) return WOULD_BLOCK_IO;
    throw ioFailure(errno, 'read');
  }

  write(buffer: Uint8Array, offset: number, length: number): number {
    const { words, scratch } = this._kit;
    const count = length < WASI_IO_BYTES ? length : WASI_IO_BYTES;
    copyBytes(buffer, offset, scratch, 0, count, this._writeView);
    words[1] = count;
    const errno = this._fdWrite(1, IOVEC, 1, COUNT);
    if (errno === 0) return words[COUNT / 4];
    if (errno === WASI_EAGAIN) return 0;
    throw ioFailure(errno, 'write');
  }
}

/*
 * Below this many bytes a copy is a plain loop: `set()` needs a view of exactly the bytes to copy,
 * and making one per read or write was most of the garbage of a small-message round trip (about
 * 100 bytes per call). Above it, `set()` copies through a view kept from the last copy when it
 * is the same: a stream writes its batch buffer at the same length again and again, and retries
 * it on a full socket, so a view per call was a stream's garbage (2 to 4 bytes per message).
 */
const LOOP_COPY_BYTES = 512;

function copyBytes(
  from: Uint8Array,
  fromOffset: number,
  to: Uint8Array,
  toOffset: number,
  count: number,
  views: ReusedView,
): void {
  if (count <= LOOP_COPY_BYTES) {
    for (let i = 0; i < count; i++) to[toOffset + i] = from[fromOffset + i];
  } else {
    to.set(views.of(from, fromOffset, count), toOffset);
  }
}

function ioFailure(errno: number, what: 'read' | 'write'): NetError {
  const code = WASI_ERRNO_NAMES[errno];
  if (code === undefined)
    return new NetError(ErrorCode.SOCKET, `${what}: failed with WASI errno ${errno}`, {
      details: { wasiErrno: errno },
    });
  return fromSocketError(Object.assign(new Error(`${what}: ${code}`), { code, errno }), what);
}

function wasiKit(): WasiKit | null {
  if (kit === undefined) kit = process.env.NET_SYNC_READ === 'fs' ? null : loadWasiKit();
  return kit;
}

function loadWasiKit(): WasiKit | null {
  try {
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const Wasi = requireWasi();
    const memory = new wasm.Memory({ initial: 4, maximum: 4 });
    const words = new Uint32Array(memory.buffer, 0, 4);
    words[IOVEC / 4] = SCRATCH;
    return {
      Wasi,
      wasm,
      module: new wasm.Module(MODULE_BYTES),
      memory,
      words,
      scratch: new Uint8Array(memory.buffer, SCRATCH, WASI_IO_BYTES),
    };
  } catch {
    return null; // no WASI in this Node: the fs path still works, only slower on empty polls
  }
}

/**
 * Loads `node:wasi` without its one-time "experimental" warning: the library uses only its
 * descriptor reads, which have been stable since Node 12, and a user never asked for WASI.
 */
function requireWasi(): WasiConstructor {
  return withoutNotice(
    /\bWASI\b/,
    () => (createRequire(import.meta.url)('node:wasi') as { WASI: WasiConstructor }).WASI,
  );
}
