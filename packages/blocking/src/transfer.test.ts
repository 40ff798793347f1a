import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionOf } from '@net/sync/internal';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { packageHalfWorker } from '../../../test-support/half-worker-host.mjs';
import { Clt, CltReceiver, ErrorCode, jsonCodec, Svc } from './index.js';

type Msg = { n: number };
const codec = () => jsonCodec<Msg>();
const COUNT = 10_000;

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** A worker running `test-support/half-worker.mjs` on this package's build. */
const startWorker = packageHalfWorker(cleanups, import.meta.url);

function connected(): { clt: Clt<Msg, Msg>; peer: Clt<Msg, Msg> } {
  const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }));
  const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
  const peer = cleanups.close(svc.accept({ timeout: 5_000 }));
  return { clt, peer };
}

describe('a half of a blocking Clt on another thread', () => {
  it('receives 10,000 messages in order on a worker while this thread sends on the same connection', async () => {
    const { clt, peer } = connected();
    const { sender, receiver } = clt.split();
    // Bytes already read here, not yet taken, go with the half and come out first.
    peer.send({ n: 0 });
    peer.send({ n: 1 });
    expect(receiver.tryRecv({ timeout: 5_000 })).toEqual({ n: 0 });
    const value = receiver.transfer();
    expect(() => receiver.recv()).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }));
    const { ask } = await startWorker();
    expect(await ask({ op: 'adoptReceiver', value }, value.transferList)).toMatchObject({ ok: true });
    // The sender half on this thread works on while the worker's receive is parked.
    const receiving = ask({ op: 'recvN', from: 1, count: COUNT });
    sender.send({ n: 7 });
    expect(peer.recv({ timeout: 5_000 })).toEqual({ n: 7 });
    // Its first is the one left buffered here; the rest follow.
    for (let n = 2; n <= COUNT; n++) peer.send({ n });
    expect(await receiving).toEqual({ ok: true, outOfOrder: 0 });
  }, 60_000);

  it('sends 10,000 messages in order from a worker while this thread receives on the same connection', async () => {
    const { clt, peer } = connected();
    const { sender, receiver } = clt.split();
    const value = sender.transfer();
    expect(() => sender.send({ n: 0 })).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }));
    const { ask } = await startWorker();
    expect(await ask({ op: 'adoptSender', value }, value.transferList)).toMatchObject({ ok: true });
    const sending = ask({ op: 'sendN', count: COUNT });
    // A receive parked here while the worker sends.
    peer.send({ n: -7 });
    expect(receiver.recv({ timeout: 5_000 })).toEqual({ n: -7 });
    for (let n = 0; n < COUNT; n++) expect(peer.recv({ timeout: 10_000 })).toEqual({ n });
    expect(await sending).toMatchObject({ ok: true });
  }, 60_000);

  it('ends the connection for the worker too when this thread closes the client: a receive parked there sees END_OF_STREAM', async () => {
    const { clt, peer } = connected();
    const { receiver } = clt.split();
    const value = receiver.transfer();
    const { ask } = await startWorker();
    expect(await ask({ op: 'adoptReceiver', value }, value.transferList)).toMatchObject({ ok: true });
    const ending = ask({ op: 'recvEnd' });
    // Once the worker is parked in its receive (it took nothing, so it waits), close for all.
    await new Promise((resolve) => setTimeout(resolve, 50));
    clt.close();
    expect(await ending).toEqual({ ok: true, end: 'END_OF_STREAM' });
    expect(await ask({ op: 'close' })).toMatchObject({ ok: true });
    // The worker let go last: the descriptor is closed, and the peer sees the end.
    expect(peer.recv({ timeout: 10_000 })).toBeUndefined();
  }, 60_000);

  it('keeps the connection open while a thread still holds a half: the worker letting go of its receiver leaves this sender working', async () => {
    const { clt, peer } = connected();
    const { sender, receiver } = clt.split();
    const value = receiver.transfer();
    const { ask } = await startWorker();
    expect(await ask({ op: 'adoptReceiver', value }, value.transferList)).toMatchObject({ ok: true });
    expect(await ask({ op: 'close' })).toMatchObject({ ok: true });
    sender.send({ n: 1 });
    expect(peer.recv({ timeout: 5_000 })).toEqual({ n: 1 });
    expect(clt.isClosed).toBe(false);
    sender.close();
    expect(clt.isClosed).toBe(true);
    expect(peer.recv({ timeout: 10_000 })).toBeUndefined();
  }, 60_000);

  // Deno's MessagePort never fires 'close' when the thread holding its other end is terminated
  // (measured with Deno 2.9): there the giving thread sees the worker's kernel thread gone.
  it('releases the hold of a worker terminated while it holds a half: the descriptor closes once the other half closes', async () => {
    const { clt, peer } = connected();
    const { sender, receiver } = clt.split();
    const value = receiver.transfer();
    const { worker, ask } = await startWorker();
    expect(await ask({ op: 'adoptReceiver', value }, value.transferList)).toMatchObject({ ok: true });
    const exited = once(worker, 'exit');
    await worker.terminate();
    await exited;
    // The thread that watches its end of the worker's port hears it close when its loop turns.
    for (const until = performance.now() + 20_000; connectionOf(clt).threadHolds > 1 && performance.now() < until;)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(connectionOf(clt).threadHolds).toBe(1);
    sender.send({ n: 1 });
    expect(peer.recv({ timeout: 5_000 })).toEqual({ n: 1 });
    sender.close();
    // The last hold was this thread's, so its close closed the descriptor: the peer sees the end.
    expect(clt.isClosed).toBe(true);
    expect(peer.recv({ timeout: 10_000 })).toBeUndefined();
  }, 60_000);

  it('refuses bad input with coded errors: a closed half, this thread, twice, another process, another half, not a value, a closed connection', async () => {
    const { clt } = connected();
    const { sender, receiver } = clt.split();
    const closedHalf = sender.share();
    closedHalf.close();
    expect(() => closedHalf.transfer()).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }));
    const value = receiver.transfer();
    expect(() => CltReceiver.adopt(value, { codec: codec() })).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
    const { ask } = await startWorker();
    expect(await ask({ op: 'adoptBad', value }, value.transferList)).toEqual({
      ok: true,
      kept: undefined,
      otherProcess: ErrorCode.INVALID_ARGUMENT,
      notAValue: ErrorCode.INVALID_ARGUMENT,
      otherHalf: ErrorCode.INVALID_ARGUMENT,
    });
    expect(await ask({ op: 'adoptTwice' })).toEqual({ ok: true, second: ErrorCode.INVALID_ARGUMENT });
    expect(await ask({ op: 'close' })).toMatchObject({ ok: true });

    const otherClt = connected().clt;
    const late = otherClt.split().receiver.transfer();
    otherClt.close();
    expect(await ask({ op: 'adoptCode', value: late }, late.transferList)).toEqual({
      ok: true,
      code: ErrorCode.CLOSED,
    });
  }, 60_000);
});
