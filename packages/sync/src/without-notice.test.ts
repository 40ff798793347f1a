import { afterEach, describe, expect, it } from 'vitest';
import { withoutNotice } from './without-notice.js';

const original = process.emitWarning;
const emitted: string[] = [];
afterEach(() => {
  process.emitWarning = original;
  emitted.length = 0;
});

/** Records warnings instead of printing them, beneath whatever withoutNotice puts on top. */
function recording(): void {
  process.emitWarning = (warning: string | Error) =>
    void emitted.push(typeof warning === 'string' ? warning : warning.message);
}

describe('withoutNotice', () => {
  it("holds back only the matching notice while loading, lets others through, and returns the load's result", () => {
    recording();
    const result = withoutNotice(/^FFI is an experimental/, () => {
      process.emitWarning('FFI is an experimental feature and might change at any time', 'ExperimentalWarning');
      process.emitWarning(new Error('something else'));
      return 42;
    });
    expect(result).toBe(42);
    expect(emitted).toEqual(['something else']);
  });

  it('puts emitWarning back afterwards, so a later matching warning is printed', () => {
    recording();
    const before = process.emitWarning;
    withoutNotice(/WASI/, () => undefined);
    expect(process.emitWarning).toBe(before);
    process.emitWarning('WASI is an experimental feature');
    expect(emitted).toEqual(['WASI is an experimental feature']);
  });

  it('puts emitWarning back when the load throws, and the error reaches the caller', () => {
    recording();
    const before = process.emitWarning;
    expect(() =>
      withoutNotice(/x/, () => {
        throw new Error('no such module');
      }),
    ).toThrow('no such module');
    expect(process.emitWarning).toBe(before);
  });
});
