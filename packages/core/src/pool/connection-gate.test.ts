import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_CONNECTIONS, ErrorCode } from '../index.js';
import { ConnectionGate, type GateSlot } from './index.js';

describe('ConnectionGate (C6)', () => {
  it('admits up to max, then refuses and counts refusals, and admits again after a release', () => {
    const gate = new ConnectionGate(2);
    const first = gate.tryAcquire();
    const second = gate.tryAcquire();
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(gate.current).toBe(2);
    expect(gate.isFull).toBe(true);
    expect(gate.available).toBe(0);

    expect(gate.tryAcquire()).toBeUndefined();
    expect(gate.tryAcquire()).toBeUndefined();
    expect(gate.rejectedCount).toBe(2);
    expect(gate.current).toBe(2);

    expect(first!.release()).toBe(true);
    expect(gate.current).toBe(1);
    expect(gate.tryAcquire()).toBeDefined();
    expect(gate.acceptedCount).toBe(3);
    expect(gate.rejectedCount).toBe(2);
  });

  it('frees a slot exactly once however many holders release it', () => {
    const gate = new ConnectionGate(3);
    const slot = gate.tryAcquire()!;
    const other = gate.tryAcquire()!;
    // The sender and receiver halves of one connection share the slot; whichever closes first frees it.
    const halves: GateSlot[] = [slot, slot];
    expect(halves.map((half) => half.release())).toEqual([true, false]);
    expect(slot.release()).toBe(false);
    expect(slot.released).toBe(true);
    expect(gate.current).toBe(1);
    expect(other.released).toBe(false);
    other.release();
    expect(gate.current).toBe(0);
    expect(gate.available).toBe(3);
  });

  it('defaults to 1024 and validates max', () => {
    expect(new ConnectionGate().max).toBe(DEFAULT_MAX_CONNECTIONS);
    expect(DEFAULT_MAX_CONNECTIONS).toBe(1024);
    const invalid = expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT });
    for (const bad of [0, -3, 2.5, Number.NaN, Infinity]) expect(() => new ConnectionGate(bad)).toThrow(invalid);
    const one = new ConnectionGate(1);
    expect(one.tryAcquire()).toBeDefined();
    expect(one.tryAcquire()).toBeUndefined();
  });
});
