/**
 * The server program of the @net/async subjects: one `Svc`.
 *
 *   async-server.js [--codec bytes|struct] [--serve accept|pool|onmessage]
 *
 * `--serve accept` (default) takes each connection with `svc.accept()` and serves it with its own
 * `await clt.recv()` / `clt.send()` loop; `--serve pool` binds with `autoPool` and serves every
 * connection from one `svc.recvFrom()` / `svc.sendTo()` loop; `--serve onmessage` takes each message
 * in the Svc's `onMessage` callback (no Promise per message) and answers with `sendTo`.
 *
 * Commands: `listen { listen, mode, maxConnections, backlog }` → address; `connections`;
 * `wait-connections { count }`; `expect { count }` and `await-messages` (sink mode); `close`.
 */
import { type Clt, type ConId, Svc } from '@net/async';
import { Args } from '../../util/cli.js';
import { serveCommands } from '../harness.js';
import { ArrivalCounter, type ListenSpec, type ServerAddress, type ServerMode } from '../workload.js';
import { parseWireCodec, wireFor } from './wire.js';

const args = new Args(process.argv.slice(2), ['codec', 'serve']);
const wire = wireFor(parseWireCodec(args.string('codec')));
const serve = args.string('serve') ?? 'accept';
if (serve !== 'accept' && serve !== 'pool' && serve !== 'onmessage') throw new Error(`--serve accept|pool|onmessage, got '${serve}'`);

const counter = new ArrivalCounter();
let svc: Svc<unknown, unknown> | undefined;
/** Connections taken with accept() and not finished. */
let served = 0;

async function serveConnection(clt: Clt<unknown, unknown>, mode: ServerMode): Promise<void> {
  served++;
  try {
    for (;;) {
      const message = await clt.recv();
      if (message === undefined) return;
      if (mode === 'echo') clt.send(wire.reply(message));
      else counter.arrived(wire.typeOf(message));
    }
  } catch {
    // The peer went away abruptly: the end of this connection, not of the service.
  } finally {
    served--;
  }
}

async function acceptLoop(service: Svc<unknown, unknown>, mode: ServerMode): Promise<void> {
  for (;;) {
    let clt: Clt<unknown, unknown>;
    try {
      clt = await service.accept();
    } catch {
      return; // the service closed
    }
    void serveConnection(clt, mode);
  }
}

async function poolLoop(service: Svc<unknown, unknown>, mode: ServerMode): Promise<void> {
  for (;;) {
    let received;
    try {
      received = await service.recvFrom();
    } catch {
      continue; // a connection ended with an error; the others go on
    }
    if (received === undefined) return; // the service closed
    if (mode === 'echo') {
      try {
        service.sendTo(received.conId, wire.reply(received.message));
      } catch {
        // that connection is closing
      }
    } else {
      counter.arrived(wire.typeOf(received.message));
    }
  }
}

function open(): number {
  if (svc === undefined) return 0;
  return serve === 'accept' ? served : svc.size;
}

serveCommands({
  listen: async ({ listen, mode, maxConnections, backlog }: { listen: ListenSpec; mode: ServerMode; maxConnections: number; backlog: number }): Promise<ServerAddress> => {
    const address = listen.transport === 'unix' ? { path: listen.path } : { host: listen.host, port: 0 };
    const onMessage =
      serve !== 'onmessage'
        ? undefined
        : (message: unknown, conId: ConId) => {
            if (mode === 'sink') counter.arrived(wire.typeOf(message));
            else svc?.sendTo(conId, wire.reply(message));
          };
    const service = await Svc.bind<unknown, unknown>(address, { codec: wire.codec, maxConnections, backlog, autoPool: serve !== 'accept', onMessage });
    svc = service;
    void (serve === 'accept' ? acceptLoop(service, mode) : serve === 'pool' ? poolLoop(service, mode) : undefined);
    return listen.transport === 'unix' ? { transport: 'unix', path: listen.path } : { transport: 'tcp', host: listen.host, port: service.port };
  },
  connections: open,
  'wait-connections': async ({ count }: { count: number }): Promise<number> => {
    // The Svc has no event for "a connection was taken": poll.
    while (open() < count) await new Promise((resolve) => setTimeout(resolve, 10));
    return open();
  },
  expect: ({ count }: { count: number }): void => counter.expect(count),
  'await-messages': () => counter.wait(),
  close: async (): Promise<void> => {
    const service = svc;
    svc = undefined;
    await service?.close();
  },
});
