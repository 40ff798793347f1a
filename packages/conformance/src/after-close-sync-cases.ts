import type { ConId } from '@net/core';
import { type CallTable, closed, returns, satisfies } from './after-close-table.js';

// The rows of the after-close tables that both synchronous flavours share: the members their
// `Clt`, halves and `Svc` take from `@net/sync`'s bases, which must answer alike once closed. Each
// flavour's table adds the calls it has of its own (which park, or return a status).

/** Passes the very id given. */
export const isId = (id: ConId) => satisfies<unknown>('the same id', (value) => value === id);

/** What a closed synchronous client has in both flavours. */
interface ClosedClt<Msg> {
  readonly ioPath: unknown;
  readonly conId: ConId;
  isConnected(): boolean;
  readonly isClosed: boolean;
  send(message: Msg): unknown;
  sendMany(messages: readonly Msg[]): unknown;
  split(): { sender: { send(message: Msg): unknown } };
  close(): void;
  [Symbol.dispose](): void;
}

/** The rows of a closed synchronous `Clt` that both flavours share. */
export function closedCltCases<Msg>(id: ConId, message: Msg): CallTable<ClosedClt<Msg>> {
  return {
    ioPath: { call: (c) => c.ioPath, expect: returns(undefined) },
    conId: { call: (c) => c.conId, expect: returns(isId(id)) },
    isConnected: { call: (c) => c.isConnected(), expect: returns(false) },
    isClosed: { call: (c) => c.isClosed, expect: returns(true) },
    send: { call: (c) => c.send(message), expect: closed('throws') },
    sendMany: { call: (c) => c.sendMany([message]), expect: closed('throws') },
    split: { call: (c) => c.split().sender.send(message), expect: closed('throws') },
    close: { call: (c) => c.close(), expect: returns(undefined) },
    [Symbol.dispose]: { call: (c) => c[Symbol.dispose](), expect: returns(undefined) },
  };
}

/** What a half of a synchronous client has in both flavours. */
interface ClosedHalf {
  readonly conId: ConId;
  readonly isOpen: boolean;
  share(): unknown;
  transfer(): unknown;
  close(): void;
  [Symbol.dispose](): void;
}

/** The rows of a half its holder closed that both halves of both flavours share. */
export function closedHalfCases(id: ConId): CallTable<ClosedHalf> {
  return {
    conId: { call: (h) => h.conId, expect: returns(isId(id)) },
    isOpen: { call: (h) => h.isOpen, expect: returns(false) },
    share: { call: (h) => h.share(), expect: closed('throws') },
    transfer: { call: (h) => h.transfer(), expect: closed('throws') },
    close: { call: (h) => h.close(), expect: returns(undefined) },
    [Symbol.dispose]: { call: (h) => h[Symbol.dispose](), expect: returns(undefined) },
  };
}

/** What a closed synchronous service has in both flavours; `Clt` is the flavour's client. */
interface ClosedSvc<Msg, Clt> {
  readonly conId: ConId;
  readonly port: number;
  readonly size: number;
  readonly rejectedCount: number;
  readonly isClosed: boolean;
  intoPool(clt: Clt): unknown;
  split(target: ConId): unknown;
  broadcast(message: Msg): unknown;
  send(message: Msg): unknown;
  sendTo(target: ConId, message: Msg): unknown;
  recv(): unknown;
  close(): void;
  [Symbol.dispose](): void;
}

/** What {@link closedSvcCases} checks against: the service as it was before it closed. */
export interface ClosedSvcSetting<Msg, Clt> {
  readonly id: ConId;
  readonly port: number;
  readonly handedOut: Clt;
  readonly pooled: ConId;
  readonly message: Msg;
}

/** The rows of a closed synchronous `Svc` that both flavours share. */
export function closedSvcCases<Msg, Clt>(setting: ClosedSvcSetting<Msg, Clt>): CallTable<ClosedSvc<Msg, Clt>> {
  const { id, port, handedOut, pooled, message } = setting;
  return {
    conId: { call: (s) => s.conId, expect: returns(isId(id)) },
    port: { call: (s) => s.port, expect: returns(port) },
    size: { call: (s) => s.size, expect: returns(0) },
    rejectedCount: { call: (s) => s.rejectedCount, expect: returns(0) },
    isClosed: { call: (s) => s.isClosed, expect: returns(true) },
    intoPool: { call: (s) => s.intoPool(handedOut), expect: closed('throws') },
    split: { call: (s) => s.split(pooled), expect: closed('throws') },
    broadcast: { call: (s) => s.broadcast(message), expect: closed('throws') },
    send: { call: (s) => s.send(message), expect: closed('throws') },
    sendTo: { call: (s) => s.sendTo(pooled, message), expect: closed('throws') },
    recv: { call: (s) => s.recv(), expect: closed('throws') },
    close: { call: (s) => s.close(), expect: returns(undefined) },
    [Symbol.dispose]: { call: (s) => s[Symbol.dispose](), expect: returns(undefined) },
  };
}
