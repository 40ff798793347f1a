import { describe, expect, it } from 'vitest';
import { idleBudget, openFileLimit } from './idle-budget.js';

describe('the idle-connection budget', () => {
  it('keeps the count asked for when it fits, and says so', () => {
    const small = idleBudget(10, 'tcp');
    expect(small.count).toBe(10);
    expect(small.note).toContain('as asked');
  });

  it.skipIf(openFileLimit() === undefined || openFileLimit() === Infinity)(
    'lowers the count, with the reason, when a limit of the machine is lower',
    () => {
      const huge = idleBudget(100_000_000, 'unix');
      expect(huge.count).toBeLessThan(100_000_000);
      expect(huge.count).toBeGreaterThanOrEqual(0);
      expect(huge.note).toMatch(/instead of 100,000,000: /);
    },
  );
});
