import { rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import * as asyncFlavour from '@net/async';
import * as blocking from '@net/blocking';
import * as nonblocking from '@net/nonblocking';
import { LengthPrefixParser } from '../flavours/raw/length-prefix.js';
import { bytesFor, type NodeSubject, STREAMED, type Transport } from './protocol.js';

/**
 * The server side of every Node subject of the comparison, one connection-serving loop each: frames
 * are echoed, except stream frames (body starting with 'S'), which are only counted. It prints
 * `ready ADDRESS` once it listens and runs until the harness ends it.
 */
export async function serve(subject: NodeSubject, transport: Transport, address: string): Promise<void> {
  switch (subject) {
    case 'async':
      return serveAsync(transport, address);
    case 'nonblocking':
      return serveNonblocking(address);
    case 'blocking':
      return serveBlocking(address);
    case 'raw':
      return serveRaw(transport, address);
    case 'zeromq':
      return serveZeromq(transport, address);
  }
}

const codec = () => nonblocking.bytesCodec({ copy: false });

function ready(port: number | string): void {
  console.log(`ready ${port}`);
}

async function serveAsync(transport: Transport, address: string): Promise<void> {
  const svc = await asyncFlavour.Svc.bind<Uint8Array, Uint8Array>(address, { codec: codec(), maxConnections: 2_000 });
  ready(transport === 'tcp' ? svc.port : address);
  for (;;) {
    const peer = await svc.accept();
    void (async () => {
      for (let body = await peer.recv(); body !== undefined; body = await peer.recv()) if (body[0] !== STREAMED) peer.send(bytesFor(body));
    })().catch(() => undefined);
  }
}

function serveNonblocking(address: string): void {
  const svc = nonblocking.Svc.bind<Uint8Array, Uint8Array>(address, { codec: codec() });
  ready(svc.port === 0 ? address : svc.port);
  const peer = svc.acceptBusywait();
  if (typeof peer === 'symbol') return;
  for (;;) {
    const body = peer.recvBusywait();
    if (body === nonblocking.END_OF_STREAM) break;
    if (body[0] !== STREAMED) peer.sendBusywait(body);
  }
}

function serveBlocking(address: string): void {
  const svc = blocking.Svc.bind<Uint8Array, Uint8Array>(address, { codec: codec() });
  ready(svc.port === 0 ? address : svc.port);
  const peer = svc.accept();
  for (let body = peer.recv(); body !== undefined; body = peer.recv()) if (body[0] !== STREAMED) peer.send(body);
}

function serveRaw(transport: Transport, address: string): Promise<void> {
  const server = createServer((socket: Socket) => {
    socket.setNoDelay(true);
    const parser = new LengthPrefixParser((body) => {
      if (body[0] === STREAMED) return;
      const frame = Buffer.allocUnsafe(4 + body.length);
      frame.writeUInt32BE(body.length, 0);
      body.copy(frame, 4);
      socket.write(frame);
    });
    socket.on('data', (chunk: Buffer) => parser.push(chunk));
    socket.on('error', () => socket.destroy());
  });
  return new Promise((resolve) => {
    const onListening = () => {
      const bound = server.address();
      ready(typeof bound === 'object' && bound !== null ? bound.port : address);
      resolve();
    };
    if (transport === 'unix') {
      rmSync(address, { force: true });
      server.listen(address, onListening);
    } else {
      const [host, port] = address.split(':');
      server.listen(Number(port), host, onListening);
    }
  });
}

async function serveZeromq(transport: Transport, address: string): Promise<void> {
  const zmq = await import('zeromq');
  const reply = new zmq.Reply();
  const pull = new zmq.Pull();
  const endpoint = (suffix: string) => (transport === 'tcp' ? 'tcp://127.0.0.1:*' : `ipc://${address}${suffix}`);
  await reply.bind(endpoint('.rep'));
  await pull.bind(endpoint('.pull'));
  ready(`${reply.lastEndpoint},${pull.lastEndpoint}`);
  // The stream's last frame ('P') arrives on the pull socket; the client then asks on the reply
  // socket ('D'), which answers once that frame is in.
  let streamDone: () => void = () => undefined;
  let whenStreamDone = new Promise<void>((resolve) => (streamDone = resolve));
  void (async () => {
    for await (const [frame] of pull) {
      if (frame![0] !== STREAMED) {
        streamDone();
      }
    }
  })();
  for await (const [frame] of reply) {
    if (frame![0] === 0x44) {
      await whenStreamDone;
      whenStreamDone = new Promise<void>((resolve) => (streamDone = resolve));
    }
    await reply.send(frame!);
  }
}
