import { describe, expect, it } from 'vitest';
import { BufferAddresses } from './buffer-addresses.js';

/** Addresses from a counter, so that each buffer asked gets its own and the asks can be counted. */
function counting() {
  const asked: ArrayBufferLike[] = [];
  const addresses = new BufferAddresses((buffer) => {
    asked.push(buffer);
    return 0x10_000 * asked.length;
  });
  return { addresses, asked };
}

function detach(buffer: ArrayBuffer): void {
  structuredClone(buffer, { transfer: [buffer] });
}

describe('BufferAddresses', () => {
  it('asks once per buffer, however many calls and views use it', () => {
    const { addresses, asked } = counting();
    const bytes = new Uint8Array(64);
    expect(addresses.of(bytes)).toBe(0x10_000);
    expect(addresses.of(bytes, 10)).toBe(0x10_000 + 10);
    expect(addresses.of(new Int32Array(bytes.buffer, 8, 2))).toBe(0x10_000 + 8);
    expect(asked).toEqual([bytes.buffer]);
  });

  it("adds the view's own offset in its buffer to the offset asked", () => {
    const { addresses } = counting();
    const whole = new Uint8Array(100);
    expect(addresses.of(whole.subarray(30), 5)).toBe(0x10_000 + 35);
  });

  it('keeps the address of a buffer it has left for another, and does not ask again', () => {
    const { addresses, asked } = counting();
    const a = new Uint8Array(16);
    const b = new Uint8Array(16);
    expect(addresses.of(a)).toBe(0x10_000);
    expect(addresses.of(b)).toBe(0x20_000);
    expect(addresses.of(a, 1)).toBe(0x10_001);
    expect(addresses.of(b, 2)).toBe(0x20_002);
    expect(asked).toHaveLength(2);
  });

  it('gives the null address for a buffer that was detached after its address was kept', () => {
    const { addresses } = counting();
    const bytes = new Uint8Array(32);
    expect(addresses.of(bytes)).toBe(0x10_000);
    detach(bytes.buffer);
    expect(addresses.of(bytes)).toBe(0);
    expect(addresses.of(bytes, 4)).toBe(0);
  });

  it('gives the null address for an empty buffer without asking for one', () => {
    const { addresses, asked } = counting();
    expect(addresses.of(new Uint8Array(0))).toBe(0);
    expect(asked).toHaveLength(0);
  });
});
