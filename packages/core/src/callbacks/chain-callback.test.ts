import { describe, expect, it, vi } from 'vitest';
import { ConId } from '../connection/con-id.js';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import type { CallbackEvent, Callbacks } from './callbacks.js';
import { ChainCallback, chainCallbacks } from './chain-callback.js';
import { CounterCallback } from './counter-callback.js';
import { defaultLogger } from './logger.js';
import { MessageStore } from './message-store.js';
import { StoreCallback } from './store-callback.js';

const conId = new ConId('initiator', 'clt');

/** A member that writes every event it sees into a shared journal. */
function journaling(tag: string, journal: string[]): Callbacks<string, string> {
  return {
    onRecv: (_id, message) => journal.push(`${tag}:onRecv:${message}`),
    onSent: (_id, message) => journal.push(`${tag}:onSent:${message}`),
    onConnected: () => journal.push(`${tag}:onConnected`),
    onDisconnected: () => journal.push(`${tag}:onDisconnected`),
    onRejected: () => journal.push(`${tag}:onRejected`),
  };
}

describe('ChainCallback', () => {
  it('fans every event out to a counter and a store, in order', () => {
    const journal: string[] = [];
    const counter = new CounterCallback<string, string>();
    const store = new MessageStore<string>();
    const chain = chainCallbacks<string, string>(
      journaling('first', journal),
      counter,
      new StoreCallback(store),
      journaling('last', journal),
    );
    for (let i = 0; i < 1000; i++) {
      chain.onSent(conId, `s${i}`);
      chain.onRecv(conId, `r${i}`);
    }
    expect([counter.sentCount, counter.recvCount]).toEqual([1000, 1000]);
    expect(store.size).toBe(2000);
    expect(store.findRecvNow('clt')?.message).toBe('r999');
    expect(journal.slice(0, 4)).toEqual(['first:onSent:s0', 'last:onSent:s0', 'first:onRecv:r0', 'last:onRecv:r0']);
  });

  it('delivers connection events to every member in order', () => {
    const journal: string[] = [];
    const chain = new ChainCallback([journaling('a', journal), journaling('b', journal)]);
    chain.onConnected(conId);
    chain.onDisconnected(conId, undefined);
    chain.onRejected(conId, new NetError(ErrorCode.REJECTED, 'full'));
    expect(journal).toEqual([
      'a:onConnected',
      'b:onConnected',
      'a:onDisconnected',
      'b:onDisconnected',
      'a:onRejected',
      'b:onRejected',
    ]);
  });

  it('skips members that do not implement an event', () => {
    const counter = new CounterCallback<string, string>();
    const chain = new ChainCallback<string, string>([{}, { onRecv: () => {} }, counter]);
    chain.onSent(conId, 'x');
    chain.onConnected(conId);
    expect([counter.sentCount, counter.connectedCount]).toEqual([1, 1]);
  });

  it('keeps delivering after a member throws and reports the error once all have run', () => {
    const journal: string[] = [];
    const boom = new Error('boom');
    const thrower: Callbacks<string, string> = {
      onRecv: () => {
        throw boom;
      },
    };
    const reported: [unknown, CallbackEvent, Callbacks<string, string>, number][] = [];
    const chain = new ChainCallback<string, string>([journaling('a', journal), thrower, journaling('b', journal)], {
      onCallbackError: (error, event, member) => reported.push([error, event, member, journal.length]),
    });
    chain.onRecv(conId, 'm');
    expect(journal).toEqual(['a:onRecv:m', 'b:onRecv:m']);
    // Reported after member b ran (the journal already held both lines).
    expect(reported).toEqual([[boom, 'onRecv', thrower, 2]]);
  });

  it('throws from the chain, after every member ran, when the handler rethrows', () => {
    const counter = new CounterCallback<string, string>();
    const chain = new ChainCallback<string, string>(
      [
        {
          onSent: () => {
            throw new Error('first');
          },
        },
        counter,
      ],
      {
        onCallbackError: (error) => {
          throw error;
        },
      },
    );
    expect(() => chain.onSent(conId, 'x')).toThrow('first');
    expect(counter.sentCount).toBe(1);
  });

  it('logs a member error to defaultLogger.error by default', () => {
    const error = vi.spyOn(defaultLogger, 'error').mockImplementation(() => {});
    try {
      const failure = new Error('nope');
      const chain = new ChainCallback([
        {
          onConnected: () => {
            throw failure;
          },
        },
      ]);
      chain.onConnected(conId);
      expect(error).toHaveBeenCalledWith('ChainCallback: member.onConnected threw', failure);
    } finally {
      error.mockRestore();
    }
  });

  it('names its members and holds a frozen copy of the list', () => {
    const members: Callbacks<unknown, unknown>[] = [new CounterCallback()];
    const chain = new ChainCallback(members);
    members.push(new CounterCallback());
    expect(chain.members).toHaveLength(1);
    expect(Object.isFrozen(chain.members)).toBe(true);
    expect(chain.toString()).toBe('ChainCallback<CounterCallback<sent: 0, recv: 0>>');
  });
});
