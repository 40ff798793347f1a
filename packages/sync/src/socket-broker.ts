import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { type Endpoint, ErrorCode, formatEndpoint, NetError } from '@net/core';
import { BROKER_CONNECT_SLACK_MS, BROKER_REQUEST_TIMEOUT_MS } from './limits.js';
import type { BrokerEvent } from './broker-messages.js';
import { BrokerChannel, type BrokerReply } from './broker-channel.js';
import { brokerFailure } from './broker-failure.js';
import { WatchTable } from './watch-table.js';
import { signalBufferBytes } from './watch-report-area.js';

/** How one connection attempt is made. */
export interface ConnectRequestOptions {
  readonly noDelay: boolean;
  readonly keepAlive: boolean | number;
  readonly blocking: boolean;
  readonly timeoutMs: number;
}

/** A descriptor the broker handed over, with its addresses. */
export interface BrokeredSocket {
  readonly fd: number;
  readonly local: Endpoint;
  readonly peer: Endpoint;
}

/**
 * What a descriptor that was being watched reported: its first bytes, or its end. `shared` bytes
 * are `bytes[offset, offset + length)` of a buffer that is written again: they must be copied out
 * before `release()` is called, and before the next report is taken.
 */
export type WatchReport =
  | { readonly kind: 'data'; readonly bytes: Uint8Array }
  | {
      readonly kind: 'shared';
      readonly bytes: Uint8Array;
      readonly offset: number;
      readonly length: number;
      release(): void;
    }
  | { readonly kind: 'eof' }
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

/**
 * The synchronous side of the broker thread (see `broker-worker.ts`), one per thread that uses
 * it: the socket operations (connect, listen, accept, close, mode switches, watches) as requests to
 * the thread, and the events it posts sorted to the listeners and watches they are for. How the
 * requests travel and how a waiting thread parks is {@link BrokerChannel}'s.
 */
export class SocketBroker extends BrokerChannel {
  private readonly _accepted = new Map<number, BrokeredSocket[]>();
  private readonly _watched = new WatchTable(this._signalBuffer);
  // Posted anew for each watch: the message is copied as it is posted, so one object serves all.
  private readonly _watchRequest = { op: 'watch' as const, fd: 0, seq: 0 };
  private _closedSockets = 0;

  /**
   * Connects (one attempt) and returns the connected descriptor, parking until the broker answers.
   * @throws NetError for a refused or timed-out attempt
   */
  connect(endpoint: Endpoint, options: ConnectRequestOptions): BrokeredSocket {
    const reply = this._request(
      { op: 'connect', id: this._nextId++, endpoint, ...options },
      options.timeoutMs + BROKER_CONNECT_SLACK_MS,
    );
    return this._connected(reply, endpoint);
  }

  /** Starts one connection attempt without waiting; {@link pollConnect} tells how it went. */
  beginConnect(endpoint: Endpoint, options: ConnectRequestOptions): number {
    const id = this._nextId++;
    this._post({ op: 'connect', id, endpoint, ...options });
    return id;
  }

  /**
   * The outcome of {@link beginConnect}'s attempt `id`: the connected descriptor, or `undefined`
   * while it is still under way.
   * @throws NetError for a refused or timed-out attempt
   */
  pollConnect(id: number, endpoint: Endpoint): BrokeredSocket | undefined {
    this.drain();
    const reply = this._replies.get(id);
    if (reply === undefined) {
      if (this.checkStopped()) throw this._stoppedError('connect');
      return undefined;
    }
    this._replies.delete(id);
    return this._connected(reply, endpoint);
  }

  private _connected(reply: BrokerReply, endpoint: Endpoint): BrokeredSocket {
    if (reply.op !== 'connected') throw brokerFailure(reply, `connect to ${formatEndpoint(endpoint)}`);
    return { fd: reply.fd, local: reply.local, peer: reply.peer };
  }

  /** Listens on `endpoint`; returns the listener's id and its real address. */
  listen(
    endpoint: Endpoint,
    options: { backlog: number; noDelay: boolean; blocking: boolean },
  ): { serverId: number; local: Endpoint } {
    const reply = this._request({ op: 'listen', id: this._nextId++, endpoint, ...options }, BROKER_REQUEST_TIMEOUT_MS);
    if (reply.op !== 'listening') throw brokerFailure(reply, `bind ${formatEndpoint(endpoint)}`);
    this._accepted.set(reply.serverId, []);
    return { serverId: reply.serverId, local: reply.local };
  }

  /** Stops a listener; connections it accepted stay open. Waits until the port is free again. */
  unlisten(serverId: number): void {
    this._accepted.delete(serverId);
    this._request({ op: 'unlisten', id: this._nextId++, serverId }, BROKER_REQUEST_TIMEOUT_MS);
  }

