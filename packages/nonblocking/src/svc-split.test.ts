import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { packageHalfWorker } from '../../../test-support/half-worker-host.mjs';
import { Clt, type ConId, END_OF_STREAM, ErrorCode, jsonCodec, REJECTED, Svc, WOULD_BLOCK } from './index.js';

type Msg = { n: number };
const codec = () => jsonCodec<Msg>();
const COUNT = 100_000;

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** A worker running `test-support/half-worker.mjs` on this package's build. */
const startWorker = packageHalfWorker(cleanups, import.meta.url);

/** A service with one client whose connection is in its pool. */
function pooled(maxConnections?: number): {
  svc: Svc<Msg, Msg>;
  clt: Clt<Msg, Msg>;
  conId: ConId;
} {
  const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: codec(), maxConnections }));
  const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
  const conId = svc.acceptIntoPoolBusywaitTimeout(5_000);
  if (typeof conId !== 'object') throw new Error('no connection accepted');
  return { svc, clt, conId };
}

describe('a pooled connection of a non-blocking Svc split, its receiver on another thread', () => {
  it('gets 100,000 messages in order on a worker while the service thread still sends on the connection', async () => {
    const { svc, clt, conId } = pooled();
    const { sender, receiver } = svc.split(conId);
    expect(svc.size).toBe(0);
    const value = receiver.transfer();
    const { ask } = await startWorker();
    expect(await ask({ op: 'adoptReceiver', value }, value.transferList)).toMatchObject({ ok: true });
    const receiving = ask({ op: 'recvN', from: 0, count: COUNT });
    for (let n = 0; n < COUNT; n++) {
      clt.sendBusywait({ n });
      if (n % 10_000 === 0) expect(sender.sendBusywait({ n: -1 - n })).toBe('completed');
    }
    expect(await receiving).toEqual({ ok: true, outOfOrder: 0 });
    for (let n = 0; n < COUNT; n += 10_000) expect(clt.recvBusywaitTimeout(10_000)).toEqual({ n: -1 - n });
    // The service's own calls no longer touch it.
    expect(svc.recv()).toBe(WOULD_BLOCK);
    expect(() => svc.sendTo(conId, { n: 1 })).toThrow(expect.objectContaining({ code: ErrorCode.NOT_CONNECTED }));
  }, 120_000);

  it('closes from either thread: the worker and the kept sender letting go, or the service closing for all', async () => {
    const first = pooled();
    const { sender, receiver } = first.svc.split(first.conId);
    const value = receiver.transfer();
    const { ask } = await startWorker();
    expect(await ask({ op: 'adoptReceiver', value }, value.transferList)).toMatchObject({ ok: true });
    expect(await ask({ op: 'close' })).toMatchObject({ ok: true });
    // The worker let go; the sender here still holds the connection.
    expect(sender.sendBusywait({ n: 1 })).toBe('completed');
    expect(first.clt.recvBusywaitTimeout(5_000)).toEqual({ n: 1 });
    sender.close();
    expect(first.clt.recvBusywaitTimeout(10_000)).toBe(END_OF_STREAM);

    const second = pooled();
    const halves = second.svc.split(second.conId);
    const moved = halves.receiver.transfer();
    expect(await ask({ op: 'adoptReceiver', value: moved }, moved.transferList)).toMatchObject({ ok: true });
    const ending = ask({ op: 'recvEnd' });
    second.svc.close();
    expect(await ending).toEqual({ ok: true, end: 'END_OF_STREAM' });
    expect(await ask({ op: 'close' })).toMatchObject({ ok: true });
    expect(second.clt.recvBusywaitTimeout(10_000)).toBe(END_OF_STREAM);
  }, 60_000);

  it('refuses bad input with coded errors, and the split connection keeps its maxConnections slot until it closes', () => {
    const { svc, conId } = pooled(1);
    expect(() => svc.split(987_654)).toThrow(expect.objectContaining({ code: ErrorCode.NOT_CONNECTED }));
    const { sender, receiver } = svc.split(conId);
    expect(() => svc.split(conId)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }));
    cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
    expect(svc.acceptBusywaitTimeout(5_000)).toBe(REJECTED);
    sender.close();
    receiver.close();
    expect(() => svc.split(conId)).toThrow(expect.objectContaining({ code: ErrorCode.NOT_CONNECTED }));
    cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: codec() }));
    expect(typeof svc.acceptIntoPoolBusywaitTimeout(5_000)).toBe('object');
    svc.close();
    expect(() => svc.split(conId)).toThrow(expect.objectContaining({ code: ErrorCode.CLOSED }));
  }, 60_000);
});
