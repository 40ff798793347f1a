import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fcRuns } from '../../../../test-support/fc-runs.mjs';
import { ConId } from '../connection/con-id.js';
import { ErrorCode } from '../errors/error-codes.js';
import { DEFAULT_STORE_CAPACITY, MessageStore } from './message-store.js';

interface Msg {
  readonly kind: string;
  readonly n: number;
}

const clt = new ConId(
  'initiator',
  'clt',
  { kind: 'tcp', host: '127.0.0.1', port: 5000 },
  { kind: 'tcp', host: '127.0.0.1', port: 8080 },
);
const svc = new ConId(
  'acceptor',
  'svc',
  { kind: 'tcp', host: '127.0.0.1', port: 8080 },
  { kind: 'tcp', host: '127.0.0.1', port: 5000 },
);

/** A little conversation: clt sends hello 1..3, svc receives each and answers with ack. */
function conversation(): MessageStore<Msg> {
  const store = new MessageStore<Msg>();
  for (let n = 1; n <= 3; n++) {
    store.push(clt, 'sent', { kind: 'hello', n });
    store.push(svc, 'recv', { kind: 'hello', n });
    store.push(svc, 'sent', { kind: 'ack', n });
    store.push(clt, 'recv', { kind: 'ack', n });
  }
  return store;
}

