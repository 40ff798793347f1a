import { Worker } from 'node:worker_threads';
import type { Callbacks, ConId, NetError } from '@net/core';
import type {
  AdapterCltOptions,
  AdapterCommonOptions,
  AdapterSvcOptions,
  CltHandle,
  FlavourAdapter,
  OfferResult,
  SvcHandle,
} from './adapter.js';
import { HandleInbox } from './handle-inbox.js';
import {
  conIdFromWire,
  errorFromWire,
  type HostCommand,
  type HostEvent,
  type WireConId,
  type WireOptions,
} from './host/wire.js';
import { toWire } from './recipes/recipe.js';

/** A synchronous flavour the suite can host in a thread of its own. */
export type HostedFlavour = 'nonblocking' | 'blocking';

const CALLBACK_EVENTS = ['onRecv', 'onSent', 'onConnected', 'onDisconnected', 'onRejected'] as const;

// Commands without a reply id.
type Command = HostCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

interface Receiver {
  readonly inbox: HandleInbox<unknown>;
  connected: boolean;
}

interface PoolState {
  readonly inbox: HandleInbox<{ conId: ConId; message: unknown }>;
}

/**
 * One host thread and the suite's side of it: commands go out in one batch per microtask, and
 * what the host posts back (replies, messages, callbacks, reports) is dispatched in order.
 */
class HostConnection {
  private readonly _worker: Worker;
  private _nextId = 1;
  private _batch: HostCommand[] = [];
  private readonly _pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly _receivers = new Map<number, Receiver>();
  private readonly _pools = new Map<number, PoolState>();
  private readonly _owners = new Map<number, Callbacks<unknown, unknown>>();
  private readonly _reports = new Map<number, (...args: unknown[]) => void>();
  private _nextOwner = 1;
  private _failure: Error | undefined;

  /** Errors a flavour threw inside the host's background pass; the suite checks there are none. */
  readonly hostErrors: string[] = [];

  constructor(flavour: HostedFlavour) {
    // The host is compiled: a worker thread runs plain JavaScript.
    this._worker = new Worker(new URL('../dist/host/sync-host.js', import.meta.url), { workerData: { flavour } });
    this._worker.unref();
    this._worker.on('message', (events: HostEvent[]) => {
      for (const event of events) this._dispatch(event);
    });
    this._worker.on('error', (error) => {
      this._failure = error;
      for (const pending of this._pending.values()) pending.reject(error);
      this._pending.clear();
    });
  }

  call<T>(command: Command): Promise<T> {
    if (this._failure !== undefined) return Promise.reject(this._failure);
    const id = this._nextId++;
    if (this._batch.length === 0) queueMicrotask(() => this._worker.postMessage(this._batch.splice(0)));
    this._batch.push({ ...command, id });
    return new Promise<T>((resolve, reject) =>
      this._pending.set(id, { resolve: resolve as (value: unknown) => void, reject }),
    );
  }

  /** The wire form of client or service options; callbacks and reporting hooks stay here. */
  wireOptions(
    options: AdapterCommonOptions<unknown, unknown> & {
      timeout?: number;
      retryAfter?: number;
      maxConnections?: number;
    },
  ): WireOptions {
    const registerReport = (fn: (...args: unknown[]) => void) => {
      const id = this._reports.size + 1;
      this._reports.set(id, fn);
      return id;
    };
    let callbacks: WireOptions['callbacks'];
    if (options.callbacks !== undefined) {
      const owner = this._nextOwner++;
      this._owners.set(owner, options.callbacks);
      callbacks = { owner, events: CALLBACK_EVENTS.filter((event) => typeof options.callbacks![event] === 'function') };
    }
    return {
      codec: toWire(options.codec, registerReport, 'codec'),
      protocol: options.protocol === undefined ? undefined : toWire(options.protocol, registerReport, 'protocol'),
      name: options.name,
      handshakeTimeout: options.handshakeTimeout,
      timeout: options.timeout,
      retryAfter: options.retryAfter,
      maxConnections: options.maxConnections,
      maxBatchBytes: options.maxBatchBytes,
      writeStallTimeout: options.writeStallTimeout,
      idleTimeout: options.idleTimeout,
      callbacks,
    };
  }

  /**
   * The receiving state of a connection handle, made on first use: the host may post a message or
   * the end in the same batch as the reply that names the handle, before the caller has it.
   */
  receiver(handle: number): Receiver {
    let receiver = this._receivers.get(handle);
    if (receiver === undefined) {
      receiver = { inbox: new HandleInbox<unknown>(), connected: true };
      this._receivers.set(handle, receiver);
    }
    return receiver;
  }

  /** The pool state of a service handle, made on first use. */
  pool(handle: number): PoolState {
    let pool = this._pools.get(handle);
    if (pool === undefined) {
      pool = { inbox: new HandleInbox<{ conId: ConId; message: unknown }>() };
      this._pools.set(handle, pool);
    }
    return pool;
  }

  async terminate(): Promise<void> {
    await this._worker.terminate();
  }

