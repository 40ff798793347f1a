import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fcRuns } from '../../../../test-support/fc-runs.mjs';
import { RingQueue } from './ring-queue.js';

describe('RingQueue', () => {
  it('behaves like an array used as a FIFO under any sequence of operations', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer(), fc.constant('shift' as const), fc.constant('remove' as const)), {
          maxLength: 200,
        }),
        (operations) => {
          const queue = new RingQueue<number>(2);
          const model: number[] = [];
          for (const operation of operations) {
            if (operation === 'shift') expect(queue.shift()).toBe(model.shift());
            else if (operation === 'remove') {
              const target = model[Math.floor(model.length / 2)];
              if (target !== undefined) {
                expect(queue.remove(target)).toBe(true);
                model.splice(model.indexOf(target), 1);
              }
            } else {
              queue.push(operation);
              model.push(operation);
            }
            expect(queue.length).toBe(model.length);
            expect(queue.peek()).toBe(model[0]);
          }
          expect([...queue]).toEqual(model);
          queue.clear();
          expect(queue.length).toBe(0);
          expect(queue.shift()).toBeUndefined();
        },
      ),
      { numRuns: fcRuns(500) },
    );
  });
});
