import type { Callbacks } from '../callbacks/callbacks.js';
import type { Logger } from '../callbacks/logger.js';
import { ConId } from '../connection/con-id.js';
import type { NetError } from '../errors/net-error.js';
import { ConnectionDriver, type DriverScheduler } from '../protocol/connection-driver.js';
import { type Protocol, protocolForConnection } from '../protocol/protocol.js';

/** A scheduler whose clock moves only when a test says so. */
export class FakeScheduler implements DriverScheduler {
  time = 0;
  private _tasks: { due: number; fn: () => void; cancelled: boolean; order: number }[] = [];
  private _order = 0;

  now(): number {
    return this.time;
  }

  once(delayMs: number, fn: () => void): { cancel(): void } {
    const task = { due: this.time + delayMs, fn, cancelled: false, order: this._order++ };
    this._tasks.push(task);
    return { cancel: () => void (task.cancelled = true) };
  }

  /** Moves the clock forward by `ms`, running every task that falls due, in due order. */
  advance(ms: number, between?: () => void): void {
    const end = this.time + ms;
    for (;;) {
      this._tasks = this._tasks.filter((t) => !t.cancelled);
      const next = this._tasks.filter((t) => t.due <= end).sort((a, b) => a.due - b.due || a.order - b.order)[0];
      if (next === undefined) break;
      this.time = next.due;
      this._tasks.splice(this._tasks.indexOf(next), 1);
      next.fn();
      between?.();
    }
    this.time = end;
  }

  /**
   * Moves the clock forward by `ms` at once, as a timer that fires late does: every task that
   * fell due meanwhile runs at the new time, not at its due time.
   */
  jump(ms: number, between?: () => void): void {
    this.time += ms;
    for (;;) {
      this._tasks = this._tasks.filter((t) => !t.cancelled);
      const next = this._tasks.filter((t) => t.due <= this.time).sort((a, b) => a.due - b.due || a.order - b.order)[0];
      if (next === undefined) break;
      this._tasks.splice(this._tasks.indexOf(next), 1);
      next.fn();
      between?.();
    }
  }

  /** Tasks still pending. */
  get pending(): number {
    return this._tasks.filter((t) => !t.cancelled).length;
  }
}

/** One side of a fake connection: its driver and what happened to it. */
export interface FakeSide<Send, Recv> {
  driver: ConnectionDriver<Send, Recv>;
  /** Messages written, after onSend. */
  sent: Send[];
  /** Messages delivered to the user. */
  delivered: Recv[];
  /** Close reasons, in order (undefined for a clean close). */
  closes: (NetError | undefined)[];
  ready: boolean;
  failure: NetError | undefined;
}

/** Options for one side of {@link connectPair}. */
export interface FakeSideOptions<Send, Recv> {
  protocol?: Protocol<Send, Recv>;
  callbacks?: Callbacks<Send, Recv>;
  handshakeTimeout?: number;
  logger?: Logger;
}

/**
 * Two connection drivers wired back to back through queues, standing in for a socket pair so the
 * protocol layer can be tested without a flavour. `pump()` delivers queued messages both ways
 * until none are left.
 */
export function connectPair<A, B>(
  scheduler: FakeScheduler,
  client: FakeSideOptions<A, B>,
  server: FakeSideOptions<B, A>,
) {
  const toServer: A[] = [];
  const toClient: B[] = [];
  const make = <S, R>(role: 'initiator' | 'acceptor', options: FakeSideOptions<S, R>, outbox: S[]): FakeSide<S, R> => {
    const side = { sent: [], delivered: [], closes: [], ready: false, failure: undefined } as unknown as FakeSide<S, R>;
    const conId = new ConId(role, role === 'initiator' ? 'clt' : 'svc');
    side.driver = new ConnectionDriver<S, R>({
      conId,
      protocol: protocolForConnection(options.protocol),
      callbacks: options.callbacks,
      logger: options.logger,
      scheduler,
      handshakeTimeout: options.handshakeTimeout,
      transport: {
        send(message) {
          const final = side.driver.beforeSend(message);
          side.sent.push(final);
          outbox.push(final);
          side.driver.afterSent(final);
        },
        close(reason) {
          side.closes.push(reason);
          side.driver.closed(reason);
        },
      },
      onReady: () => void (side.ready = true),
      onFailed: (error) => void (side.failure = error),
    });
    return side;
  };
  const c = make<A, B>('initiator', client, toServer);
  const s = make<B, A>('acceptor', server, toClient);
  const pump = () => {
    while (toServer.length > 0 || toClient.length > 0) {
      while (toServer.length > 0) {
        const message = toServer.shift()!;
        // One read per message here: the bytes arrive with it.
        if (s.driver.state !== 'closed') s.driver.bytesReceived();
        if (s.driver.state !== 'closed' && s.driver.received(message)) s.delivered.push(message);
      }
      while (toClient.length > 0) {
        const message = toClient.shift()!;
        if (c.driver.state !== 'closed') c.driver.bytesReceived();
        if (c.driver.state !== 'closed' && c.driver.received(message)) c.delivered.push(message);
      }
    }
  };
  return { client: c, server: s, pump };
}
