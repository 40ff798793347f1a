import { describe, expect, it } from 'vitest';
import { ConId } from '../connection/con-id.js';
import { ErrorCode } from '../errors/error-codes.js';
import type { NetError } from '../errors/net-error.js';
import { FakeScheduler } from '../test-support/fake-connection.js';
import { ConnectionDriver } from './connection-driver.js';
import { HandshakeStep } from './protocol.js';

function idleDriver(scheduler: FakeScheduler, idleTimeout: number | undefined, withHandshake = false) {
  const closes: (NetError | undefined)[] = [];
  const events: string[] = [];
  const driver: ConnectionDriver<string, string> = new ConnectionDriver<string, string>({
    conId: new ConId('acceptor', 'svc'),
    scheduler,
    idleTimeout,
    handshakeTimeout: 60_000,
    protocol: withHandshake ? { onHandshakeRecv: () => HandshakeStep.Done } : undefined,
    callbacks: {
      onDisconnected: (_id, reason) => void events.push(`disconnected ${reason?.code ?? 'clean'}`),
      onRejected: (_id, reason) => void events.push(`rejected ${reason.code}`),
    },
    transport: {
      send() {},
      close(reason) {
        closes.push(reason);
        driver.closed(reason);
      },
    },
  });
  return { driver, closes, events };
}

describe('ConnectionDriver idle timeout', () => {
  it('closes a connection that received nothing for idleTimeout with NET_ERR_IDLE_TIMEOUT, within one check period more', () => {
    const scheduler = new FakeScheduler();
    const { driver, closes, events } = idleDriver(scheduler, 1_000);
    driver.start();
    scheduler.advance(999);
    expect(closes).toEqual([]);
    scheduler.advance(501);
    expect(closes.map((reason) => reason?.code)).toEqual([ErrorCode.IDLE_TIMEOUT]);
    expect(closes[0]?.details).toMatchObject({ idleTimeoutMs: 1_000 });
    expect(events).toEqual(['disconnected NET_ERR_IDLE_TIMEOUT']);
    expect(scheduler.pending).toBe(0);
  });

  it('keeps a connection that receives bytes more often than idleTimeout, and counts from its last bytes', () => {
    const scheduler = new FakeScheduler();
    const { driver, closes } = idleDriver(scheduler, 1_000);
    driver.start();
    for (let i = 0; i < 20; i++) {
      scheduler.advance(900);
      driver.bytesReceived();
    }
    expect(closes).toEqual([]);
    // Sending is not receiving: a connection that only sends still goes idle.
    driver.beforeSend('out');
    scheduler.advance(999);
    expect(closes).toEqual([]);
    scheduler.advance(1_000);
    expect(closes.map((reason) => reason?.code)).toEqual([ErrorCode.IDLE_TIMEOUT]);
  });

  it('applies during a handshake: a peer that never speaks is rejected with NET_ERR_IDLE_TIMEOUT', () => {
    const scheduler = new FakeScheduler();
    const { driver, closes, events } = idleDriver(scheduler, 300, true);
    driver.start();
    expect(driver.state).toBe('handshaking');
    scheduler.advance(1_000);
    expect(closes.map((reason) => reason?.code)).toEqual([ErrorCode.IDLE_TIMEOUT]);
    expect(events).toEqual(['rejected NET_ERR_IDLE_TIMEOUT']);
  });

  it('is off by default and with 0: no timer task at all', () => {
    for (const idleTimeout of [undefined, 0]) {
      const scheduler = new FakeScheduler();
      const { driver, closes } = idleDriver(scheduler, idleTimeout);
      driver.start();
      expect(scheduler.pending).toBe(0);
      scheduler.advance(3_600_000);
      expect(closes).toEqual([]);
    }
  });

  it('stops checking once the connection closed', () => {
    const scheduler = new FakeScheduler();
    const { driver, closes } = idleDriver(scheduler, 1_000);
    driver.start();
    driver.closed(undefined);
    expect(scheduler.pending).toBe(0);
    scheduler.advance(10_000);
    expect(closes).toEqual([]);
  });

  it('validates idleTimeout as an integer from 0 to 2^31-1 ms', () => {
    for (const bad of [-1, 1.5, 2 ** 31, Number.NaN]) {
      expect(() => idleDriver(new FakeScheduler(), bad)).toThrow(
        expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
      );
    }
  });
});