  /** The next connection a listener accepted, if one is waiting (never waits). */
  takeAccepted(serverId: number): BrokeredSocket | undefined {
    this.drain();
    return this._accepted.get(serverId)?.shift();
  }

  /**
   * Hands a descriptor back to be closed; the caller must not touch `fd` again. The close is
   * graceful (FIN after everything written, then the peer's side is drained until it closes);
   * `reset` sends RST instead.
   */
  close(fd: number, reset = false): void {
    this._watched.forget(fd);
    this._post({ op: 'close', fd, reset });
  }

  /** Switches a descriptor between blocking and non-blocking mode; returns once done. */
  setBlocking(fd: number, blocking: boolean): void {
    const reply = this._request({ op: 'setBlocking', id: this._nextId++, fd, blocking }, BROKER_REQUEST_TIMEOUT_MS);
    if (reply.op !== 'blockingSet') throw brokerFailure(reply, 'set blocking mode');
  }

  /** Asks the broker to report when an idle descriptor becomes readable (see {@link takeWatchReport}). */
  watch(fd: number): void {
    const request = this._watchRequest;
    request.fd = fd;
    request.seq = this._watched.start(fd);
    this._post(request);
  }

  /** Stops watching `fd`; a report the broker posted before stopping is kept for {@link takeWatchReport}. */
  unwatch(fd: number): void {
    this._request({ op: 'unwatch', id: this._nextId++, fd }, BROKER_REQUEST_TIMEOUT_MS);
  }

  /**
   * What a watched descriptor reported, if anything yet; afterwards it is read directly again. A
   * `shared` report is lent (see {@link WatchReport}). Once the broker's sockets have closed with
   * its thread, a watch that will never report says so (`EBADF`).
   */
  takeWatchReport(fd: number): WatchReport | undefined {
    this.drain();
    return this._watched.take(fd, this.stopped);
  }

  /**
   * Sockets and listeners the broker holds now, sockets it has closed, and the broker thread's own
   * JavaScript heap (used and reserved bytes): for leak checks. With `collect`, and a process
   * started with `--expose-gc`, the broker collects its garbage first.
   */
  stats(options?: { collect?: boolean }): {
    sockets: number;
    servers: number;
    closed: number;
    heapUsed: number;
    heapTotal: number;
  } {
    const reply = this._request(
      { op: 'ping', id: this._nextId++, collect: options?.collect === true },
      BROKER_REQUEST_TIMEOUT_MS,
    );
    if (reply.op !== 'pong') throw new NetError(ErrorCode.SOCKET, 'broker did not answer');
    return {
      sockets: reply.sockets,
      servers: reply.servers,
      closed: this._closedSockets,
      heapUsed: reply.heapUsed,
      heapTotal: reply.heapTotal,
    };
  }

  /**
   * Opens a channel to this broker thread for a half adopted on another thread, bound to `fd`:
   * that thread's broker for the descriptor is `new SocketBroker(channel)`. When it lets go, or
   * its thread exits holding the channel, the broker gives up its hold (see `holder-ticket.ts`).
   */
  share(
    fd: number,
    state: SharedArrayBuffer,
    ticket: SharedArrayBuffer,
  ): { port: MessagePort; signal: SharedArrayBuffer } {
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(signalBufferBytes(1));
    const id = this._nextId++;
    if (this.checkStopped()) throw this._stoppedError('attach');
    this._post({ op: 'attach', id, fd, port: port2, signal, state, ticket }, [port2]);
    const reply = this._awaitReply(id, BROKER_REQUEST_TIMEOUT_MS, 'attach');
    if (reply.op !== 'attached') throw brokerFailure(reply, 'share a descriptor');
    return { port: port1, signal };
  }

  /** Wakes every other thread's watch of `fd`: the connection was ended for all of them. */
  endShared(fd: number): void {
    this._post({ op: 'end', fd });
  }

  /** Forgets `fd` without closing it (another thread holds it now); a channel for one half closes. */
  forget(fd: number): void {
    this._watched.forget(fd);
    if (this.attached) this._post({ op: 'detach' });
  }

  protected _dispatch(event: BrokerEvent): void {
    switch (event.op) {
      case 'accepted':
        this._accepted.get(event.serverId)?.push({ fd: event.fd, local: event.local, peer: event.peer });
        if (!this._accepted.has(event.serverId)) this.close(event.fd, true);
        return;
      case 'data':
        this._watched.posted(event.fd, { kind: 'data', bytes: event.bytes });
        return;
      case 'eof':
        this._watched.posted(event.fd, { kind: 'eof' });
        return;
      case 'readError':
        this._watched.posted(event.fd, { kind: 'error', code: event.failure.code, message: event.failure.message });
        return;
      case 'closed':
        this._closedSockets++;
        return;
      default:
        this._replies.set(event.id, event);
    }
  }
}
