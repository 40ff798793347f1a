import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { ErrorCode, NetError } from '@net/core';
import { rebuild } from './plain-error.js';
import {
  T_ACCEPTED,
  T_COMMANDS,
  T_CONNECTIONS,
  T_EXITED,
  T_HANDLER_ERRORS,
  T_MESSAGES_HI,
  T_MESSAGES_LO,
  T_STOP,
  T_STOPPED,
  THREAD_WORDS,
  type SvcThreadData,
  type SvcThreadReport,
} from './svc-thread-control.js';
import type { SvcThreadStats } from './svc-threads-options.js';

/** What a {@link SvcThread} starts with (the worker's data but its words and port). */
export type SvcThreadSetup = Omit<SvcThreadData, 'control' | 'reports'>;

// How long an exiting process gives a stopped thread's teardown after its last JavaScript.
const EXIT_TEARDOWN_MS = 20;

/**
 * The binding thread's side of one service thread: its worker, the words they share, and the port
 * its reports come on. The worker is unreferenced once it serves: it never keeps the process
 * alive by itself.
 */
export class SvcThread {
  /** Resolves once the thread loaded the handler; rejects with the coded error it could not. */
  readonly ready: Promise<void>;
  /** Called once when the thread ends while it was not asked to stop. */
  onFailure: (error: NetError) => void = () => undefined;
  /** Called for each connection the thread closed because its handler threw. */
  onHandlerError: (error: NetError) => void = () => undefined;
  private readonly _index: number;
  private readonly _worker: Worker;
  private readonly _port: MessagePort;
  private readonly _control: Int32Array;
  private _alive = true;
  private _stopping = false;

  constructor(setup: SvcThreadSetup) {
    this._index = setup.index;
    this._control = new Int32Array(new SharedArrayBuffer(THREAD_WORDS * Int32Array.BYTES_PER_ELEMENT));
    const { port1, port2 } = new MessageChannel();
    const workerData: SvcThreadData = { ...setup, control: this._control.buffer as SharedArrayBuffer, reports: port2 };
    this._worker = new Worker(new URL('./svc-thread-worker.js', import.meta.url), {
      workerData,
      transferList: [port2, setup.port],
      // Plain compiled JavaScript and the user's module: none of the program's Node flags.
      execArgv: [],
    });
    this._port = port1;
    this.ready = new Promise((resolve, reject) => {
      const early = (error: unknown): void =>
        reject(
          new NetError(
            ErrorCode.INVALID_ARGUMENT,
            `service thread ${String(setup.index)} did not start: ${String(error)}`,
            {
              cause: error,
            },
          ),
        );
      this._worker.once('error', early);
      this._worker.once('exit', early);
      this._port.on('message', (report: SvcThreadReport) => {
        if (report.op === 'ready') {
          this._worker.off('error', early);
          this._worker.off('exit', early);
          this._worker.unref();
          this._port.unref();
          this._worker.once('exit', (code) => this._exited(code));
          resolve();
        } else if (report.op === 'failed') {
          reject(rebuild(report.error, `service thread ${String(setup.index)} could not load the handler`));
        } else {
          this.onHandlerError(rebuild(report.error, `${report.conId}: the handler threw`));
        }
      });
    });
  }

  /** False once the thread ended. */
  get alive(): boolean {
    return this._alive;
  }

  /** Connections the thread serves now, those on their way to it included. */
  get connections(): number {
    return Atomics.load(this._control, T_CONNECTIONS);
  }

  /** The words the thread shares, for the accepting thread. */
  get control(): SharedArrayBuffer {
    return this._control.buffer as SharedArrayBuffer;
  }

  /** The thread's counts now. */
  stats(): SvcThreadStats {
    const c = this._control;
    return {
      connections: Atomics.load(c, T_CONNECTIONS),
      accepted: Atomics.load(c, T_ACCEPTED),
      messages: (Atomics.load(c, T_MESSAGES_LO) >>> 0) + Atomics.load(c, T_MESSAGES_HI) * 0x1_0000_0000,
      handlerErrors: Atomics.load(c, T_HANDLER_ERRORS),
      alive: this._alive,
    };
  }

  /**
   * Asks the thread to close its connections and end, without waiting; `exiting` when the process
   * is on its way out (the thread then does not wait for the peers' ends of its closes).
   */
  requestStop(exiting = false): void {
    this._stopping = true;
    if (Atomics.load(this._control, T_STOP) === 0) Atomics.store(this._control, T_STOP, exiting ? 2 : 1);
    this._command();
  }

  /**
   * Stops the thread and parks until it closed its connections and ended (up to `waitMs` each).
   * It is never terminated (see svc-thread-worker.ts).
   */
  stop(waitMs: number, exiting = false): void {
    this.requestStop(exiting);
    const wasAlive = this._alive;
    if (wasAlive) Atomics.wait(this._control, T_STOPPED, 0, waitMs);
    this._port.close();
    // A process that exits soon after would end the thread from outside, which Node 26 does not
    // survive once the thread loaded node:ffi: wait until it ended by itself, and a little more.
    if (wasAlive && Atomics.wait(this._control, T_EXITED, 0, waitMs) !== 'timed-out') {
      Atomics.wait(this._control, T_EXITED, 1, EXIT_TEARDOWN_MS);
    }
    this._alive = false;
  }

  private _command(): void {
    Atomics.add(this._control, T_COMMANDS, 1);
    Atomics.notify(this._control, T_COMMANDS);
  }

  private _exited(code: number): void {
    this._alive = false;
    // Its connections closed with it (each descriptor once no thread holds it): none is served now.
    Atomics.store(this._control, T_CONNECTIONS, 0);
    if (this._stopping) return;
    this.onFailure(
      new NetError(
        ErrorCode.CLOSED,
        `service thread ${String(this._index)} ended (exit code ${String(code)}): its connections closed`,
        {
          details: { thread: this._index, exitCode: code },
        },
      ),
    );
  }
}
