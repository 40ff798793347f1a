import { describe, expect, it } from 'vitest';
import { REJECTED, WOULD_BLOCK } from './status.js';

describe('the status symbols', () => {
  it('are registered under the name of the package that defines them', () => {
    expect(WOULD_BLOCK).toBe(Symbol.for('@net/sync.WOULD_BLOCK'));
    expect(REJECTED).toBe(Symbol.for('@net/sync.REJECTED'));
    expect(WOULD_BLOCK.description).toBe('@net/sync.WOULD_BLOCK');
  });
});
