// The leak tier (`pnpm test:leak`): 10,000 connections take a minute or more on a loaded machine.
import { describe, expect, it } from 'vitest';
import { openSocketsOnPort } from '../../../test-support/open-sockets.mjs';
import { Clt, jsonCodec, Svc } from './index.js';

type Msg = { n: number };
const codec = () => jsonCodec<Msg>();

describe('blocking Clt and Svc', () => {
  // Counted: the sockets this process holds with the service's port at either end (the listener,
  // accepted connections, clients), not every descriptor of the process, which also moves with
  // the test runner and earlier tests. Settled after each batch: the broker thread closes
  // gracefully, a moment after the owner's close. Two later batches compared with the first.
  it('leaks no socket over 10,000 connections opened and closed', async () => {
    const svc = Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() });
    const batch = (count: number) => {
      for (let i = 0; i < count; i++) {
        const clt = Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() });
        const peer = svc.accept({ timeout: 5_000 });
        clt.close();
        peer.close();
      }
    };
    try {
      const counts = [];
      for (const count of [1_000, 4_500, 4_500]) {
        batch(count);
        counts.push(await settledSocketsOn(svc.port));
      }
      expect(counts).toEqual([1, 1, 1]); // the listener alone, after every batch
    } finally {
      svc.close();
    }
  }, 120_000);
});

/** The sockets open on `port` once the broker's graceful closes are done (bounded: 30 s). */
async function settledSocketsOn(port: number): Promise<number> {
  for (let i = 0; i < 3_000 && openSocketsOnPort(port) > 1; i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  return openSocketsOnPort(port);
}
