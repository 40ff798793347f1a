import type { Endpoint } from '@net/core';
import { ErrorCode, NetError } from '@net/core';
import { OwnedThread } from './owned-thread.js';
import { rebuild } from './plain-error.js';
import {
  A_EXITED,
  A_REJECTED,
  A_LOOKS,
  A_STOP,
  A_STOPPED,
  ACCEPTOR_WORDS,
  type AcceptorData,
  type AcceptorReport,
} from './svc-thread-control.js';

/** What an {@link Acceptor} starts with (the worker's data but its words and reports port). */
export type AcceptorSetup = Omit<AcceptorData, 'control' | 'reports'>;

/**
 * The binding thread's side of the accepting thread. The worker is unreferenced once it listens;
 * the port stays referenced (the service keeps its process alive) until {@link unref} or
 * {@link stop}.
 */
export class Acceptor extends OwnedThread<AcceptorReport> {
  /** Resolves with the address the thread listens on; rejects with the coded error it could not. */
  readonly listening: Promise<Endpoint>;
  /** Called for a connection the thread could not hand over. */
  onError: (error: NetError) => void = () => undefined;
  private _alive = true;

  constructor(setup: AcceptorSetup) {
    super({
      script: new URL('./acceptor-worker.js', import.meta.url),
      words: ACCEPTOR_WORDS,
      data: setup,
      transferList: setup.threads.map((thread) => thread.port),
      startedOp: 'listening',
      notStarted: (error) =>
        new NetError(ErrorCode.SOCKET, `the accepting thread did not start: ${String(error)}`, { cause: error }),
      failedText: 'the service could not listen',
    });
    this._worker.once('exit', () => {
      this._alive = false;
    });
    this.listening = this.started.then((report) => (report as { readonly local: Endpoint }).local);
  }

  /** Connections closed as they came. */
  get rejected(): number {
    return Atomics.load(this._control, A_REJECTED);
  }

  /** `poll(2)` calls the thread made to look for connections (C-library path; 0 on the broker path). */
  get looks(): number {
    return Atomics.load(this._control, A_LOOKS);
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
    if (this._alive && Atomics.load(this._control, A_EXITED) === 0) this._awaitEnd(A_STOPPED, A_EXITED, waitMs);
    else this._port.close();
  }

  protected _started(): void {
    // The port stays referenced: a listening service keeps its process alive.
  }

  protected _report(report: AcceptorReport): void {
    if (report.op === 'error')
      this.onError(rebuild(report.error, 'a connection could not be handed to a service thread'));
  }
}
