import { once } from 'node:events';
import { type MessagePort, Worker } from 'node:worker_threads';
import type { HalfAnswer, HalfAsk } from './half-thread-wire.js';

/** How often a notice came unawaited, and who waits for the next. */
interface NoticeState {
  seen: number;
  readonly waiters: { resolve: () => void; reject: (error: Error) => void }[];
}

/**
 * The suite's side of one half thread (`half-thread.ts`, compiled): requests go out with an id,
 * answers come back by it, and notices (`ready`, `progress`, `receiving`) wake whoever waits for
 * them. The thread runs one request at a time, so a long loop there delays the next answer only.
 */
export class HalfThread {
  /** The worker itself, for `terminate()` and its `exit` event. */
  readonly worker: Worker;
  private _nextId = 1;
  private readonly _pending = new Map<number, (answer: HalfAnswer) => void>();
  private readonly _notices = new Map<string, NoticeState>();
  private _failure: Error | undefined;

  private constructor() {
    this.worker = new Worker(new URL('../../dist/cross-thread/half-thread.js', import.meta.url));
    this.worker.on('message', (message: HalfAnswer) => {
      if (typeof message.notice === 'string') return this._notice(message.notice);
      const settle = this._pending.get(message.id);
      this._pending.delete(message.id);
      settle?.(message);
    });
    this.worker.on('error', (error) => this._fail(error));
    this.worker.on('exit', (code) => this._fail(new Error(`the half thread exited (code ${code})`)));
  }

  /** A half thread that has loaded both synchronous flavours. */
  static async start(): Promise<HalfThread> {
    const thread = new HalfThread();
    await thread.notice('ready');
    return thread;
  }

  /** Sends one request (with `transfer` in its transfer list) and resolves with the answer, failed or not. */
  ask(request: HalfAsk, transfer: readonly MessagePort[] = []): Promise<HalfAnswer> {
    if (this._failure !== undefined) return Promise.reject(this._failure);
    const id = this._nextId++;
    const answered = new Promise<HalfAnswer>((resolve) => this._pending.set(id, resolve));
    this.worker.postMessage({ ...request, id }, [...transfer]);
    return answered;
  }

  /** Like {@link ask}, but a failed answer rejects with its code and message. */
  async must(request: HalfAsk, transfer: readonly MessagePort[] = []): Promise<HalfAnswer> {
    const answer = await this.ask(request, transfer);
    if (!answer.ok) throw new Error(`${request.op} failed on a half thread: ${answer.code} ${answer.message}`);
    return answer;
  }

  /** Resolves when the thread has posted the notice `name` one more time than this waited for before. */
  notice(name: string): Promise<void> {
    const state = this._state(name);
    if (state.seen > 0) {
      state.seen--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      if (this._failure !== undefined) return reject(this._failure);
      state.waiters.push({ resolve, reject });
    });
  }

  /**
   * Asks the thread to let go of everything it holds; true when it did within `boundMs` (false
   * when it is still busy in a loop of a failed scenario, or gone).
   */
  async reset(boundMs = 20_000): Promise<boolean> {
    if (this._failure !== undefined) return false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), boundMs)));
    const answer = await Promise.race([this.ask({ op: 'closeAll' }), bound]);
    clearTimeout(timer);
    return answer?.ok === true;
  }

  /** Lets go of everything the thread holds (bounded), then ends it. */
  async end(): Promise<void> {
    if (this._failure !== undefined) return;
    const exited = once(this.worker, 'exit');
    await this.reset();
    await this.worker.terminate();
    await exited;
  }

  private _state(name: string): NoticeState {
    let state = this._notices.get(name);
    if (state === undefined) {
      state = { seen: 0, waiters: [] };
      this._notices.set(name, state);
    }
    return state;
  }

  private _notice(name: string): void {
    const state = this._state(name);
    const waiter = state.waiters.shift();
    if (waiter === undefined) state.seen++;
    else waiter.resolve();
  }

  private _fail(error: Error): void {
    this._failure ??= error;
    for (const settle of this._pending.values())
      settle({ id: 0, ok: false, code: undefined, message: `${error.message}` });
    this._pending.clear();
    for (const state of this._notices.values()) for (const waiter of state.waiters.splice(0)) waiter.reject(error);
  }
}
