import { describe, expect, it } from 'vitest';
import { runStreamBench } from './stream-bench.js';

describe('the stream codec bench', () => {
  it('reports send, receive and the view-per-frame receive for every round', () => {
    const lines = runStreamBench(128, 2, 20_000);
    expect(lines).toHaveLength(2);
    for (const line of lines)
      expect(line).toMatch(
        /^round \d: send [\d.]+ ns, receive [\d.]+ ns \(a new view per frame: [\d.]+ ns\) per 128-byte message$/,
      );
  });
});
