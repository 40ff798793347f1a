import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { type Endpoint, ErrorCode, NetError } from '@net/core';
import { rebuild } from './plain-error.js';
import {
  A_EXITED,
  A_REJECTED,
  A_STOP,
  A_STOPPED,
  ACCEPTOR_WORDS,
  type AcceptorData,
  type AcceptorReport,
} from './svc-thread-control.js';

/** What an {@link Acceptor} starts with (the worker's data but its words and reports port). */
export type AcceptorSetup = Omit<AcceptorData, 'control' | 'reports'>;

// How long an exiting process gives the stopped thread's teardown after its last JavaScript.
const EXIT_TEARDOWN_MS = 20;

/**
 * The binding thread's side of the accepting thread: its worker, its words, and the port it
 * reports on. The worker is unreferenced once it listens; the port stays referenced (the service
 * keeps its process alive) until {@link unref} or {@link stop}.
 */
export class Acceptor {
  /** Resolves with the address the thread listens on; rejects with the coded error it could not. */
  readonly listening: Promise<Endpoint>;
  /** Called for a connection the thread could not hand over. */
  onError: (error: NetError) => void = () => undefined;
  private readonly _worker: Worker;
  private readonly _port: MessagePort;
  private readonly _control: Int32Array;
  private _alive = true;

  constructor(setup: AcceptorSetup) {
    this._control = new Int32Array(new SharedArrayBuffer(ACCEPTOR_WORDS * Int32Array.BYTES_PER_ELEMENT));
    const { port1, port2 } = new MessageChannel();
    const workerData: AcceptorData = { ...setup, control: this._control.buffer as SharedArrayBuffer, reports: port2 };
    this._worker = new Worker(new URL('./acceptor-worker.js', import.meta.url), {
      workerData,
      transferList: [port2, ...setup.threads.map((thread) => thread.port)],
      execArgv: [],
    });
    this._port = port1;
    this._worker.once('exit', () => {
      this._alive = false;
    });
    this.listening = new Promise((resolve, reject) => {
      const early = (error: unknown): void =>
        reject(
          new NetError(ErrorCode.SOCKET, `the accepting thread did not start: ${String(error)}`, { cause: error }),
        );
      this._worker.once('error', early);
      this._worker.once('exit', early);
      this._port.on('message', (report: AcceptorReport) => {
        if (report.op === 'listening') {
          this._worker.off('error', early);
          this._worker.off('exit', early);
          this._worker.unref();
          resolve(report.local);
        } else if (report.op === 'failed') {
          reject(rebuild(report.error, 'the service could not listen'));
        } else {
          this.onError(rebuild(report.error, 'a connection could not be handed to a service thread'));
        }
      });
    });
  }

  /** Connections closed as they came. */
  get rejected(): number {
    return Atomics.load(this._control, A_REJECTED);
  }

  /** Lets the process exit while the thread listens. */
  unref(): void {
    this._port.unref();
  }

  /** Keeps the process alive while the thread listens (the default). */
  ref(): void {
    this._port.ref();
  }

  /** Stops listening and parks until the thread ended (up to `waitMs` each); never terminates it. */
  stop(waitMs: number, exiting = false): void {
    if (Atomics.load(this._control, A_STOP) === 0) Atomics.store(this._control, A_STOP, exiting ? 2 : 1);
    if (this._alive && Atomics.load(this._control, A_EXITED) === 0) {
      Atomics.wait(this._control, A_STOPPED, 0, waitMs);
      if (Atomics.wait(this._control, A_EXITED, 0, waitMs) !== 'timed-out')
        Atomics.wait(this._control, A_EXITED, 1, EXIT_TEARDOWN_MS);
    }
    this._port.close();
  }
}
