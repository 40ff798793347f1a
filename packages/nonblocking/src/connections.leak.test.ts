// The leak tier (`pnpm test:leak`): 10,000 connections take a minute or more on a loaded machine.
import { describe, expect, it } from 'vitest';
import { openSocketsOnPort } from '../../../test-support/open-sockets.mjs';
import { Clt, jsonCodec, REJECTED, Svc, WOULD_BLOCK } from './index.js';

type Msg = { n: number };
const codec = () => jsonCodec<Msg>();

function connectedPair(svc: Svc<Msg, Msg>) {
  const clt = Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() });
  const peer = svc.acceptBusywaitTimeout(5_000);
  if (peer === WOULD_BLOCK || peer === REJECTED) throw new Error('not accepted');
  return { clt, peer };
}

describe('nonblocking modes', () => {
  // Counted: the sockets this process holds with the service's port at either end (the listener,
  // accepted connections, clients), not every descriptor of the process, which also moves with
  // the test runner and earlier tests. Settled after each batch: the broker thread closes
  // gracefully, a moment after the owner's close. Two later batches compared with the first.
  it('leaks no socket over 10,000 connections opened and closed', async () => {
    const svc = Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() });
    try {
      const counts = [];
      for (const count of [1_000, 4_500, 4_500]) {
        for (let i = 0; i < count; i++) {
          const { clt, peer } = connectedPair(svc);
          clt.close();
          peer.close();
        }
        counts.push(await settledSocketsOn(svc.port));
      }
      expect(counts).toEqual([1, 1, 1]); // the listener alone, after every batch
    } finally {
      svc.close();
    }
  }, 120_000);

  it('the socket count that leak test uses sees connections left open, and sees them go', async () => {
    const svc = Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() });
    try {
      expect(openSocketsOnPort(svc.port)).toBe(1);
      const leaked = [connectedPair(svc), connectedPair(svc), connectedPair(svc)];
      expect(openSocketsOnPort(svc.port)).toBe(1 + 2 * leaked.length);
      for (const { clt, peer } of leaked) {
        clt.close();
        peer.close();
      }
      expect(await settledSocketsOn(svc.port)).toBe(1);
    } finally {
      svc.close();
    }
  });
});

/** The sockets open on `port` once the broker's graceful closes are done (bounded: 30 s). */
async function settledSocketsOn(port: number): Promise<number> {
  for (let i = 0; i < 3_000 && openSocketsOnPort(port) > 1; i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  return openSocketsOnPort(port);
}
