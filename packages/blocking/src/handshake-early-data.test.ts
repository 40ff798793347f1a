import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Clt, HandshakeStep, jsonCodec, type Protocol, Svc } from './index.js';

// A peer that sends its first data in the same write as its last handshake message. The raw peer
// runs in a thread of its own, since this thread parks while it waits.
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

describe('data that arrives with the end of the handshake', () => {
  it('is the client’s first message', async () => {
    const peer = rawPeer({ role: 'server', burst: '{"t":"welcome"}\n{"t":"data"}\n' });
    const port = await new Promise<number>((resolve) => peer.once('message', resolve));
    const clt = Clt.connect<Msg, Msg>({ port }, { codec: jsonCodec<Msg>(), protocol: login('hello', '') });
    try {
      expect(clt.recv({ timeout: 10_000 })).toEqual({ t: 'data' });
    } finally {
      clt.close();
    }
  });

  it('is the service’s first message from that connection', () => {
    const svc = Svc.bind<Msg, Msg>('127.0.0.1:0', { codec: jsonCodec<Msg>(), protocol: login('', 'welcome') });
    try {
      rawPeer({ role: 'client', port: svc.port, burst: '{"t":"hello"}\n{"t":"data"}\n' });
      const accepted = svc.accept({ timeout: 10_000 });
      expect(accepted.recv({ timeout: 10_000 })).toEqual({ t: 'data' });
      accepted.close();
    } finally {
      svc.close();
    }
  });
});
