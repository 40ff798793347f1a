import { readlinkSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Endpoint } from '@net/core';
import { THREAD_ID_UNKNOWN } from './broker-messages.js';
import { BROKER_LINGER_MS } from './limits.js';
import { resumeReading, setDescriptorBlocking } from './node-internals.js';

// Small pieces of the broker thread (`broker-worker.ts`) that need none of its state.

/** This thread's id in the kernel ("PID/task/TID"), or {@link THREAD_ID_UNKNOWN} where there is no /proc. */
export function kernelThreadId(): number {
  try {
    const id = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(id) && id > 0 ? id : THREAD_ID_UNKNOWN;
  } catch {
    return THREAD_ID_UNKNOWN;
  }
}

/** A thrown value as the broker reports it: a system error's code (or `ERR`) and its message. */
export function failure(error: unknown): { code: string; message: string } {
  const code =
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
      ? (error as { code: string }).code
      : 'ERR';
  return { code, message: error instanceof Error ? error.message : String(error) };
}

/** A socket's local and peer addresses; a Unix socket's are its path. */
export function endpointsOf(socket: Socket, fallback: Endpoint): { local: Endpoint; peer: Endpoint } {
  if (fallback.kind === 'unix') return { local: fallback, peer: fallback };
  return {
    local: { kind: 'tcp', host: socket.localAddress ?? 'pending', port: socket.localPort ?? 0 },
    peer: { kind: 'tcp', host: socket.remoteAddress ?? 'pending', port: socket.remotePort ?? 0 },
  };
}

/** Sockets closed by their owner and waiting for the peer to close its side too. */
export const lingering = new Set<Socket>();

/**
 * A graceful close: FIN now, after everything the owner wrote; then what the peer still sends is
 * read and dropped until it closes too (or `BROKER_LINGER_MS` passes). Destroying a socket with unread
 * bytes would send RST instead, and the peer could lose the last messages it had not read yet.
 */
export function linger(socket: Socket, blocking: boolean): void {
  if (blocking) setDescriptorBlocking(socket, false);
  lingering.add(socket);
  const done = () => {
    clearTimeout(timer);
    lingering.delete(socket);
    socket.destroy();
  };
  const timer = setTimeout(done, BROKER_LINGER_MS);
  socket.on('data', () => {});
  socket.once('end', done);
  socket.once('close', done);
  // The peer already closed its side (seen while watching): nothing more will come.
  if (socket.readableEnded) return void socket.end(done);
  socket.end();
  resumeReading(socket);
}