  private _dispatch(event: HostEvent): void {
    switch (event.kind) {
      case 'reply': {
        const pending = this._pending.get(event.id);
        this._pending.delete(event.id);
        if (event.error === undefined) pending?.resolve(event.value);
        else pending?.reject(errorFromWire(event.error));
        return;
      }
      case 'message':
        this.receiver(event.handle).inbox.push(event.message);
        return;
      case 'decodeError':
        this.receiver(event.handle).inbox.pushError(errorFromWire(event.error) as NetError);
        return;
      case 'end': {
        const receiver = this.receiver(event.handle);
        receiver.connected = false;
        receiver.inbox.end(event.reason === undefined ? undefined : (errorFromWire(event.reason) as NetError));
        return;
      }
      case 'connected':
        this.receiver(event.handle).connected = event.connected;
        return;
      case 'pooled':
        this.pool(event.handle).inbox.push({ conId: conIdFromWire(event.conId), message: event.message });
        return;
      case 'poolError':
        this.pool(event.handle).inbox.pushError(errorFromWire(event.error) as NetError);
        return;
      case 'callback': {
        const callbacks = this._owners.get(event.owner) as
          Record<string, ((conId: ConId, arg: unknown) => void) | undefined> | undefined;
        const arg =
          'reason' in event ? (event.reason === undefined ? undefined : errorFromWire(event.reason)) : event.value;
        callbacks?.[event.event]?.(conIdFromWire(event.conId), arg);
        return;
      }
      case 'report':
        this._reports.get(event.id)?.(...event.args);
        return;
      case 'hostError':
        this.hostErrors.push(event.stack ?? event.error.message);
        return;
    }
  }
}

function cltHandle<Send, Recv>(host: HostConnection, handle: number, conId: ConId): CltHandle<Send, Recv> {
  const receiver = host.receiver(handle);
  return {
    conId,
    send: (message) => host.call({ op: 'send', handle, message }),
    offer: (message) => host.call<OfferResult>({ op: 'offer', handle, message }),
    recv: (timeoutMs) => receiver.inbox.recv(timeoutMs) as Promise<Recv | undefined>,
    isConnected: () => receiver.connected,
    close: () => host.call({ op: 'close', handle }),
    closed: receiver.inbox.closed,
  };
}

/**
 * A synchronous flavour for the conformance suite, running in a thread of its own as such a
 * flavour would in an application (it spins or parks that thread). The suite's calls become
 * commands to that thread; the connections are read there in the background, in order, and their
 * messages, callbacks and ends come back as events. Codecs and protocols cross as recipes (see
 * `recipes/recipe.ts`). Each adapter has its own thread, so a pair of two hosted flavours runs
 * its client and its service in two threads.
 */
export function hostedAdapter(flavour: HostedFlavour): FlavourAdapter & { terminate(): Promise<void> } {
  let host: HostConnection | undefined;
  const started = () => (host ??= new HostConnection(flavour));
  return {
    name: flavour,
    synchronous: true,
    async connect<Send, Recv>(
      address: Parameters<FlavourAdapter['connect']>[0],
      options: AdapterCltOptions<Send, Recv>,
    ): Promise<CltHandle<Send, Recv>> {
      const connection = started();
      const wire = connection.wireOptions(options);
      const { handle, conId } = await connection.call<{ handle: number; conId: WireConId }>({
        op: 'connect',
        address: address as never,
        options: wire,
      });
      return cltHandle(connection, handle, conIdFromWire(conId));
    },
    async bind<Send, Recv>(
      address: Parameters<FlavourAdapter['bind']>[0],
      options: AdapterSvcOptions<Send, Recv>,
    ): Promise<SvcHandle<Send, Recv>> {
      const connection = started();
      const wire = connection.wireOptions(options);
      const bound = await connection.call<{ handle: number; conId: WireConId; port: number }>({
        op: 'bind',
        address: String(address),
        options: wire,
      });
      const { handle } = bound;
      const pool = connection.pool(handle);
      return {
        conId: conIdFromWire(bound.conId),
        port: bound.port,
        poolSize: async () => (await connection.call<{ size: number }>({ op: 'svcState', handle })).size,
        rejectedCount: async () => (await connection.call<{ rejected: number }>({ op: 'svcState', handle })).rejected,
        async accept(timeoutMs) {
          const accepted = await connection.call<{ handle: number; conId: WireConId }>({
            op: 'accept',
            handle,
            timeoutMs,
          });
          return cltHandle<Send, Recv>(connection, accepted.handle, conIdFromWire(accepted.conId));
        },
        acceptIntoPool: async (timeoutMs) =>
          conIdFromWire(await connection.call<WireConId>({ op: 'acceptIntoPool', handle, timeoutMs })),
        send: (message) => connection.call({ op: 'svcSend', handle, message }),
        sendTo: (conId, message) => connection.call({ op: 'sendTo', handle, conId: String(conId), message }),
        broadcast: (message) => connection.call<number>({ op: 'broadcast', handle, message }),
        async recvFrom(timeoutMs) {
          const found = await pool.inbox.recv(timeoutMs);
          return found as { conId: ConId; message: Recv } | undefined;
        },
        async close() {
          await connection.call({ op: 'close', handle });
          pool.inbox.end(undefined);
        },
      };
    },
    takeFaults: () => host?.hostErrors.splice(0) ?? [],
    async terminate() {
      await host?.terminate();
      host = undefined;
    },
  };
}
