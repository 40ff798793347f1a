import { readSync as fsReadSync, writeSync as fsWriteSync } from 'node:fs';
import type { Socket } from 'node:net';
import { ErrorCode, fromSocketError, NetError } from '@net/core';

/**
 * The only place @net touches Node internals. The synchronous flavours need three things Node does
 * not document: a connected socket's file descriptor (`socket._handle.fd`), a way to stop libuv
 * reading it (`_handle.readStop()`), and a way to clear O_NONBLOCK (`_handle.setBlocking(true)`).
 * {@link checkSyncSocketSupport} checks the platform and shared memory once at start-up, and every
 * socket handed to {@link detachDescriptor} or {@link setDescriptorBlocking} is checked for the
 * internals it needs, so that a Node release that changes them fails loudly with
 * `NET_ERR_UNSUPPORTED` (a connect does not retry it) instead of misbehaving.
 */
interface HandleInternals {
  readonly fd: number;
  reading?: boolean;
  readStop(): number;
  readStart(): number;
  setBlocking?(blocking: boolean): number;
}

/** Returned by {@link readSome} and {@link writeSome} when the socket has no data / no room now. */
export const WOULD_BLOCK_IO = -1;

let checked: NetError | null | undefined;

/**
 * Throws `NET_ERR_UNSUPPORTED` unless this platform and Node version give what the synchronous
 * flavours need: POSIX file descriptors, worker threads and shared memory. The answer is cached.
 */
export function checkSyncSocketSupport(): void {
  if (checked === undefined) checked = syncSocketSupportProblem();
  if (checked !== null) throw checked;
}

/**
 * Why the synchronous flavours cannot run on `platform`, or `null` when they can.
 * @internal exported for tests of the refusal on platforms the tests do not run on
 */
export function syncSocketSupportProblem(platform: NodeJS.Platform = process.platform): NetError | null {
  if (platform === 'win32') {
    return new NetError(
      ErrorCode.UNSUPPORTED,
      'the synchronous flavours need POSIX sockets; on Windows use @net/async',
    );
  }
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics.wait !== 'function') {
    return new NetError(ErrorCode.UNSUPPORTED, 'SharedArrayBuffer and Atomics.wait are required; use @net/async');
  }
  return null;
}

/**
 * The descriptor of a connected socket, with libuv's reading stopped so that only the caller
 * reads it from now on.
 * @throws NetError `NET_ERR_UNSUPPORTED` when this Node has no such internals
 */
export function detachDescriptor(socket: Socket): number {
  const handle = internals(socket);
  // The stream must never ask libuv to read again by itself: after every chunk a paused Readable
  // calls `_read` on the next tick (to top up its buffer), which would restart libuv's reading and
  // swallow bytes meant for the owner thread. From now on only {@link resumeReading} starts a read.
  (socket as unknown as { _read: () => void })._read = noRead;
  socket.pause();
  handle.readStop();
  handle.reading = false;
  return handle.fd;
}

function noRead(): void {}

/**
 * Lets libuv read a detached descriptor until the caller stops it again with
 * {@link detachDescriptor}: the socket's `data` and `end` events fire as usual meanwhile.
 */
export function resumeReading(socket: Socket): void {
  // A socket already torn down has nothing left to read; its close event follows.
  if (socket.destroyed) return;
  const handle = internals(socket);
  socket.resume();
  if (handle.reading !== true) {
    handle.reading = true;
    handle.readStart();
  }
}

type DestroyHook = (error: Error | null, callback: (error?: Error | null) => void) => void;
const originalDestroy = Symbol('net.originalDestroy');
interface HeldStream {
  _destroy: DestroyHook;
  [originalDestroy]?: DestroyHook;
}

