import { MessageChannel, type MessagePort, type TransferListItem, Worker } from 'node:worker_threads';
import type { NetError } from '@net/core';
import { rebuild } from './plain-error.js';

// How long an exiting process gives a stopped thread's teardown after its last JavaScript.
const EXIT_TEARDOWN_MS = 20;

/** What every report a threaded service's thread posts to its owner has. */
export interface ThreadReport {
  readonly op: string;
  readonly error?: unknown;
}

/** How an {@link OwnedThread} starts and what its first report means. */
export interface OwnedThreadStart<Report extends ThreadReport> {
  /** The worker's module. */
  readonly script: URL;
  /** How many 32-bit words the owner and the thread share. */
  readonly words: number;
  /** The worker's data, but for its words (`control`) and the port it reports on (`reports`). */
  readonly data: object;
  /** What the data moves besides the reports port. */
  readonly transferList: readonly TransferListItem[];
  /** The report that says the thread started. */
  readonly startedOp: Report['op'];
  /** The coded error for a thread that threw or ended before it started. */
  readonly notStarted: (error: unknown) => NetError;
  /** The text of the error a `failed` report (the thread could not start) rejects with. */
  readonly failedText: string;
}

/**
 * A worker that the binding thread owns (the accepting thread, a service thread), the words they
 * share and the port its reports come on. Both kinds start, report and end alike: the thread
 * posts `startedOp` or `failed` first, then reports of its own; it is never terminated, only told
 * to stop through its words and waited for.
 */
export abstract class OwnedThread<Report extends ThreadReport> {
  /** Resolves once the thread posted its `startedOp` report; rejects with the coded error it could not. */
  readonly started: Promise<Report>;
  protected readonly _worker: Worker;
  protected readonly _port: MessagePort;
  protected readonly _control: Int32Array;

  constructor(start: OwnedThreadStart<Report>) {
    this._control = new Int32Array(new SharedArrayBuffer(start.words * Int32Array.BYTES_PER_ELEMENT));
    const { port1, port2 } = new MessageChannel();
    this._worker = new Worker(start.script, {
      workerData: { ...start.data, control: this._control.buffer, reports: port2 },
      transferList: [port2, ...start.transferList],
      // Plain compiled JavaScript and the user's module: none of the program's Node flags.
      execArgv: [],
    });
    this._port = port1;
    this.started = new Promise((resolve, reject) => {
      const early = (error: unknown): void => reject(start.notStarted(error));
      this._worker.once('error', early);
      this._worker.once('exit', early);
      this._port.on('message', (report: Report) => {
        if (report.op === start.startedOp) {
          this._worker.off('error', early);
          this._worker.off('exit', early);
          // The thread never keeps the process alive by itself; its owner decides with the port.
          this._worker.unref();
          this._started();
          resolve(report);
        } else if (report.op === 'failed') {
          reject(rebuild(report.error, start.failedText));
        } else {
          this._report(report);
        }
      });
    });
  }

  /** The words the thread shares, for another thread. */
  get control(): SharedArrayBuffer {
    return this._control.buffer as SharedArrayBuffer;
  }

  /** Called once the thread started, before {@link started} resolves. */
  protected abstract _started(): void;

  /** Called for each report after the first. */
  protected abstract _report(report: Report): void;

  /**
   * Parks until the thread set its `stopped` word, then until it set its `exited` word (up to
   * `waitMs` each), then closes the port. A process that exits soon after would end the thread
   * from outside, which Node 26 does not survive once the thread loaded node:ffi: so the wait is
   * for the thread to end by itself, and a little more for its teardown.
   */
  protected _awaitEnd(stopped: number, exited: number, waitMs: number): void {
    Atomics.wait(this._control, stopped, 0, waitMs);
    if (Atomics.wait(this._control, exited, 0, waitMs) !== 'timed-out')
      Atomics.wait(this._control, exited, 1, EXIT_TEARDOWN_MS);
    this._port.close();
  }
}
