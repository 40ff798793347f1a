import type { HeapEntry } from './task-heap.js';
import type { TaskFunction } from './task-result.js';

/**
 * A task scheduled on a `Timer`. The same object lives for every run of a repeating task, so
 * holding it costs nothing per run.
 */
export interface TimerTask {
  /** The name given at scheduling (or a generated `task#n`), used when reporting its errors. */
  readonly name: string;
  /** Milliseconds between the end of one run and the next, or `undefined` for a one-shot task. */
  readonly intervalMs: number | undefined;
  /** True until the task is cancelled, terminates, throws, or (one-shot) has run. */
  readonly isActive: boolean;
  /** When the task is due next, on the timer's clock; `undefined` while it runs or once inactive. */
  readonly dueAt: number | undefined;
  /**
   * Stops the task: it will not run again (if it is running now, this run finishes). Returns
   * false when it was already inactive. Cancelling twice is harmless.
   */
  cancel(): boolean;
  /**
   * Moves the next run to `delayMs` from now (the timer's clock), earlier or later. Cheap enough
   * to call on every message: a heartbeat calls it after each send so that it only beats while
   * the send side is idle. Called from inside the task's own run, it sets the next run unless
   * the run returns `TERMINATE` or `retryAfter`. Returns false (and does nothing) when the task
   * is inactive: a finished task cannot be revived.
   */
  reschedule(delayMs: number): boolean;
}

/**
 * Where a task is in its life. Numbers, not strings: the state is checked on every run.
 * @internal
 */
export const TaskState = {
  /** In the timer's heap, waiting for its due time. */
  SCHEDULED: 0,
  /** Taken out of the heap by a poll that will run it shortly. */
  PENDING: 1,
  /** Its function is executing. */
  RUNNING: 2,
  /** Cancelled, terminated, failed or finished: never runs again. */
  DONE: 3,
} as const;

/** One of the {@link TaskState} values. @internal */
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

/**
 * What a task calls back into: the timer that owns it.
 * @internal
 */
export interface TaskOwner {
  /** Cancels `task`; false if it was already inactive. */
  _cancelTask(task: ScheduledTask): boolean;
  /** Moves `task`'s next run to `delayMs` from now; false if it is inactive. */
  _rescheduleTask(task: ScheduledTask, delayMs: number): boolean;
}

function noop(): void {}

/**
 * The timer's own record of a task, handed to users as a {@link TimerTask}. All fields are owned
 * by the timer; the class is not exported from the package, so users cannot build one.
 *
 * Two due times are kept on purpose: `key`/`seq` is where the task sits in the heap and `due`/
 * `dueSeq` is when it really runs. A reschedule that pushes the task later only moves `due`
 * (O(1), no heap work); the timer moves the heap key when the stale key reaches the top. A
 * reschedule to an earlier time re-keys at once, so `key <= due` always holds in the heap.
 * @internal
 */
export class ScheduledTask implements TimerTask, HeapEntry {
  /** @inheritdoc */
  readonly name: string;
  /** @inheritdoc */
  readonly intervalMs: number | undefined;
  /** Heap position key (may be earlier than {@link due}). */
  key = 0;
  /** Heap tie-breaker for {@link key}. */
  seq = 0;
  /** Position in the heap, -1 when not in it. */
  heapIndex = -1;
  /** When the task really runs next. */
  due = 0;
  /** Tie-breaker for {@link due}: the sequence number of the scheduling that set it. */
  dueSeq = 0;
  /** Lifecycle state. */
  state: TaskState = TaskState.SCHEDULED;
  /** Set when the task rescheduled itself during its current run. */
  rescheduledInRun = false;
  /** The body; replaced by a no-op when the task ends so its closure can be collected. */
  fn: TaskFunction;

  private readonly _owner: TaskOwner;

  constructor(owner: TaskOwner, name: string, intervalMs: number | undefined, fn: TaskFunction) {
    this._owner = owner;
    this.name = name;
    this.intervalMs = intervalMs;
    this.fn = fn;
  }

  get isActive(): boolean {
    return this.state !== TaskState.DONE;
  }

  get dueAt(): number | undefined {
    return this.state === TaskState.SCHEDULED || this.state === TaskState.PENDING ? this.due : undefined;
  }

  cancel(): boolean {
    return this._owner._cancelTask(this);
  }

  reschedule(delayMs: number): boolean {
    return this._owner._rescheduleTask(this, delayMs);
  }

  /** Marks the task finished and drops its body. */
  finish(): void {
    this.state = TaskState.DONE;
    this.fn = noop;
  }
}
