import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@net/core';
import {
  checkSyncSocketSupport,
  detachDescriptor,
  setDescriptorBlocking,
  syncSocketSupportProblem,
} from './node-internals.js';

describe('the Node internals of the synchronous flavours', () => {
  it('are all there on this Node and platform', () => {
    expect(() => checkSyncSocketSupport()).not.toThrow();
    expect(syncSocketSupportProblem()).toBeNull();
  });

  it('refuse Windows with a coded error that points to @net/async', () => {
    const problem = syncSocketSupportProblem('win32');
    expect(problem?.code).toBe(ErrorCode.UNSUPPORTED);
    expect(problem?.message).toMatch(/@net\/async/);
  });

  it('refuse a socket without a descriptor (not connected, or a Node that hides it) with a coded error', () => {
    const socket = new Socket();
    expect(() => detachDescriptor(socket)).toThrow(expect.objectContaining({ code: ErrorCode.UNSUPPORTED }));
    expect(() => setDescriptorBlocking(socket, true)).toThrow(expect.objectContaining({ code: ErrorCode.UNSUPPORTED }));
    const fake = Object.assign(new Socket(), { _handle: { fd: 5, readStop: () => 0, readStart: () => 0 } });
    // A handle that has a descriptor but no way to clear O_NONBLOCK.
    expect(() => setDescriptorBlocking(fake, true)).toThrow(expect.objectContaining({ code: ErrorCode.UNSUPPORTED }));
    (fake as unknown as { _handle: null })._handle = null;
    fake.destroy();
    socket.destroy();
  });
});

describe('errors raised in the broker thread', () => {
  it('keep their @net code across the thread; system errors are mapped', async () => {
    const { brokerFailure } = await import('./broker-failure.js');
    const unsupported = brokerFailure(
      { op: 'failed', id: 1, failure: { code: ErrorCode.UNSUPPORTED, message: 'no _handle.fd' } },
      'connect to 127.0.0.1:1',
    );
    expect(unsupported.code).toBe(ErrorCode.UNSUPPORTED);
    expect(unsupported.message).toMatch(/no _handle\.fd/);
    const refused = brokerFailure(
      { op: 'failed', id: 2, failure: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' } },
      'connect to 127.0.0.1:1',
    );
    expect(refused.code).toBe(ErrorCode.NOT_CONNECTED);
  });
});
