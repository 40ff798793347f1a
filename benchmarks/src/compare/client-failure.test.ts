import { describe, expect, it } from 'vitest';
import { clientFailure } from './client-failure.js';

describe('clientFailure', () => {
  it("names the error a client threw and its code, not only the end of Node's report", () => {
    const stderr = [
      'file:///x/client-sync.js:40',
      '        throw error;',
      '        ^',
      '',
      'NetError: 127.0.0.1:1 => 127.0.0.1:2: the peer closed the connection',
      '    at SyncConnection.recv (file:///x/sync-connection.js:1:1) {',
      "  code: 'NET_ERR_CLOSED',",
      '  details: undefined',
      '}',
      '',
      'Node.js v20.20.2',
    ].join('\n');
    const message = clientFailure(1, stderr).message;
    expect(message).toContain('client exited with 1: NetError: 127.0.0.1:1 => 127.0.0.1:2: the peer closed');
    expect(message).toContain("code: 'NET_ERR_CLOSED'");
    expect(message).toContain('Node.js v20.20.2');
  });

  it('falls back to the last lines when nothing was thrown', () => {
    expect(clientFailure(null, 'one\ntwo\nthree\nfour\n').message).toBe('client exited with null: two | three | four');
  });
});
