import { Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { Clt, ErrorCode, jsonCodec, Svc } from './index.js';

type Ping = { type: 'ping'; n: number };
type Pong = { type: 'pong'; n: number };

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

async function service(options: Partial<Parameters<typeof Svc.bind<Pong, Ping>>[1]> = {}) {
  const svc = await Svc.bind<Pong, Ping>('127.0.0.1:0', { codec: jsonCodec<Pong, Ping>(), ...options });
  return cleanups.close(svc);
}

async function client(port: number, options: Partial<Parameters<typeof Clt.connect<Ping, Pong>>[1]> = {}) {
  const clt = await Clt.connect<Ping, Pong>({ port }, { codec: jsonCodec<Ping, Pong>(), ...options });
  return cleanups.close(clt);
}

describe('async Clt and Svc', () => {
  it('ping-pongs a message each way', async () => {
    const svc = await service();
    expect(svc.port).toBeGreaterThan(0);
    const [clt, accepted] = await Promise.all([client(svc.port), svc.accept()]);
    expect(String(clt.conId)).toMatch(/^clt@127\.0\.0\.1:\d+->127\.0\.0\.1:\d+$/);
    clt.send({ type: 'ping', n: 1 });
    expect(await accepted.recv()).toEqual({ type: 'ping', n: 1 });
    accepted.send({ type: 'pong', n: 1 });
    expect(await clt.recv()).toEqual({ type: 'pong', n: 1 });
    await clt.close();
    expect(await accepted.recv()).toBeUndefined();
  });

  it('fails to connect to a closed port with NET_ERR_CONNECT_TIMEOUT', async () => {
    const svc = await service();
    const port = svc.port;
    await svc.close();
    // Read before the connect starts its clock (performance.now() too), and the connect gives up
    // only once that clock passes start + timeout: a lower bound the code guarantees, which load
    // can only lengthen. No upper bound: a loaded machine may give up late.
    const started = performance.now();
    await expect(Clt.connect({ port }, { codec: jsonCodec(), timeout: 300, retryAfter: 50 })).rejects.toMatchObject({
      code: ErrorCode.CONNECT_TIMEOUT,
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('leaves every socket it gave up able to take a late error, which would otherwise end the process', async () => {
    const svc = await service();
    const port = svc.port;
    await svc.close();
    // Bun can report a refused connect after the destroy that gave the attempt up: what matters
    // is that someone still listens for an error when the socket is destroyed.
    const listening: number[] = [];
    const destroy = Socket.prototype.destroy;
    const spy = vi.spyOn(Socket.prototype, 'destroy').mockImplementation(function (this: Socket, error?: Error) {
      listening.push(this.listenerCount('error'));
      return destroy.call(this, error);
    });
    cleanups.add(() => spy.mockRestore());
    await expect(Clt.connect({ port }, { codec: jsonCodec(), timeout: 200, retryAfter: 20 })).rejects.toMatchObject({
      code: ErrorCode.CONNECT_TIMEOUT,
    });
    expect(listening.length).toBeGreaterThan(0);
    for (const count of listening) expect(count).toBeGreaterThan(0);
  });
});
