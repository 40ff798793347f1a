import type { MessagePort } from 'node:worker_threads';
import type { FramerDescription, SharedFrameInbox } from '@net/core';
import type { HalfTransfer } from '../transfer/half-transfer.js';

/*
 * The words a PollerThread and its thread share. Commands travel on a message port, which the
 * thread reads without an event loop (`receiveMessageOnPort`); the command word tells it there is
 * something to read, so a busy pass costs one atomic load, and wakes it where it parks on the word.
 */

/** Bumped (and notified) by every command the owner posts. */
export const C_COMMANDS = 0;
/** Set to 1 by `close()`: the thread ends every inbox and lets go of every connection. */
export const C_STOP = 1;
/** Set to 1 (and notified) by the thread once it let go of everything. */
export const C_STOPPED = 2;
/** How many connections the thread polls now. */
export const C_CONNECTIONS = 3;
/** Set to 1 (and notified) by the thread as it ends. */
export const C_EXITED = 4;
/** Length of the control words. */
export const CONTROL_WORDS = 8;

/** How the poller thread waits when a pass over its connections found nothing to do. */
export type PollerIdle = 'park' | 'spin';

/** What the owner gives the poller thread as `workerData`. */
export interface PollerWorkerData {
  readonly control: SharedArrayBuffer;
  readonly port: MessagePort;
  readonly idle: PollerIdle;
  readonly framesPerTurn: number;
}

/** One connection for the poller thread: its receiving half, how to frame it, and where frames go. */
export interface AddCommand {
  readonly op: 'add';
  readonly transfer: HalfTransfer;
  readonly framer: FramerDescription;
  readonly inbox: SharedFrameInbox;
}
