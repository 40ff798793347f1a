import { describe, expect, it } from 'vitest';
import { ReusedView } from './reused-view.js';

describe('ReusedView', () => {
  it('gives the same view while the same bytes are asked for, and a new one when they change', () => {
    const views = new ReusedView();
    const bytes = new Uint8Array(4096).map((_, i) => i & 0xff);
    const first = views.of(bytes, 16, 1024);
    expect(views.of(bytes, 16, 1024)).toBe(first);
    expect([...first.subarray(0, 3)]).toEqual([16, 17, 18]);
    const shorter = views.of(bytes, 16, 512);
    expect(shorter).not.toBe(first);
    expect(shorter.length).toBe(512);
    const later = views.of(bytes, 32, 512);
    expect(later[0]).toBe(32);
    // The same offset in another buffer is other bytes.
    const other = new Uint8Array(4096);
    expect(views.of(other, 32, 512)).not.toBe(later);
    expect(views.of(other, 32, 512)[0]).toBe(0);
  });

  it('reads the bytes as they are now: a view, not a copy', () => {
    const views = new ReusedView();
    const bytes = new Uint8Array(1024);
    const view = views.of(bytes, 0, 1024);
    bytes[5] = 9;
    expect(views.of(bytes, 0, 1024)[5]).toBe(9);
    expect(views.of(bytes, 0, 1024)).toBe(view);
  });

  it('keeps views of a subarray at the right place in its buffer', () => {
    const views = new ReusedView();
    const backing = new Uint8Array(2048).map((_, i) => i & 0xff);
    const part = backing.subarray(100);
    expect(views.of(part, 0, 600)[0]).toBe(100);
    expect(views.of(backing, 100, 600)).toBe(views.of(part, 0, 600));
  });
});
