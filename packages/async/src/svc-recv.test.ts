import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { Clt, type ConId, jsonCodec, Svc } from './index.js';

type Msg = { n: number };

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/**
 * Counts reads of a pooled connection's `conId`: building `{ conId, message }` is the only
 * reason a pool receive reads it, so a count of 0 says no such pair was made for the message.
 */
function countConIdReads(clt: Clt<Msg, Msg>): () => number {
  let reads = 0;
  const getter = Object.getOwnPropertyDescriptor(Clt.prototype, 'conId')?.get;
  if (getter === undefined) throw new Error('Clt.conId is not a getter');
  Object.defineProperty(clt, 'conId', {
    configurable: true,
    get(this: Clt<Msg, Msg>): ConId {
      reads++;
      return getter.call(this) as ConId;
    },
  });
  return () => reads;
}

async function pooledPair() {
  const svc = cleanups.close(await Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>(), autoPool: true }));
  const clts = [
    cleanups.close(await Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() })),
    cleanups.close(await Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() })),
  ];
  // Each client's hello makes the service pool it; one message each way proves both are in.
  for (const [i, clt] of clts.entries()) clt.send({ n: -1 - i });
  const first = [await svc.recv({ timeout: 10_000 }), await svc.recv({ timeout: 10_000 })];
  expect(first.map((m) => m?.n ?? 0).sort((x, y) => x - y)).toEqual([-2, -1]);
  const reads = [...svc.connections()].map(countConIdReads);
  return { svc, clts, conIdReads: () => reads.reduce((sum, read) => sum + read(), 0) };
}

describe('async Svc receive from the pool', () => {
  it('recv() hands over each message without making a { conId, message } pair, queued or awaited', async () => {
    const { svc, clts, conIdReads } = await pooledPair();
    // Awaited: the receive waits before the message comes.
    for (let n = 0; n < 20; n++) {
      const next = svc.recv({ timeout: 10_000 });
      clts[n % 2]?.send({ n });
      expect(await next).toEqual({ n });
    }
    // Queued: the messages wait for the receive.
    for (let n = 20; n < 40; n++) clts[0]?.send({ n });
    const got: number[] = [];
    while (got.length < 20) got.push((await svc.recv({ timeout: 10_000 }))?.n ?? -1);
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => 20 + i));
    expect(conIdReads()).toBe(0);
  });

  it('recvFrom() still says which connection, and waiting recv() and recvFrom() are served in order', async () => {
    const { svc, clts } = await pooledPair();
    const [a, b] = clts as [Clt<Msg, Msg>, Clt<Msg, Msg>];
    const plain = svc.recv({ timeout: 10_000 });
    const from = svc.recvFrom({ timeout: 10_000 });
    const plainAgain = svc.recv({ timeout: 10_000 });
    a.send({ n: 1 });
    expect(await plain).toEqual({ n: 1 });
    b.send({ n: 2 });
    const received = await from;
    expect(received?.message).toEqual({ n: 2 });
    expect(received?.conId.serial).not.toBe(undefined);
    const serials = [...svc.connections()].map((clt) => clt.conId.serial);
    expect(serials).toContain(received?.conId.serial);
    a.send({ n: 3 });
    expect(await plainAgain).toEqual({ n: 3 });
    // Ready at once: the pair names the sender.
    b.send({ n: 4 });
    a.send({ n: 5 });
    const fromB = await svc.recvFrom({ timeout: 10_000 });
    const fromA = await svc.recvFrom({ timeout: 10_000 });
    const byN = new Map([fromB, fromA].map((r) => [r?.message.n, r?.conId.serial]));
    expect(byN.get(4)).toBe(received?.conId.serial);
    expect(byN.get(5)).not.toBe(received?.conId.serial);
    await svc.close();
    expect(await svc.recvFrom()).toBeUndefined();
  });
});
