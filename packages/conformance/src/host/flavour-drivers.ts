import * as blocking from '@net/blocking';
import { type AddressInput, type ConId, ErrorCode, NetError } from '@net/core';
import { DEFAULT_POLLER_MESSAGES_PER_PASS } from '@net/nonblocking';
import * as nonblocking from '@net/nonblocking';

/** Where the messages of a connection the host reads go. */
export interface ReceiveSink {
  message(message: unknown): void;
  decodeError(error: NetError): void;
  end(reason: NetError | undefined): void;
}

/** A connection in the host, whatever the flavour. */
export interface HostClt {
  readonly conId: ConId;
  /** One attempt: true when the whole frame was written, false when none of it could be. */
  trySend(message: unknown): boolean;
  isConnected(): boolean;
  close(): void;
}

/** A service in the host, whatever the flavour. */
export interface HostSvc {
  readonly conId: ConId;
  readonly port: number;
  readonly size: number;
  readonly rejectedCount: number;
  /** Connections accepted since the last call (handshake done), in order. */
  takeAccepted(): HostClt[];
  /** Starts reading `clt` (accepted here) into `sink`. */
  receive(clt: HostClt, sink: ReceiveSink): void;
  intoPool(clt: HostClt): ConId;
  /** One attempt to send round robin over the pool. */
  trySend(message: unknown): boolean;
  trySendTo(conId: ConId, message: unknown): boolean;
  broadcast(message: unknown): number;
  close(): void;
}

/**
 * One synchronous flavour as the host drives it: everything is one attempt, and {@link poll}
 * makes one pass over what the flavour reads in the background (connections' receive sides,
 * services' accepting and pools), the way an application's reader loop would.
 */
export interface FlavourDriver {
  connect(address: AddressInput, options: object, sink: ReceiveSink): HostClt;
  bind(
    address: AddressInput,
    options: object,
    poolSink: (conId: ConId, message: unknown) => void,
    poolError: (error: NetError) => void,
  ): HostSvc;
  /** One pass; returns how many things moved. */
  poll(): number;
  /** Forgets what a closed client or service left in the pass. */
  forget(conId: ConId): void;
}

// Messages taken from one connection or pool in one pass, the nonblocking Poller's own bound: a
// peer that sends without pause must not keep the pass, and with it the host's sends, waiting.
const MESSAGES_PER_PASS = DEFAULT_POLLER_MESSAGES_PER_PASS;

/** Drives `@net/nonblocking` through its own {@link nonblocking.Poller} (links' PollHandler). */
export function nonblockingDriver(): FlavourDriver {
  const poller = new nonblocking.Poller();
  const pools: {
    svc: nonblocking.Svc<unknown, unknown>;
    sink: (conId: ConId, message: unknown) => void;
    error: (error: NetError) => void;
  }[] = [];
  const wrapClt = (clt: nonblocking.Clt<unknown, unknown>): HostClt & { clt: nonblocking.Clt<unknown, unknown> } => ({
    clt,
    conId: clt.conId,
    trySend: (message) => clt.send(message) === 'completed',
    isConnected: () => clt.isConnected(),
    close: () => clt.close(),
  });
  const receive = (clt: nonblocking.Clt<unknown, unknown>, sink: ReceiveSink) =>
    poller.addReceiver(clt, {
      onMessage: (message) => sink.message(message),
      onError: (error) => sink.decodeError(error),
      onEnd: (reason) => sink.end(reason),
    });
  return {
    connect(address, options, sink) {
      const clt = nonblocking.Clt.connect(address, options as nonblocking.CltOptions<unknown, unknown>);
      receive(clt, sink);
      return wrapClt(clt);
    },
    bind(address, options, poolSink, poolError) {
      const svc = nonblocking.Svc.bind(address, options as nonblocking.SvcOptions<unknown, unknown>);
      const accepted: HostClt[] = [];
      poller.addAcceptor(svc, (clt) => accepted.push(wrapClt(clt)));
      pools.push({ svc, sink: poolSink, error: poolError });
      return {
        conId: svc.conId,
        port: svc.port,
        get size() {
          return svc.size;
        },
        get rejectedCount() {
          return svc.rejectedCount;
        },
        takeAccepted: () => accepted.splice(0),
        receive: (clt, sink) => receive((clt as ReturnType<typeof wrapClt>).clt, sink),
        intoPool: (clt) => svc.intoPool((clt as ReturnType<typeof wrapClt>).clt),
        trySend: (message) => svc.send(message) === 'completed',
        trySendTo: (conId, message) => svc.sendTo(conId, message) === 'completed',
        broadcast: (message) => svc.broadcast(message),
        close: () => svc.close(),
      };
    },
    poll() {
      let worked = poller.pollOnce();
      for (const pool of pools) {
        for (let taken = 0; taken < MESSAGES_PER_PASS; taken++) {
          let found;
          try {
            found = pool.svc.recvFrom();
          } catch (error) {
            pool.error(error as NetError);
            worked++;
            continue;
          }
          if (found === nonblocking.WOULD_BLOCK) break;
          pool.sink(found.conId, found.message);
          worked++;
        }
      }
      return worked;
    },
    forget(conId) {
      poller.shutdown(conId);
      for (let i = pools.length - 1; i >= 0; i--) if (pools[i].svc.conId === conId) pools.splice(i, 1);
    },
  };
}

