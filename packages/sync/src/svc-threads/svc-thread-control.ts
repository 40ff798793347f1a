import type { MessagePort } from 'node:worker_threads';
import type { AddressInput, Endpoint } from '@net/core';
import type { HalfTransfer } from '../transfer/half-transfer.js';

/*
 * The words a threaded service's threads share: the binding thread's, the accepting thread's and
 * each service thread's. The accepting thread posts connections on a message port the service
 * thread reads without an event loop (`receiveMessageOnPort`); the command word tells the thread
 * there is something to read and wakes it where it parks.
 */

/** Bumped (and notified) by every command the owner posts. */
export const T_COMMANDS = 0;
/**
 * Set by `close()`: the thread closes every connection and ends, waiting for the peers' ends of
 * its graceful closes (1), or not (2: the process is exiting).
 */
export const T_STOP = 1;
/** Set to 1 (and notified) by the thread once it closed every connection. */
export const T_STOPPED = 2;
/** Connections the thread serves, those on their way included (the accepting thread adds, the thread takes off). */
export const T_CONNECTIONS = 3;
/** Messages the thread handed to its handler, low 32 bits (unsigned). */
export const T_MESSAGES_LO = 4;
/** Messages the thread handed to its handler, the bits above the low 32. */
export const T_MESSAGES_HI = 5;
/** Connections the thread closed because its handler threw. */
export const T_HANDLER_ERRORS = 6;
/** Set to 1 (and notified) by the thread as it ends. */
export const T_EXITED = 7;
/** Connections given to the thread since it started. */
export const T_ACCEPTED = 8;
/** 1 once the thread loaded the handler and serves, -1 when it could not. */
export const T_READY = 9;
/** Length of a thread's words. */
export const THREAD_WORDS = 16;

/** What the owner gives a service thread as `workerData`. */
export interface SvcThreadData {
  readonly index: number;
  readonly control: SharedArrayBuffer;
  /** Connections come on it from the accepting thread. */
  readonly port: MessagePort;
  /** Reports go on it to the binding thread. */
  readonly reports: MessagePort;
  readonly handler: string;
  readonly sendTimeout: number;
  readonly messagesPerTurn: number;
  /** Empty reads in a row before a connection is watched by the broker thread (broker path). */
  readonly idlePollsBeforeWatch: number;
  /**
   * How long (ms) those empty reads must have gone on too. By count alone a thread that goes
   * round faster (fewer connections each, more threads) hands a connection over sooner, and more
   * of its messages come through the watch, a read and two messages of the broker thread's each.
   */
  readonly idleMsBeforeWatch: number;
}

/** One accepted connection for a service thread: both its halves. */
export interface AdoptCommand {
  readonly op: 'adopt';
  readonly receiver: HalfTransfer;
  readonly sender: HalfTransfer;
}

/** What a thread posts back to its owner (read on the owner's event loop). */
export type SvcThreadReport =
  | { readonly op: 'ready' }
  | { readonly op: 'failed'; readonly error: unknown }
  | { readonly op: 'error'; readonly conId: string; readonly error: unknown };

/** Set by `close()` as {@link T_STOP}: the accepting thread stops listening and ends. */
export const A_STOP = 0;
/** Set to 1 (and notified) by the accepting thread once it stopped listening. */
export const A_STOPPED = 1;
/** Set to 1 (and notified) by the accepting thread as it ends. */
export const A_EXITED = 2;
/** Connections closed as they came, over `maxConnections` or with no thread alive. */
export const A_REJECTED = 3;
/**
 * Where the runtime calls the C library: the `poll(2)` calls the accepting thread made to look for
 * connections, what it costs while none come.
 */
export const A_LOOKS = 4;
/** Length of the accepting thread's words. */
export const ACCEPTOR_WORDS = 8;

/** What the binding thread gives the accepting thread as `workerData`. */
export interface AcceptorData {
  readonly control: SharedArrayBuffer;
  readonly reports: MessagePort;
  readonly handler: string;
  readonly address: AddressInput;
  readonly name: string | undefined;
  readonly backlog: number;
  readonly noDelay: boolean;
  readonly maxConnections: number;
  /** Each service thread's words, and the port its connections go on. */
  readonly threads: readonly { readonly control: SharedArrayBuffer; readonly port: MessagePort }[];
}

/** What the accepting thread posts to the binding thread. */
export type AcceptorReport =
  | { readonly op: 'listening'; readonly local: Endpoint }
  | { readonly op: 'failed'; readonly error: unknown }
  | { readonly op: 'error'; readonly error: unknown };
