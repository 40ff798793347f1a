import { connectionOf } from '@net/sync/internal';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from '../../../test-support/cleanups.mjs';
import { Clt, jsonCodec, Svc } from './index.js';

type Msg = { n: number };

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

// A synchronous client's connection has raw calls that bypass framing (`writeSome`, `feed`,
// `unread`, `setBlocking`): users must not reach it, the flavours still do.
describe('what a Clt shows of its connection', () => {
  it('keeps its connection out of reach, gives it to connectionOf and says its ioPath', () => {
    const svc = cleanups.close(Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>() }));
    const clt = cleanups.close(Clt.connect<Msg, Msg>({ port: svc.port }, { codec: jsonCodec<Msg>() }));
    // @ts-expect-error the connection is not part of the client's public type
    expect(clt.connection).toBeDefined();
    const connection = connectionOf(clt);
    expect(connection.conId).toBe(clt.conId);
    expect(clt.ioPath).toBeDefined();
    expect(clt.ioPath).toBe(connection.ioPath);
    clt.close();
    expect(clt.ioPath).toBeUndefined();
    expect(connection.isOpen).toBe(false);
  });
});