describe('MessageStore', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('finds by connection name, newest first', () => {
    const store = conversation();
    expect(store.findNow('clt')?.message).toEqual({ kind: 'ack', n: 3 });
    expect(store.findNow('clt')?.direction).toBe('recv');
    expect(store.findNow('svc')?.message).toEqual({ kind: 'ack', n: 3 });
    expect(store.findNow('svc')?.direction).toBe('sent');
    expect(store.findNow(undefined)).toBe(store.last());
    expect(store.findNow('clt', (entry) => entry.message.n === 1)?.seq).toBe(3);
  });

  it('finds received and sent messages by a predicate on the message', () => {
    const store = conversation();
    const hello2 = store.findRecvNow('svc', (m) => m.kind === 'hello' && m.n === 2);
    expect(hello2?.message).toEqual({ kind: 'hello', n: 2 });
    expect(hello2?.conId).toBe(svc);
    expect(store.findSentNow('clt')?.message).toEqual({ kind: 'hello', n: 3 });
    expect(store.findSentNow('svc', (m) => m.kind === 'ack')?.message.n).toBe(3);
    expect(store.findRecvNow(undefined, (m) => m.kind === 'ack')?.conId).toBe(clt);
  });

  it('returns undefined when nothing matches', async () => {
    const store = conversation();
    expect(store.findNow('nobody')).toBeUndefined();
    expect(store.findRecvNow('clt', (m) => m.kind === 'hello')).toBeUndefined();
    expect(store.findSentNow('svc', (m) => m.n > 3)).toBeUndefined();
    await expect(store.find('nobody')).resolves.toBeUndefined();
    expect(new MessageStore().findNow(undefined)).toBeUndefined();
  });

  it('find resolves from what is stored without waiting', async () => {
    const store = conversation();
    const entry = await store.findSent('clt', (m) => m.n === 2, { timeout: 60_000 });
    expect(entry?.message).toEqual({ kind: 'hello', n: 2 });
  });

  it('find with a timeout resolves when a matching entry arrives later', async () => {
    vi.useFakeTimers();
    const store = conversation();
    const waiting = store.findRecv('clt', (m) => m.kind === 'bye', { timeout: 1000 });
    store.push(clt, 'sent', { kind: 'bye', n: 0 }); // wrong direction
    store.push(svc, 'recv', { kind: 'bye', n: 0 }); // wrong connection
    const bye = store.push(clt, 'recv', { kind: 'bye', n: 9 });
    await expect(waiting).resolves.toBe(bye);
    expect(vi.getTimerCount()).toBe(0);
  });

  // Needs the runner's async fake-timer advance (vitest has it; Bun's test runner, which runs these suites on Bun, does not).
  it.skipIf(typeof vi.advanceTimersByTimeAsync !== 'function')(
    'find with a timeout resolves undefined when nothing arrives in time',
    async () => {
      vi.useFakeTimers();
      const store = conversation();
      const waiting = store.find('clt', (entry) => entry.message.kind === 'bye', { timeout: 250 });
      let result: unknown = 'pending';
      void waiting.then((entry) => (result = entry));
      await vi.advanceTimersByTimeAsync(249);
      expect(result).toBe('pending');
      await vi.advanceTimersByTimeAsync(1);
      expect(result).toBeUndefined();
      // The expired waiter is gone: a late match wakes nothing and breaks nothing.
      expect(() => store.push(clt, 'recv', { kind: 'bye', n: 1 })).not.toThrow();
    },
  );

  it('rejects a waiting find whose predicate throws, without disturbing the push', async () => {
    const store = new MessageStore<Msg>();
    const waiting = store.find(
      undefined,
      (entry) => {
        if (entry.message.n === 2) throw new Error('bad predicate');
        return false;
      },
      { timeout: Infinity },
    );
    store.push(clt, 'sent', { kind: 'x', n: 1 });
    expect(() => store.push(clt, 'sent', { kind: 'x', n: 2 })).not.toThrow();
    await expect(waiting).rejects.toThrow('bad predicate');
    expect(store.size).toBe(2);
  });

  it('refuses a negative timeout and a capacity below 1', async () => {
    await expect(new MessageStore().find(undefined, undefined, { timeout: -1 })).rejects.toMatchObject({
      code: ErrorCode.INVALID_ARGUMENT,
    });
    expect(() => new MessageStore({ capacity: 0 })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
    expect(() => new MessageStore({ capacity: 1.5 })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
  });

  it('evicts the oldest entries beyond its capacity', () => {
    const store = new MessageStore<number>({ capacity: 3 });
    for (let n = 0; n < 5; n++) store.push(clt, 'sent', n);
    expect(store.size).toBe(3);
    expect(store.evictedCount).toBe(2);
    expect(store.entries().map((entry) => entry.message)).toEqual([2, 3, 4]);
    expect(store.entries().map((entry) => entry.seq)).toEqual([2, 3, 4]);
    expect(store.at(0)?.message).toBe(2);
    expect(store.at(-1)?.message).toBe(4);
    expect(store.findSentNow('clt', (n) => n < 2)).toBeUndefined();
    expect(new MessageStore().capacity).toBe(DEFAULT_STORE_CAPACITY);
  });

  it('behaves like the last `capacity` items of an unbounded list, across clears', () => {
    type Op = { push: number } | 'clear';
    const op = fc.oneof(
      fc.integer().map((n): Op => ({ push: n })),
      fc.constant<Op>('clear'),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(op, { maxLength: 60 }), (capacity, ops) => {
        const store = new MessageStore<number>({ capacity });
        let model: number[] = [];
        for (const step of ops) {
          if (step === 'clear') {
            store.clear();
            model = [];
          } else {
            store.push(clt, 'recv', step.push);
            model.push(step.push);
          }
        }
        const kept = model.slice(-capacity);
        expect(store.entries().map((entry) => entry.message)).toEqual(kept);
        expect(store.size).toBe(kept.length);
        expect(store.last()?.message).toBe(kept.at(-1));
        expect(store.findNow('clt')?.message).toBe(kept.at(-1));
      }),
      { numRuns: fcRuns(100) },
    );
  });

  it('stamps entries with wall-clock and monotonic times and a growing seq', () => {
    const before = Date.now();
    const store = new MessageStore<string>();
    const first = store.push(clt, 'sent', 'a');
    const second = store.push(clt, 'sent', 'b');
    expect(first.time).toBeGreaterThanOrEqual(before);
    expect(second.monotonic).toBeGreaterThanOrEqual(first.monotonic);
    expect([first.seq, second.seq]).toEqual([0, 1]);
    store.clear();
    expect(store.size).toBe(0);
    expect(store.push(clt, 'sent', 'c').seq).toBe(2);
  });

  it('prints one line per entry with bigints and unserialisable messages', () => {
    const store = new MessageStore<unknown>();
    store.push(clt, 'sent', { id: 12345678901234567890n });
    store.push(svc, 'recv', undefined);
    const circular: { self?: unknown } = {};
    circular.self = circular;
    store.push(svc, 'sent', circular);
    const lines = store.toString().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('MessageStore<size: 3, capacity: 10000>');
    expect(lines[1]).toMatch(
      /^#0 \+0\.000ms \d{4}-\d\d-\d\dT[\d:.]+Z clt@127\.0\.0\.1:5000->127\.0\.0\.1:8080 sent \{"id":"12345678901234567890n"\}$/,
    );
    expect(lines[2]).toMatch(/^#1 \+\d+\.\d{3}ms \S+ svc@127\.0\.0\.1:8080<-127\.0\.0\.1:5000 recv undefined$/);
    expect(lines[3]).toMatch(/ sent \[object Object\]$/);
  });
});
