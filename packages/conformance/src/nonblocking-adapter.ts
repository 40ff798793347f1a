import { Clt, CltConnector, type ConId, Poller, Svc, WOULD_BLOCK } from '@net/nonblocking';
import { ErrorCode, NetError } from '@net/core';
import type { AdapterCltOptions, AdapterSvcOptions, CltHandle, FlavourAdapter, SvcHandle } from './adapter.js';
import { CooperativeInbox, retryUntil } from './cooperative-inbox.js';

let poller: Poller | undefined;

/** One poller per thread drives the receive side of every connection the adapter made. */
function sharedPoller(): Poller {
  poller ??= new Poller().spawn();
  return poller;
}

function cltHandle<Send, Recv>(clt: Clt<Send, Recv>): CltHandle<Send, Recv> {
  const inbox = new CooperativeInbox<Recv>();
  sharedPoller().addReceiver(clt, {
    onMessage: (message) => inbox.push(message),
    onError: (error) => inbox.pushError(error),
    onEnd: (reason) => inbox.end(reason),
  });
  return {
    conId: clt.conId,
    async send(message) {
      await retryUntil(() => (clt.send(message) === 'completed' ? true : undefined), undefined, 'room to send');
    },
    recv: (timeoutMs) => inbox.recv(timeoutMs),
    isConnected: () => clt.isConnected(),
    async close() {
      clt.close();
      inbox.end(undefined);
    },
    closed: inbox.closed,
  };
}

/**
 * The `@net/nonblocking` flavour for the conformance suite, in the suite's own thread: every call
 * is one non-blocking attempt, repeated once per turn of the event loop, so that it can share the
 * thread with an async peer. Accepting and receiving are pumped by a {@link Poller}, as a
 * non-blocking application would do with `spawn()`.
 */
export const nonblockingAdapter: FlavourAdapter = {
  name: 'nonblocking',
  cooperative: true,
  async connect<Send, Recv>(address: Parameters<typeof Clt.connect>[0], options: AdapterCltOptions<Send, Recv>) {
    const connector = new CltConnector<Send, Recv>(address, options);
    const clt = await retryUntil(() => {
      const result = connector.step();
      return result === WOULD_BLOCK ? undefined : result;
    }, undefined, 'connection');
    return cltHandle(clt);
  },
  async bind<Send, Recv>(address: Parameters<typeof Svc.bind>[0], options: AdapterSvcOptions<Send, Recv>): Promise<SvcHandle<Send, Recv>> {
    const svc = Svc.bind<Send, Recv>(address, options);
    const accepted: Clt<Send, Recv>[] = [];
    // Handshakes move forward only inside accept(), so the service accepts all the time, as a
    // spawned acceptor would; the suite's accept takes from what was accepted.
    sharedPoller().addAcceptor(svc, (clt) => accepted.push(clt));
    let closed = false;
    const take = (timeoutMs: number | undefined) =>
      retryUntil(
        () => {
          if (closed) throw new NetError(ErrorCode.CLOSED, 'service is closed');
          return accepted.shift();
        },
        timeoutMs,
        'connection',
      );
    return {
      conId: svc.conId,
      port: svc.port,
      poolSize: () => svc.size,
      rejectedCount: () => svc.rejectedCount,
      accept: async (timeoutMs) => cltHandle(await take(timeoutMs)),
      acceptIntoPool: async (timeoutMs): Promise<ConId> => svc.intoPool(await take(timeoutMs)),
      async send(message) {
        await retryUntil(() => (svc.send(message) === 'completed' ? true : undefined), undefined, 'room to send');
      },
      async sendTo(conId, message) {
        await retryUntil(() => (svc.sendTo(conId, message, 0) === 'completed' ? true : undefined), undefined, 'room to send');
      },
      broadcast: async (message) => svc.broadcast(message),
      recvFrom: async (timeoutMs) => {
        const found = await retryUntil(() => (closed ? null : svc.recvFrom()), timeoutMs, 'message');
        return found ?? undefined;
      },
      async close() {
        closed = true;
        sharedPoller().shutdown(svc.conId);
        svc.close();
      },
    };
  },
};


