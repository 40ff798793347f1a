import { ErrorCode, NetError } from '@net/core';
import { OwnedThread } from './owned-thread.js';
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

/**
 * The binding thread's side of one service thread. Its worker and its port are unreferenced once
 * it serves: it never keeps the process alive by itself.
 */
export class SvcThread extends OwnedThread<SvcThreadReport> {
  /** Resolves once the thread loaded the handler; rejects with the coded error it could not. */
  readonly ready: Promise<void>;
  /** Called once when the thread ends while it was not asked to stop. */
  onFailure: (error: NetError) => void = () => undefined;
  /** Called for each connection the thread closed because its handler threw. */
  onHandlerError: (error: NetError) => void = () => undefined;
  private readonly _index: number;
  private _alive = true;
  private _stopping = false;

  constructor(setup: SvcThreadSetup) {
    super({
      script: new URL('./svc-thread-worker.js', import.meta.url),
      words: THREAD_WORDS,
      data: setup,
      transferList: [setup.port],
      startedOp: 'ready',
      notStarted: (error) =>
        new NetError(
          ErrorCode.INVALID_ARGUMENT,
          `service thread ${String(setup.index)} did not start: ${String(error)}`,
          {
            cause: error,
          },
        ),
      failedText: `service thread ${String(setup.index)} could not load the handler`,
    });
    this._index = setup.index;
    this.ready = this.started.then(() => undefined);
  }

  /** False once the thread ended. */
  get alive(): boolean {
    return this._alive;
  }

  /** Connections the thread serves now, those on their way to it included. */
  get connections(): number {
    return Atomics.load(this._control, T_CONNECTIONS);
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
    if (this._alive) this._awaitEnd(T_STOPPED, T_EXITED, waitMs);
    else this._port.close();
    this._alive = false;
  }

  protected _started(): void {
    this._port.unref();
    this._worker.once('exit', (code) => this._exited(code));
  }

  protected _report(report: SvcThreadReport): void {
    if (report.op === 'error') this.onHandlerError(rebuild(report.error, `${report.conId}: the handler threw`));
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
