import { describe, expect, it } from 'vitest';
import { ConId } from '../connection/con-id.js';
import type { Callbacks } from './callbacks.js';
import { MessageStore, type StoreDirection } from './message-store.js';
import { StoreCallback } from './store-callback.js';

/** What the client sends and the service receives. */
interface Order {
  readonly type: 'order';
  readonly qty: number;
}
/** What the service sends and the client receives. */
interface Fill {
  readonly type: 'fill';
  readonly qty: bigint;
}
/** One type both sides log as. */
interface Canonical {
  readonly kind: string;
  readonly qty: string;
}

const toCanonical = (message: Order | Fill, _direction: StoreDirection): Canonical => ({
  kind: message.type,
  qty: String(message.qty),
});

describe('StoreCallback', () => {
  it('records received and sent messages with their connection and direction', async () => {
    const store = new MessageStore<string>();
    const callback: Callbacks<string, string> = new StoreCallback(store);
    const conId = new ConId('initiator', 'clt');
    callback.onSent?.(conId, 'ping');
    callback.onRecv?.(conId, 'pong');
    callback.onConnected?.(conId);
    expect(store.entries().map((entry) => [entry.conId, entry.direction, entry.message])).toEqual([
      [conId, 'sent', 'ping'],
      [conId, 'recv', 'pong'],
    ]);
    await expect(store.findRecv('clt', (m) => m === 'pong')).resolves.toMatchObject({ message: 'pong' });
  });

  it('lets a client and a service with different message types log into one canonical store', () => {
    const store = new MessageStore<Canonical>();
    const clt: Callbacks<Order, Fill> = new StoreCallback(store, { into: toCanonical });
    const svc: Callbacks<Fill, Order> = new StoreCallback(store, { into: toCanonical });
    const cltId = new ConId('initiator', 'clt');
    const svcId = new ConId('acceptor', 'svc');
    clt.onSent?.(cltId, { type: 'order', qty: 5 });
    svc.onRecv?.(svcId, { type: 'order', qty: 5 });
    svc.onSent?.(svcId, { type: 'fill', qty: 5n });
    clt.onRecv?.(cltId, { type: 'fill', qty: 5n });
    expect(store.findRecvNow('svc', (m) => m.kind === 'order')?.message).toEqual({ kind: 'order', qty: '5' });
    expect(store.findRecvNow('clt')?.message).toEqual({ kind: 'fill', qty: '5' });
    expect(store.findSentNow('svc')?.message).toEqual({ kind: 'fill', qty: '5' });
    expect(store.size).toBe(4);
  });

  it('passes the direction to into', () => {
    const store = new MessageStore<string>();
    const callback = new StoreCallback<string, number, number>(store, { into: (n, direction) => `${direction}:${n}` });
    const conId = new ConId('initiator', 'clt');
    callback.onSent(conId, 1);
    callback.onRecv(conId, 2);
    expect(store.entries().map((entry) => entry.message)).toEqual(['sent:1', 'recv:2']);
    expect(callback.toString()).toBe('StoreCallback<size: 2, capacity: 10000>');
  });

  it('requires into when the messages are not already of the store type', () => {
    const store = new MessageStore<Canonical>();
    // @ts-expect-error Order and Fill are not Canonical, so leaving out `into` must not compile.
    const unconverted: Callbacks<Order, Fill> = new StoreCallback(store);
    expect(unconverted).toBeInstanceOf(StoreCallback);
  });
});
