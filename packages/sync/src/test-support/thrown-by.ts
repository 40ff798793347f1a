import type { NetError } from '@net/core';

/** The error `run` throws; fails the test when it throws nothing. */
export function thrownBy(run: () => unknown): NetError {
  try {
    run();
  } catch (error) {
    return error as NetError;
  }
  throw new Error('it did not throw');
}
