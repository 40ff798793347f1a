import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { ErrorCode, jsonCodec } from '@net/core';
// The package's built code, by its own name: the broker thread runs compiled JavaScript, which
// only the build puts beside the code that starts it.
import { REJECTED, WOULD_BLOCK } from '@net/sync';
import { connectSync, type SyncConnection, SyncService } from '@net/sync/internal';

type Msg = { n: number };
const codec = () => jsonCodec<Msg>();

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** A service and `count` clients, each accepted by stepping the acceptor (no flavour involved). */
function serviceWith(count: number, idlePollsBeforeWatch = 64) {
  const service = SyncService.bind<Msg, Msg>('127.0.0.1:0', { codec: codec() }, idlePollsBeforeWatch);
  cleanups.add(() => service.close());
  const clients: SyncConnection<Msg, Msg>[] = [];
  const accepted: SyncConnection<Msg, Msg>[] = [];
  for (let i = 0; i < count; i++) {
    // No protocol: starting the driver is the whole handshake.
    const { connection } = connectSync<Msg, Msg>({ port: service.port }, { codec: codec() }, (made) =>
      made.driver.start(),
    );
    cleanups.add(() => connection.close());
    clients.push(connection);
    const deadline = performance.now() + 5_000;
    for (let step = service.acceptor.step(); ; step = service.acceptor.step()) {
      if (step !== WOULD_BLOCK && step !== REJECTED) {
        accepted.push(step);
        break;
      }
      if (performance.now() > deadline) throw new Error('not accepted');
    }
  }
  return { service, clients, accepted };
}

/** Receives from the pool until a message comes (bounded). */
function nextFrom(service: SyncService<Msg, Msg>) {
  const deadline = performance.now() + 5_000;
  for (;;) {
    const found = service.pool.recvFrom();
    if (found !== undefined) return found;
    if (performance.now() > deadline) throw new Error('nothing received');
  }
}

describe('SyncPool', () => {
  it('sends round robin over its connections and to one by id', () => {
    const { service, clients, accepted } = serviceWith(3);
    for (const connection of accepted) service.pool.add(connection);
    expect(service.pool.size).toBe(3);
    for (let n = 0; n < 6; n++) expect(service.pool.send({ n }, -1)).toBe('completed');
    expect(service.pool.sendTo(accepted[1].conId, { n: 100 }, -1)).toBe('completed');
    const got = clients.map((client) => {
      const messages: number[] = [];
      const deadline = performance.now() + 5_000;
      while (messages.length < (client === clients[1] ? 3 : 2) && performance.now() < deadline) {
        const message = client.recvOnce();
        if (typeof message === 'object') messages.push(message.n);
      }
      return messages;
    });
    // Each connection got every third message, in order; the second also the one sent to it.
    expect(got).toEqual([
      [0, 3],
      [1, 4, 100],
      [2, 5],
    ]);
  });

  it('receives fairly: with messages waiting on every connection, consecutive receives take one from each', () => {
    const { service, clients, accepted } = serviceWith(3);
    for (const connection of accepted) service.pool.add(connection);
    clients.forEach((client, i) => {
      for (let k = 0; k < 3; k++) expect(client.sendUntil({ n: i * 10 + k }, -1)).toBe(true);
    });
    const order = Array.from({ length: 9 }, () => nextFrom(service).message.n);
    for (let round = 0; round < 3; round++) {
      expect(
        order
          .slice(round * 3, round * 3 + 3)
          .map((n) => Math.floor(n / 10))
          .sort(),
      ).toEqual([0, 1, 2]);
    }
  });

  it('lets a connection go when it closes, and says NET_ERR_NOT_CONNECTED for it afterwards', () => {
    const { service, accepted } = serviceWith(2);
    for (const connection of accepted) service.pool.add(connection);
    const gone = accepted[0];
    gone.close();
    expect(service.pool.size).toBe(1);
    expect(() => service.pool.sendTo(gone.conId, { n: 1 }, -1)).toThrow(
      expect.objectContaining({ code: ErrorCode.NOT_CONNECTED }),
    );
    expect(service.pool.sendTo(accepted[1].conId, { n: 1 }, -1)).toBe('completed');
    accepted[1].close();
    expect(() => service.pool.send({ n: 2 }, -1)).toThrow(expect.objectContaining({ code: ErrorCode.NOT_CONNECTED }));
  });

  it('hands idle connections to the broker to watch after idlePollsBeforeWatch empty passes', () => {
    const { service, clients, accepted } = serviceWith(2, 3);
    for (const connection of accepted) service.pool.add(connection);
    for (let pass = 0; pass < 3; pass++) expect(service.pool.recvFrom()).toBeUndefined();
    expect(service.pool.watchedCount).toBe(2);
    expect(clients[1].sendUntil({ n: 7 }, -1)).toBe(true);
    expect(nextFrom(service)).toMatchObject({ conId: accepted[1].conId, message: { n: 7 } });
  });
});

describe('SyncConnection close listeners', () => {
  it('calls each once, in the order added, however the connection closes; at once when it is closed already', () => {
    const { accepted } = serviceWith(1);
    const connection = accepted[0];
    const calls: string[] = [];
    connection.onClose(() => calls.push('first'));
    connection.onClose(() => calls.push('second'));
    connection.close();
    connection.close();
    expect(calls).toEqual(['first', 'second']);
    connection.onClose(() => calls.push('late'));
    expect(calls).toEqual(['first', 'second', 'late']);
  });
});