/**
 * Keeps a socket's descriptor open while another thread owns it. A read error that libuv meets
 * while it reads the descriptor for a watch (a reset) makes Node destroy the socket, and Node's
 * destroy closes the descriptor: under the owner thread's feet, and its number could be reused by
 * the next connection at once. While held, a destroy only marks the stream destroyed and tells
 * `onDestroyed`; the descriptor stays open until {@link releaseDescriptor}. The hook is the
 * stream's `_destroy`, the step `stream.destroy()` delegates to; `destroy` itself is untouched.
 */
export function holdDescriptor(socket: Socket, onDestroyed: (error: Error | null) => void): void {
  const stream = socket as unknown as HeldStream;
  if (typeof stream._destroy !== 'function') {
    throw new NetError(ErrorCode.UNSUPPORTED, 'this Node has no stream _destroy step to hold a socket open through');
  }
  stream[originalDestroy] = stream._destroy;
  stream._destroy = function heldDestroy(error, callback) {
    onDestroyed(error);
    // No error goes on to the stream: the owner thread hears of it through its own reads.
    callback(null);
  };
}

/**
 * Ends {@link holdDescriptor}: from now on a destroy closes the descriptor as usual.
 * @returns true when the socket was destroyed while held; its descriptor is closed now
 */
export function releaseDescriptor(socket: Socket): boolean {
  const stream = socket as unknown as HeldStream;
  const destroy = stream[originalDestroy];
  if (destroy === undefined) return false;
  delete stream[originalDestroy];
  stream._destroy = destroy;
  if (!socket.destroyed) return false;
  destroy.call(stream, null, noCallback);
  return true;
}

function noCallback(): void {}

/** Clears (or sets) O_NONBLOCK on a socket's descriptor: a blocking socket parks its reader in the kernel. */
export function setDescriptorBlocking(socket: Socket, blocking: boolean): void {
  const handle = internals(socket);
  if (typeof handle.setBlocking !== 'function' || handle.setBlocking(blocking) !== 0) {
    throw new NetError(
      ErrorCode.UNSUPPORTED,
      'this Node cannot switch a socket to blocking mode (_handle.setBlocking)',
    );
  }
}

function internals(socket: Socket): HandleInternals {
  const handle = (socket as unknown as { _handle?: Partial<HandleInternals> | null })._handle;
  if (
    handle == null ||
    typeof handle.fd !== 'number' ||
    handle.fd < 0 ||
    typeof handle.readStop !== 'function' ||
    typeof handle.readStart !== 'function'
  ) {
    throw new NetError(
      ErrorCode.UNSUPPORTED,
      'this Node does not expose socket descriptors (_handle.fd, readStop); use @net/async',
    );
  }
  return handle as HandleInternals;
}

/**
 * Reads what the socket has, up to `length` bytes, into `buffer` at `offset`.
 * @returns the bytes read; 0 at end of stream; {@link WOULD_BLOCK_IO} when nothing is there yet
 * @throws NetError for socket failures (`NET_ERR_PEER_RESET`, ...)
 */
export function readSome(fd: number, buffer: Uint8Array, offset: number, length: number): number {
  // An empty non-blocking read throws EAGAIN; building its stack trace is most of its cost.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return fsReadSync(fd, buffer, offset, length, null);
  } catch (error) {
    if ((error as { code?: string }).code === 'EAGAIN') return WOULD_BLOCK_IO;
    throw fromSocketError(error, 'read');
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Writes as much of `buffer[offset, offset + length)` as the socket takes now.
 * @returns the bytes written, possibly 0 when the socket's send buffer is full
 * @throws NetError for socket failures (`NET_ERR_PEER_RESET` for a closed peer, ...)
 */
export function writeSome(fd: number, buffer: Uint8Array, offset: number, length: number): number {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return fsWriteSync(fd, buffer, offset, length);
  } catch (error) {
    if ((error as { code?: string }).code === 'EAGAIN') return 0;
    throw fromSocketError(error, 'write');
  } finally {
    Error.stackTraceLimit = limit;
  }
}
