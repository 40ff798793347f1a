import { Clt, Svc } from '@net/async';
import type { AdapterCltOptions, AdapterSvcOptions, CltHandle, FlavourAdapter, SvcHandle } from './adapter.js';

function cltHandle<Send, Recv>(clt: Clt<Send, Recv>): CltHandle<Send, Recv> {
  return {
    get conId() {
      return clt.conId;
    },
    async send(message) {
      if (!clt.send(message)) await clt.drained();
    },
    offer: async (message) => (clt.send(message) ? 'taken' : 'overHighWater'),
    recv: (timeoutMs) => clt.recv(timeoutMs === undefined ? undefined : { timeout: timeoutMs }),
    isConnected: () => clt.isConnected(),
    close: () => clt.close(),
    closed: clt.closed,
  };
}

/** The `@net/async` flavour for the conformance suite. */
export const asyncAdapter: FlavourAdapter = {
  name: 'async',
  async connect<Send, Recv>(address: Parameters<typeof Clt.connect>[0], options: AdapterCltOptions<Send, Recv>) {
    return cltHandle(await Clt.connect(address, options));
  },
  async bind<Send, Recv>(
    address: Parameters<typeof Svc.bind>[0],
    options: AdapterSvcOptions<Send, Recv>,
  ): Promise<SvcHandle<Send, Recv>> {
    const svc = await Svc.bind(address, options);
    const timed = (timeoutMs: number | undefined) => (timeoutMs === undefined ? undefined : { timeout: timeoutMs });
    return {
      conId: svc.conId,
      port: svc.port,
      poolSize: async () => svc.size,
      rejectedCount: async () => svc.rejectedCount,
      accept: async (timeoutMs) => cltHandle(await svc.accept(timed(timeoutMs))),
      acceptIntoPool: (timeoutMs) => svc.acceptIntoPool(timed(timeoutMs)),
      send: async (message) => void svc.send(message),
      sendTo: async (conId, message) => void svc.sendTo(conId, message),
      broadcast: async (message) => svc.broadcast(message),
      recvFrom: (timeoutMs) => svc.recvFrom(timed(timeoutMs)),
      close: () => svc.close(),
    };
  },
};
