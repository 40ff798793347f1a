import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import * as blocking from '@net/blocking';
import { HandshakeStep, jsonCodec, type Protocol } from '@net/core';
import * as nonblocking from '@net/nonblocking';

// A peer that sends its first data in the same write as its last handshake message: that data is
// the user's first message, in both synchronous flavours (whose handshakes read on their own). The
// raw peer runs in a thread of its own, since this thread spins or parks while it waits.
type Msg = { t: string };

const RAW_PEER = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const burst = workerData.burst;
if (workerData.role === 'server') {
  const server = net.createServer((socket) => {
    socket.once('data', () => socket.write(burst));
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
  parentPort.on('message', () => server.close(() => process.exit(0)));
} else {
  const socket = net.connect(workerData.port, '127.0.0.1', () => socket.write(burst));
  socket.on('error', () => {});
  parentPort.on('message', () => { socket.destroy(); process.exit(0); });
}
`;

const peers: Worker[] = [];
afterEach(async () => {
  for (const peer of peers.splice(0)) {
    peer.postMessage('stop');
    await peer.terminate();
  }
});

function rawPeer(data: object): Worker {
  const worker = new Worker(RAW_PEER, { eval: true, workerData: data });
  peers.push(worker);
  return worker;
}

// The deadline of these handshakes: their subject is what arrives with the handshake's end, not the
// deadline, and on a loaded machine starting the peer's thread alone can take seconds.
const handshakeTimeout = 60_000;

function login(first: string, reply: string): Protocol<Msg, Msg> {
  return {
    onConnect: (connection) => {
      if (first !== '') connection.send({ t: first });
    },
    onHandshakeRecv: (message, connection) => {
      if (reply !== '') connection.send({ t: reply });
      return message.t === 'hello' || message.t === 'welcome' ? HandshakeStep.Done : HandshakeStep.Continue;
    },
  };
}

/** One synchronous flavour: connect or accept with a login, and take the first message. */
interface SyncFlavour {
  firstFromService(port: number, protocol: Protocol<Msg, Msg>): unknown;
  firstFromClient(protocol: Protocol<Msg, Msg>, startPeer: (port: number) => void): unknown;
}

const flavours: Record<string, SyncFlavour> = {
  blocking: {
    firstFromService(port, protocol) {
      using clt = blocking.Clt.connect<Msg, Msg>({ port }, { codec: jsonCodec<Msg>(), protocol, handshakeTimeout });
      return clt.recv({ timeout: 10_000 });
    },
    firstFromClient(protocol, startPeer) {
      using svc = blocking.Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>(), protocol, handshakeTimeout });
      startPeer(svc.port);
      using accepted = svc.accept({ timeout: 10_000 });
      return accepted.recv({ timeout: 10_000 });
    },
  },
  nonblocking: {
    firstFromService(port, protocol) {
      using clt = nonblocking.Clt.connect<Msg, Msg>({ port }, { codec: jsonCodec<Msg>(), protocol, handshakeTimeout });
      return clt.recvBusywaitTimeout(10_000);
    },
    firstFromClient(protocol, startPeer) {
      using svc = nonblocking.Svc.bind<Msg, Msg>('127.0.0.1:0', {
        codec: jsonCodec<Msg>(),
        protocol,
        handshakeTimeout,
      });
      startPeer(svc.port);
      const accepted = svc.acceptBusywaitTimeout(10_000);
      if (typeof accepted === 'symbol') throw new Error(`not accepted: ${String(accepted)}`);
      using held = accepted;
      return held.recvBusywaitTimeout(10_000);
    },
  },
};

for (const [name, flavour] of Object.entries(flavours)) {
  describe(`${name}: data that arrives with the end of the handshake`, () => {
    it('is the client’s first message', async () => {
      const peer = rawPeer({ role: 'server', burst: '{"t":"welcome"}\n{"t":"data"}\n' });
      const port = await new Promise<number>((resolve) => peer.once('message', resolve));
      expect(flavour.firstFromService(port, login('hello', ''))).toEqual({ t: 'data' });
    });

    it('is the service’s first message from that connection', () => {
      const first = flavour.firstFromClient(login('', 'welcome'), (port) =>
        rawPeer({ role: 'client', port, burst: '{"t":"hello"}\n{"t":"data"}\n' }),
      );
      expect(first).toEqual({ t: 'data' });
    });
  });
}
