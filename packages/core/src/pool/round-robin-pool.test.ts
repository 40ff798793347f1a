import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcRuns } from '../../../../test-support/fc-runs.mjs';
import { ErrorCode, NetError } from '../index.js';
import { MAX_POOL_CAPACITY, RoundRobinPool } from './index.js';

function take<T>(pool: RoundRobinPool<T>, count: number): (T | undefined)[] {
  return Array.from({ length: count }, () => pool.next());
}

describe('RoundRobinPool (C4)', () => {
  it('serves in round-robin order and current() is the item next() returned last', () => {
    const pool = new RoundRobinPool<string>(3);
    expect(pool.isEmpty).toBe(true);
    expect(pool.next()).toBeUndefined();
    expect(pool.current()).toBeUndefined();
    for (const name of ['a', 'b', 'c']) pool.add(name);
    expect(pool.size).toBe(3);
    expect(pool.next()).toBe('a');
    expect(pool.current()).toBe('a');
    expect(pool.get(pool.lastUsedId!)).toBe('a');
    expect(take(pool, 4)).toEqual(['b', 'c', 'a', 'b']);
    expect(pool.current()).toBe('b');
  });

  it('removeLastUsed() takes out the current item, the cycle goes on, and a refill joins the back', () => {
    const pool = new RoundRobinPool<string>(3);
    for (const name of ['a', 'b', 'c']) pool.add(name);
    pool.next();
    expect(pool.next()).toBe('b');
    expect(pool.removeLastUsed()).toBe('b');
    expect(pool.current()).toBeUndefined();
    expect(pool.removeLastUsed()).toBeUndefined();
    expect(pool.size).toBe(2);
    expect(pool.hasCapacity).toBe(true);
    pool.add('d'); // refill: behind c and a, which have waited longer
    expect(take(pool, 5)).toEqual(['c', 'a', 'd', 'c', 'a']);
  });

  it('refuses an item when full (NET_ERR_REJECTED or undefined) and leaves it with the caller', () => {
    const pool = new RoundRobinPool<{ closed: boolean }>(2);
    const first = pool.add({ closed: false });
    pool.add({ closed: false });
    expect(pool.hasCapacity).toBe(false);
    const extra = { closed: false };
    let error: unknown;
    try {
      pool.add(extra);
    } catch (caught) {
      error = caught;
    }
    expect(NetError.hasCode(error, ErrorCode.REJECTED)).toBe(true);
    expect((error as NetError).details).toEqual({ maxCapacity: 2 });
    expect(pool.tryAdd(extra)).toBeUndefined();
    expect(pool.size).toBe(2);
    expect([...pool]).not.toContain(extra);
    // The caller still owns it (could close it), and it fits once a place is free.
    pool.remove(first);
    expect(pool.get(pool.add(extra))).toBe(extra);
  });

  it('validates maxCapacity', () => {
    const invalid = expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT });
    for (const bad of [0, -1, 1.5, Number.NaN, MAX_POOL_CAPACITY + 1])
      expect(() => new RoundRobinPool(bad)).toThrow(invalid);
    expect(new RoundRobinPool(1).maxCapacity).toBe(1);
  });
});

