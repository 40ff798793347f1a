import { describe, expect, it } from 'vitest';
import type { Callbacks } from '../callbacks/callbacks.js';
import { ConId } from '../connection/con-id.js';
import { ConnectionDriver } from './connection-driver.js';
import type { Protocol } from './protocol.js';
import { FakeScheduler } from '../test-support/fake-connection.js';

// A send skips the per-message hook calls, per batch, when the driver says none does anything.

function driver(protocol?: Protocol<string, string>, callbacks?: Callbacks<string, string>) {
  return new ConnectionDriver<string, string>({
    conId: new ConId('initiator', 'send-hooks'),
    protocol,
    callbacks,
    scheduler: new FakeScheduler(),
    transport: { send() {}, close() {} },
  });
}

describe('ConnectionDriver.hasSendHooks', () => {
  it('is false without a protocol or callbacks, and with hooks that only receive', () => {
    expect(driver().hasSendHooks).toBe(false);
    expect(driver({ onRecv() {}, reply() {} }, { onRecv() {} }).hasSendHooks).toBe(false);
  });

  it.each([
    ['onSend', { onSend: (_conId: ConId, message: string) => message }],
    ['onSent', { onSent() {} }],
    ['onWouldBlock', { onWouldBlock() {} }],
    ['onError', { onError() {} }],
    ['heartbeatInterval', { heartbeatInterval: 1_000, sendHeartbeat() {} }],
  ] as const)('is true with the protocol hook %s', (_name, protocol) => {
    expect(driver(protocol as Protocol<string, string>).hasSendHooks).toBe(true);
  });

  it("is true with the callbacks' onSent", () => {
    expect(driver(undefined, { onSent() {} }).hasSendHooks).toBe(true);
  });
});
