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

  it("names files by their names, without the machine's paths or terminal colours", () => {
    const stderr =
      '\x1b[1m\x1b[31merror\x1b[0m: Uncaught (in promise) Error: no reply\n' +
      '    at \x1b[1mrunBusy\x1b[0m (\x1b[38;5;245mfile:///home/someone/repo/benchmarks/\x1b[0m\x1b[36msrc/compare/peer-client.ts\x1b[0m:39:14)\n' +
      '    at runClient (/home/someone/repo/benchmarks/dist/compare/peer.js:19:30)';
    const message = clientFailure(1, stderr).message;
    expect(message).toContain('Uncaught (in promise) Error: no reply');
    expect(message).toContain('runBusy (peer-client.ts:39:14)');
    expect(message).toContain('runClient (peer.js:19:30)');
    expect(message).not.toContain('/home/');
    expect(message).not.toContain('\x1b');
  });

  it('falls back to the last lines when nothing was thrown', () => {
    expect(clientFailure(null, 'one\ntwo\nthree\nfour\n').message).toBe('client exited with null: two | three | four');
  });
});