describe('RoundRobinPool cycle (C5)', () => {
  it('wraps around the cycle indefinitely with each item once per turn', () => {
    const pool = new RoundRobinPool<number>(4);
    for (let i = 0; i < 4; i++) pool.add(i);
    const served = take(pool, 4 * 25);
    for (let turn = 0; turn < 25; turn++) expect(served.slice(turn * 4, turn * 4 + 4)).toEqual([0, 1, 2, 3]);
  });

  it('never lets a stale id reach a newer item in the same slot, even across clear()', () => {
    const pool = new RoundRobinPool<string>(1);
    const oldId = pool.add('old');
    expect(oldId).toBeGreaterThan(0);
    expect(pool.remove(oldId)).toBe('old');
    const newId = pool.add('new');
    expect(newId).not.toBe(oldId);
    expect(pool.get(oldId)).toBeUndefined();
    expect(pool.has(oldId)).toBe(false);
    expect(pool.remove(oldId)).toBeUndefined();
    expect(pool.get(newId)).toBe('new');
    pool.clear();
    expect(pool.isEmpty).toBe(true);
    expect(pool.next()).toBeUndefined();
    const afterClear = pool.add('after');
    expect(pool.get(newId)).toBeUndefined();
    expect(pool.get(afterClear)).toBe('after');
    for (const bogus of [-1, 0.5, Number.NaN, 2 ** 60]) expect(pool.get(bogus)).toBeUndefined();
  });

  it('tolerates removal during iteration and skips items added during it', () => {
    const pool = new RoundRobinPool<string>(8);
    const ids = new Map(['a', 'b', 'c', 'd', 'e'].map((name) => [name, pool.add(name)] as const));
    const visited: string[] = [];
    for (const item of pool) {
      visited.push(item);
      if (item === 'a') pool.remove(ids.get('a')!); // itself
      if (item === 'b') pool.remove(ids.get('d')!); // one not visited yet
      if (item === 'c') pool.add('late');
    }
    expect(visited).toEqual(['a', 'b', 'c', 'e']);
    expect([...pool.values()].sort()).toEqual(['b', 'c', 'e', 'late']);

    const viaForEach: [string, number][] = [];
    pool.forEach((item, id, self) => {
      viaForEach.push([item, id]);
      self.remove(id);
      if (item === 'b') self.add('during-forEach');
    });
    expect(viaForEach.map(([item]) => item).sort()).toEqual(['b', 'c', 'e', 'late']);
    expect([...pool.ids()].map((id) => pool.get(id))).toEqual(['during-forEach']);
  });

  it('keeps serving the waiting items in order when the current one is removed mid-cycle', () => {
    const pool = new RoundRobinPool<string>(4);
    const ids = ['a', 'b', 'c', 'd'].map((name) => pool.add(name));
    expect(take(pool, 2)).toEqual(['a', 'b']);
    pool.remove(ids[2]); // c, the next in line
    pool.remove(ids[1]); // b, the last used
    expect(pool.current()).toBeUndefined();
    expect(take(pool, 3)).toEqual(['d', 'a', 'd']);
  });
});

describe('RoundRobinPool against a model (property)', () => {
  type Op =
    | { kind: 'add' }
    | { kind: 'remove'; pick: number }
    | { kind: 'next' }
    | { kind: 'removeLastUsed' }
    | { kind: 'stale'; pick: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.constant<Op>({ kind: 'add' }),
    fc.nat().map<Op>((pick) => ({ kind: 'remove', pick })),
    fc.constant<Op>({ kind: 'next' }),
    fc.constant<Op>({ kind: 'next' }),
    fc.constant<Op>({ kind: 'removeLastUsed' }),
    fc.nat().map<Op>((pick) => ({ kind: 'stale', pick })),
  );

  it('next() always serves the item that has waited longest; ids stay unique and stale ids dead', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 200 }), (capacity, ops) => {
        const pool = new RoundRobinPool<number>(capacity);
        // Model: item -> time it was added or last served; the longest waiting has the lowest.
        const waiting = new Map<number, { id: number; since: number }>();
        const deadIds: number[] = [];
        let lastUsed: number | undefined;
        let clock = 0;
        let nextItem = 0;
        for (const step of ops) {
          clock++;
          if (step.kind === 'add') {
            const item = nextItem++;
            const id = pool.tryAdd(item);
            expect(id === undefined).toBe(waiting.size === capacity);
            if (id !== undefined) waiting.set(item, { id, since: clock });
          } else if (step.kind === 'remove' || step.kind === 'removeLastUsed') {
            const items = [...waiting.keys()];
            const target = step.kind === 'remove' ? items[step.pick % Math.max(1, items.length)] : lastUsed;
            const removed =
              step.kind === 'remove'
                ? target === undefined
                  ? undefined
                  : pool.remove(waiting.get(target)!.id)
                : pool.removeLastUsed();
            expect(removed).toBe(target);
            if (target !== undefined) {
              deadIds.push(waiting.get(target)!.id);
              waiting.delete(target);
              if (target === lastUsed) lastUsed = undefined;
            }
          } else if (step.kind === 'next') {
            let expected: number | undefined;
            for (const [item, entry] of waiting)
              if (expected === undefined || entry.since < waiting.get(expected)!.since) expected = item;
            expect(pool.next()).toBe(expected);
            if (expected !== undefined) waiting.get(expected)!.since = clock;
            lastUsed = expected;
          } else if (deadIds.length > 0) {
            const stale = deadIds[step.pick % deadIds.length];
            expect(pool.get(stale)).toBeUndefined();
            expect(pool.remove(stale)).toBeUndefined();
          }
          expect(pool.size).toBe(waiting.size);
          expect(pool.current()).toBe(lastUsed);
          for (const [item, { id }] of waiting) expect(pool.get(id)).toBe(item);
          expect(new Set(pool.ids()).size).toBe(waiting.size);
        }
      }),
      { numRuns: fcRuns(100) },
    );
  });
});
