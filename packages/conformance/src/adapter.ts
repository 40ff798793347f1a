import type { AddressInput, CommonConnectionOptions, ConId, NetError } from '@net/core';

/** Options every flavour's client and service take in the suite. */
export interface AdapterCommonOptions<Send, Recv> extends Omit<CommonConnectionOptions<Send, Recv>, 'logger'> {
  /** Outbound bytes above which an async send reports backpressure (async flavour only). */
  readonly highWaterMark?: number;
  /** Outbound bytes past which an async send fails with `NET_ERR_BACKPRESSURE` (async flavour only). */
  readonly maxBufferedBytes?: number;
  /** Largest frame or batch a synchronous connection encodes at once (synchronous flavours only). */
  readonly maxBatchBytes?: number;
  /** How long a synchronous connection's peer may take no byte of a waiting frame (synchronous flavours only). */
  readonly writeStallTimeout?: number;
  /** How long a graceful close waits for unsent bytes before it gives up on them (async flavour only). */
  readonly closeTimeout?: number;
  /** Close a connection that received nothing for this many ms with `NET_ERR_IDLE_TIMEOUT` (0 or absent: off). */
  readonly idleTimeout?: number;
}

/**
 * What one send attempt without waiting did: `'taken'` (written or queued), `'overHighWater'`
 * (queued, and the outbound buffer is now above its high-water mark: an async send returned
 * false), or `'refused'` (nothing written: a synchronous flavour's would-block).
 */
export type OfferResult = 'taken' | 'overHighWater' | 'refused';

/** Options of {@link FlavourAdapter.connect}. */
export interface AdapterCltOptions<Send, Recv> extends AdapterCommonOptions<Send, Recv> {
  /** Connect timeout in ms. */
  readonly timeout?: number;
  /** Pause between connect attempts in ms. */
  readonly retryAfter?: number;
}

/** Options of {@link FlavourAdapter.bind}. */
export interface AdapterSvcOptions<Send, Recv> extends AdapterCommonOptions<Send, Recv> {
  readonly maxConnections?: number;
}

/**
 * A connection as the suite sees it, whatever the flavour. Everything returns a Promise so that a
 * synchronous flavour can run on another thread and answer through messages.
 */
export interface CltHandle<Send, Recv> {
  readonly conId: ConId;
  /** Sends one message; resolves once the flavour has taken it (written or queued for writing). */
  send(message: Send): Promise<void>;
  /**
   * One send attempt that never waits for room, reporting backpressure as the flavour sees it;
   * rejects with the flavour's `NetError` (`NET_ERR_BACKPRESSURE` past a hard limit).
   */
  offer(message: Send): Promise<OfferResult>;
  /** The next message, `undefined` at a clean end of stream; rejects with a `NetError`. */
  recv(timeoutMs?: number): Promise<Recv | undefined>;
  /** Logical connection state. */
  isConnected(): boolean;
  /** Graceful close. */
  close(): Promise<void>;
  /** Settles when the connection is gone, with the reason (undefined for clean). */
  readonly closed: Promise<NetError | undefined>;
}

/** A service as the suite sees it, whatever the flavour. */
export interface SvcHandle<Send, Recv> {
  readonly conId: ConId;
  /** The port it listens on. */
  readonly port: number;
  /** Connections in the pool (a Promise: a hosted flavour is asked in its own thread). */
  poolSize(): Promise<number>;
  /** Connections refused as over `maxConnections`. */
  rejectedCount(): Promise<number>;
  /** The next connection, handed to the caller. */
  accept(timeoutMs?: number): Promise<CltHandle<Send, Recv>>;
  /** The next connection, into the pool. */
  acceptIntoPool(timeoutMs?: number): Promise<ConId>;
  /** Round-robin send over the pool. */
  send(message: Send): Promise<void>;
  /** Send to one pooled connection. */
  sendTo(conId: ConId, message: Send): Promise<void>;
  /** Send to every pooled connection; resolves with how many took it. */
  broadcast(message: Send): Promise<number>;
  /** The next message from the pool, fairly; with the connection it came from. */
  recvFrom(timeoutMs?: number): Promise<{ conId: ConId; message: Recv } | undefined>;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** One flavour, seen through the suite's neutral interface. */
export interface FlavourAdapter {
  readonly name: string;
  /**
   * True for a synchronous flavour: a send completes in the caller (or waits there), so nothing is
   * ever queued inside the flavour, and the scenario about a close that must drop queued data does
   * not apply.
   */
  readonly synchronous?: boolean;
  /**
   * Errors the flavour threw where it should not have, outside any call (a hosted flavour's
   * background pass); taken after every scenario, which fails if there were any.
   */
  takeFaults?(): string[];
  connect<Send, Recv>(address: AddressInput, options: AdapterCltOptions<Send, Recv>): Promise<CltHandle<Send, Recv>>;
  bind<Send, Recv>(address: AddressInput, options: AdapterSvcOptions<Send, Recv>): Promise<SvcHandle<Send, Recv>>;
}
