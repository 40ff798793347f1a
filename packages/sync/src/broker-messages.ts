import type { MessagePort } from 'node:worker_threads';
import type { Endpoint } from '@net/core';

/** What the thread that uses descriptors asks of the broker thread that owns the sockets. */
export type BrokerRequest =
  | {
      op: 'connect';
      id: number;
      endpoint: Endpoint;
      noDelay: boolean;
      keepAlive: boolean | number;
      blocking: boolean;
      timeoutMs: number;
    }
  | { op: 'listen'; id: number; endpoint: Endpoint; backlog: number; noDelay: boolean; blocking: boolean }
  | { op: 'unlisten'; id: number; serverId: number }
  | { op: 'close'; fd: number; reset: boolean }
  | { op: 'watch'; fd: number; seq: number }
  | { op: 'unwatch'; id: number; fd: number }
  | { op: 'setBlocking'; id: number; fd: number; blocking: boolean }
  | { op: 'ping'; id: number; collect?: boolean }
  | {
      op: 'attach';
      id: number;
      fd: number;
      port: MessagePort;
      signal: SharedArrayBuffer;
      state: SharedArrayBuffer;
      ticket: SharedArrayBuffer;
    }
  | { op: 'end'; fd: number }
  | { op: 'detach' };

/** A failure carried across threads: a NetError's code and message, or a system error's code. */
export interface BrokerFailure {
  readonly code: string;
  readonly message: string;
}

/** What the broker thread reports back. */
export type BrokerEvent =
  | { op: 'connected'; id: number; fd: number; local: Endpoint; peer: Endpoint }
  | { op: 'listening'; id: number; serverId: number; local: Endpoint }
  | { op: 'unlistened'; id: number }
  | { op: 'blockingSet'; id: number }
  | { op: 'attached'; id: number }
  | { op: 'unwatched'; id: number }
  | { op: 'failed'; id: number; failure: BrokerFailure }
  | { op: 'accepted'; serverId: number; fd: number; local: Endpoint; peer: Endpoint }
  | { op: 'data'; fd: number; bytes: Uint8Array }
  | { op: 'eof'; fd: number }
  | { op: 'readError'; fd: number; failure: { code: string; message: string } }
  | { op: 'closed'; fd: number }
  | { op: 'pong'; id: number; sockets: number; servers: number; heapUsed: number; heapTotal: number };

/** Index in the shared signal array that the broker bumps (and notifies) after every event. */
export const SIGNAL_EVENTS = 0;
/**
 * Index in the shared signal array that the broker sets to 1 as its thread exits, for whatever
 * reason (a throw, `process.exit`, `terminate()`): the owner thread never runs an event loop to
 * hear the worker's `exit` event, so this is how a parked or polling caller learns it at once.
 */
export const SIGNAL_STOPPED = 1;
/**
 * Index where the broker thread stores its kernel thread id as it starts (Linux;
 * {@link THREAD_ID_UNKNOWN} elsewhere; 0 until then). A thread ended by `terminate()` or by running
 * out of memory runs no exit handler, so {@link SIGNAL_STOPPED} never comes; whether
 * `/proc/self/task/<id>` still exists tells the owner instead.
 */
export const SIGNAL_THREAD = 2;
/** What a broker thread stores at {@link SIGNAL_THREAD} where the kernel's thread ids cannot be read. */
export const THREAD_ID_UNKNOWN = -1;
/** Length of the shared signal array. */
export const SIGNAL_LENGTH = 3;
