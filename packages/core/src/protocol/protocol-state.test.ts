import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors/error-codes.js';
import { MessageLog } from './message-log.js';
import { ConnectionState, SessionState } from './protocol-state.js';

describe('protocol state (links N3)', () => {
  it('gives every connection its own copy of connection state', () => {
    const template = new ConnectionState(() => ({ loggedIn: false, lastBeat: 0 }));
    const a = template.fresh();
    const b = template.fresh();
    a.value.loggedIn = true;
    expect(b.value.loggedIn).toBe(false);
    expect(template.value.loggedIn).toBe(false);
    expect(a.value).not.toBe(b.value);
  });

  it('shares session state between all connections', () => {
    const session = new SessionState({ nextSeq: 1 });
    const a = session.fresh();
    const b = session.fresh();
    a.value.nextSeq = 42;
    expect(b.value.nextSeq).toBe(42);
    expect(a).toBe(b);
  });
});

describe('MessageLog', () => {
  it('numbers messages from 1 and replays from a sequence number', () => {
    const log = new MessageLog<string>();
    expect(['a', 'b', 'c'].map((m) => log.append(m))).toEqual([1, 2, 3]);
    expect([...log.from(2)]).toEqual([
      [2, 'b'],
      [3, 'c'],
    ]);
    expect(log.get(1)).toBe('a');
    expect(log.get(4)).toBeUndefined();
    expect([...log.from(10)]).toEqual([]);
  });

  it('drops the oldest past its capacity and says where it now starts', () => {
    const log = new MessageLog<number>(3);
    for (let i = 1; i <= 5; i++) log.append(i * 10);
    expect(log.firstSequence).toBe(3);
    expect(log.nextSequence).toBe(6);
    expect(log.length).toBe(3);
    expect(log.get(2)).toBeUndefined();
    expect([...log.from(1)].map(([s]) => s)).toEqual([3, 4, 5]);
    expect(() => new MessageLog(0)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }));
  });
});