/**
 * Drives `@net/blocking` with its `try...` calls (one attempt each), so one host thread can serve
 * many connections: a call that finds nothing returns a status and leaves the connection usable
 * (a promise of the flavour this exercises all the time). A receive that finds nothing leaves the
 * descriptor watched by the broker, so the host's idle wait wakes when bytes arrive.
 */
export function blockingDriver(): FlavourDriver {
  const receivers: { clt: blocking.Clt<unknown, unknown>; sink: ReceiveSink }[] = [];
  const services: {
    svc: blocking.Svc<unknown, unknown>;
    accepted: HostClt[];
    sink: (conId: ConId, message: unknown) => void;
    error: (error: NetError) => void;
  }[] = [];
  const wrapClt = (clt: blocking.Clt<unknown, unknown>): HostClt & { clt: blocking.Clt<unknown, unknown> } => ({
    clt,
    conId: clt.conId,
    trySend: (message) => clt.trySend(message) === 'completed',
    isConnected: () => clt.isConnected(),
    close: () => clt.close(),
  });
  const pollReceiver = (clt: blocking.Clt<unknown, unknown>, sink: ReceiveSink): 'idle' | 'moved' | 'ended' => {
    try {
      const message = clt.tryRecv();
      if (message === blocking.WOULD_BLOCK) return 'idle';
      if (message === blocking.END_OF_STREAM) {
        sink.end(undefined);
        return 'ended';
      }
      sink.message(message);
      return 'moved';
    } catch (error) {
      if (!clt.isClosed) {
        sink.decodeError(error as NetError);
        return 'moved';
      }
      sink.end(error as NetError);
      return 'ended';
    }
  };
  return {
    connect(address, options, sink) {
      const clt = blocking.Clt.connect(address, options as blocking.CltOptions<unknown, unknown>);
      receivers.push({ clt, sink });
      return wrapClt(clt);
    },
    bind(address, options, poolSink, poolError) {
      const svc = blocking.Svc.bind(address, options as blocking.SvcOptions<unknown, unknown>);
      const entry = { svc, accepted: [] as HostClt[], sink: poolSink, error: poolError };
      services.push(entry);
      return {
        conId: svc.conId,
        port: svc.port,
        get size() {
          return svc.size;
        },
        get rejectedCount() {
          return svc.rejectedCount;
        },
        takeAccepted: () => entry.accepted.splice(0),
        receive: (clt, sink) => void receivers.push({ clt: (clt as ReturnType<typeof wrapClt>).clt, sink }),
        intoPool: (clt) => svc.intoPool((clt as ReturnType<typeof wrapClt>).clt),
        trySend(message) {
          svc.send(message);
          return true;
        },
        trySendTo(conId, message) {
          svc.sendTo(conId, message);
          return true;
        },
        broadcast: (message) => svc.broadcast(message),
        close: () => svc.close(),
      };
    },
    poll() {
      let worked = 0;
      for (const entry of services) {
        for (
          let accepted = entry.svc.tryAccept();
          accepted !== blocking.WOULD_BLOCK;
          accepted = entry.svc.tryAccept()
        ) {
          // A refused connection is counted by the service; the pass goes on to the next.
          if (accepted !== blocking.REJECTED) entry.accepted.push(wrapClt(accepted));
          worked++;
        }
        for (let taken = 0; taken < MESSAGES_PER_PASS; taken++) {
          try {
            const found = entry.svc.tryRecvFrom();
            if (found === blocking.WOULD_BLOCK) break;
            entry.sink(found.conId, found.message);
            worked++;
          } catch (error) {
            if (error instanceof NetError && error.code === ErrorCode.CLOSED) break;
            entry.error(error as NetError);
            worked++;
          }
        }
      }
      for (let i = 0; i < receivers.length; i++) {
        const { clt, sink } = receivers[i];
        for (let taken = 0; taken < MESSAGES_PER_PASS; taken++) {
          const step = pollReceiver(clt, sink);
          if (step === 'idle') break;
          worked++;
          if (step === 'ended') {
            receivers.splice(i--, 1);
            break;
          }
        }
      }
      return worked;
    },
    forget(conId) {
      for (let i = receivers.length - 1; i >= 0; i--) if (receivers[i].clt.conId === conId) receivers.splice(i, 1);
      for (let i = services.length - 1; i >= 0; i--) if (services[i].svc.conId === conId) services.splice(i, 1);
    },
  };
}
