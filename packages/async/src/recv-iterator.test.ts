import { describe, expect, it } from 'vitest';
import { RecvIterator } from './recv-iterator.js';

/** A receive over `items`: each is a message, an Error to reject with, or undefined for the end. */
function source(items: (number | Error | undefined)[]) {
  let at = 0;
  const calls = () => at;
  const recv = (): Promise<number | undefined> => {
    const item = items[at++];
    return item instanceof Error ? Promise.reject(item) : Promise.resolve(item);
  };
  return { recv, calls };
}

async function collect(iterable: AsyncIterable<number>, stopAt = Infinity): Promise<number[]> {
  const got: number[] = [];
  for await (const message of iterable) {
    got.push(message);
    if (got.length === stopAt) break;
  }
  return got;
}

describe('RecvIterator', () => {
  it('gives every message until the end, then stays done without receiving again', async () => {
    const { recv, calls } = source([1, 2, 3, undefined, 4]);
    const iterator = new RecvIterator(recv);
    expect(await collect(iterator)).toEqual([1, 2, 3]);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(calls()).toBe(4);
  });

  it('ends the loop on a break without receiving more, and a new loop goes on from there', async () => {
    const { recv, calls } = source([1, 2, 3, 4, undefined]);
    expect(await collect(new RecvIterator(recv), 2)).toEqual([1, 2]);
    expect(calls()).toBe(2);
    expect(await collect(new RecvIterator(recv))).toEqual([3, 4]);
  });

  it('ends the loop with a failed receive, and a new loop reads on', async () => {
    const failure = new Error('did not decode');
    const { recv } = source([1, failure, 2, undefined]);
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const message of new RecvIterator(recv)) got.push(message);
      })(),
    ).rejects.toBe(failure);
    expect(got).toEqual([1]);
    expect(await collect(new RecvIterator(recv))).toEqual([2]);
  });
});
