import { describe, expect, it } from 'vitest';
import { ConId } from '../connection/con-id.js';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import type { Callbacks } from './callbacks.js';
import { DevNullCallback, devNullCallback } from './dev-null-callback.js';

describe('DevNullCallback', () => {
  it('accepts every event, returns nothing and keeps no state', () => {
    const conId = new ConId('acceptor', 'svc');
    const callback = new DevNullCallback<string, number>();
    const results = [
      callback.onRecv(),
      callback.onSent(),
      callback.onConnected(),
      callback.onDisconnected(),
      callback.onRejected(),
    ];
    // Also callable exactly as a connection calls a Callbacks object.
    const asCallbacks: Callbacks<string, number> = callback;
    asCallbacks.onRecv?.(conId, 1);
    asCallbacks.onRejected?.(conId, new NetError(ErrorCode.REJECTED, 'full'));
    expect(results).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(Object.keys(callback)).toEqual([]);
    expect(String(callback)).toBe('DevNullCallback');
  });

  it('offers a shared instance usable for any message types', () => {
    const forStrings: Callbacks<string, string> = devNullCallback;
    const forNumbers: Callbacks<number, bigint> = devNullCallback;
    expect(forStrings).toBe(forNumbers);
    expect(devNullCallback).toBeInstanceOf(DevNullCallback);
  });
});
