import { type Callbacks, type ConId, type ErrorCode, NetError } from '@net/core';
import type { CltHandle } from '../adapter.js';

/** A numbered message: the sequence number proves nothing was lost, duplicated or reordered. */
export interface Seq {
  readonly seq: number;
  readonly from?: number;
  readonly text?: string;
}

/** One connection event seen through {@link EventLog}. */
export interface LoggedEvent {
  readonly kind: 'connected' | 'disconnected' | 'rejected';
  readonly conId: ConId;
  readonly reason: NetError | undefined;
}

interface EventWaiter {
  readonly matches: (event: LoggedEvent) => boolean;
  readonly resolve: (event: LoggedEvent) => void;
}

/**
 * Callbacks that record connection events and let a scenario wait for one: the way to observe a
 * service-side outcome (a rejected handshake, a connection closed for an oversized frame) without
 * sleeping.
 */
export class EventLog<Send, Recv> implements Callbacks<Send, Recv> {
  readonly events: LoggedEvent[] = [];
  private _waiters: EventWaiter[] = [];

  onConnected(conId: ConId): void {
    this._record({ kind: 'connected', conId, reason: undefined });
  }

  onDisconnected(conId: ConId, reason: NetError | undefined): void {
    this._record({ kind: 'disconnected', conId, reason });
  }

  onRejected(conId: ConId, reason: NetError): void {
    this._record({ kind: 'rejected', conId, reason });
  }

  /** Events of one kind so far. */
  count(kind: LoggedEvent['kind']): number {
    return this.events.filter((event) => event.kind === kind).length;
  }

  /** The first event (past or future) of `kind` that `matches`; rejects after `timeoutMs`. */
  waitFor(
    kind: LoggedEvent['kind'],
    timeoutMs: number,
    matches: (event: LoggedEvent) => boolean = () => true,
  ): Promise<LoggedEvent> {
    const test = (event: LoggedEvent) => event.kind === kind && matches(event);
    const found = this.events.find(test);
    if (found !== undefined) return Promise.resolve(found);
    return within(
      new Promise<LoggedEvent>((resolve) => this._waiters.push({ matches: test, resolve })),
      timeoutMs,
      `a '${kind}' event`,
    );
  }

  private _record(event: LoggedEvent): void {
    this.events.push(event);
    const still: EventWaiter[] = [];
    for (const waiter of this._waiters) {
      if (waiter.matches(event)) waiter.resolve(event);
      else still.push(waiter);
    }
    this._waiters = still;
  }
}

/** Settles like `promise`, or rejects with a readable error after `ms` (the suite never hangs). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/**
 * Waits until `condition()` holds, checking once per event-loop turn, for state that has no event
 * of its own (a pool's size after a disconnect event). Rejects after `ms`.
 */
export async function until(condition: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting until ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** What a promise settled with, for asserting on rejections by code. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Settles `promise` into an {@link Outcome}. */
export function outcome<T>(promise: Promise<T>): Promise<Outcome<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** The `NetError` code `error` carries, or a description of what it is instead. */
export function codeOf(error: unknown): string {
  if (NetError.isNetError(error)) return error.code;
  return `not a NetError: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
}

/** The code of a rejection (or `'resolved'` when `promise` did not reject). */
export async function rejectionCode(promise: Promise<unknown>): Promise<string> {
  const result = await outcome(promise);
  return result.ok ? 'resolved' : codeOf(result.error);
}

/** The code of a `closed` reason, `'clean'` for a clean close. */
export function reasonCode(reason: NetError | undefined): string {
  return reason === undefined ? 'clean' : reason.code;
}

/** True when `code` is `expected`. Typed helper for readable assertions. */
export function isCode(error: unknown, expected: ErrorCode): boolean {
  return NetError.hasCode(error, expected);
}

/** Receives exactly `count` messages (a missing one is an error, with the count reached). */
export async function recvMany<Send, Recv>(
  handle: CltHandle<Send, Recv>,
  count: number,
  timeoutMs = 10_000,
): Promise<Recv[]> {
  const received: Recv[] = [];
  for (let i = 0; i < count; i++) {
    const message = await handle.recv(timeoutMs);
    if (message === undefined) throw new Error(`end of stream after ${received.length} of ${count} messages`);
    received.push(message);
  }
  return received;
}

/**
 * Checks that `messages` carry the sequence numbers 0, 1, 2, ... in order and returns the first
 * problem found (undefined when there is none): one comparison per message, so a 100,000-message
 * stream is checked without 100,000 assertions.
 */
export function firstSequenceProblem(messages: readonly { seq: number }[], expectedCount: number): string | undefined {
  for (let i = 0; i < messages.length; i++) {
    if (messages[i].seq !== i) return `message ${i} carries seq ${messages[i].seq}`;
  }
  if (messages.length !== expectedCount) return `${messages.length} messages instead of ${expectedCount}`;
  return undefined;
}

/** A small seeded generator (mulberry32), so a failing random scenario replays exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bytes `0..length-1` of a recognisable pattern that depends on `length` and `salt`. */
export function patternBytes(length: number, salt = 0): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + length * 7 + salt) & 0xff;
  return bytes;
}

/** Resolves on the next event-loop turn. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Resolves after `ms`: only for pacing traffic (sending at a rate), never for waiting on a result. */
export function pace(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A comparable text form of each message: byte arrays (plain or `Buffer`, which a flavour may hand
 * out) become base64, bigints `123n`. Comparing these strings is fast where a deep `toEqual` on
 * large byte arrays walks them element by element, and a mismatch still shows which message.
 */
export function describeMessages(messages: readonly unknown[]): string[] {
  return messages.map((message) =>
    JSON.stringify(message, function (this: unknown, key: string, value: unknown) {
      // JSON.stringify has already turned a Buffer into { type, data } by now: use the raw holder.
      const raw = key === '' ? message : (this as Record<string, unknown>)[key];
      if (raw instanceof Uint8Array)
        return `bytes:${Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('base64')}`;
      if (typeof raw === 'bigint') return `${raw}n`;
      return value;
    }),
  );
}
