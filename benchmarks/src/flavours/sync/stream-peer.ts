import * as asyncFlavour from '@net/async';
import * as blocking from '@net/blocking';
import * as nonblocking from '@net/nonblocking';

/**
 * One side of a one-way stream of 128-byte frames (u32 length prefix), run as its own process:
 *   stream-peer server nonblocking|blocking|async                 prints "ready PORT"
 *   stream-peer client nonblocking|blocking|async PORT COUNT      prints one JSON line
 * The same protocol as the C baseline: frames whose body starts with 'S' are counted, any other
 * frame is echoed, so the client ends its clock on the echo of one last frame sent after the
 * stream: every frame has then been read by the server. The synchronous clients write in batches
 * with `sendMany` (one system call per batch); the async client calls `send` per frame and lets
 * the flavour coalesce.
 */
const [role, flavour, portText, countText] = process.argv.slice(2);
const codec = nonblocking.bytesCodec({ copy: false });
const STREAMED = 0x53; // 'S'
const BATCH = 64;

function streamFrame(mark: number): Uint8Array {
  return new Uint8Array(128).fill(mark);
}

async function serve(): Promise<void> {
  if (flavour === 'async') {
    const svc = await asyncFlavour.Svc.bind<Uint8Array, Uint8Array>('127.0.0.1:0', { codec });
    console.log(`ready ${svc.port}`);
    const peer = await svc.accept();
    for (let message = await peer.recv(); message !== undefined; message = await peer.recv()) {
      if (message[0] !== STREAMED) peer.send(new Uint8Array(message));
    }
    await svc.close();
    return;
  }
  if (flavour === 'nonblocking') {
    const svc = nonblocking.Svc.bind<Uint8Array, Uint8Array>('127.0.0.1:0', { codec });
    console.log(`ready ${svc.port}`);
    const peer = svc.acceptBusywait();
    if (typeof peer === 'symbol') process.exit(1);
    for (;;) {
      const message = peer.recvBusywait();
      if (message === nonblocking.END_OF_STREAM) break;
      if (message[0] !== STREAMED) peer.sendBusywait(message);
    }
    svc.close();
    return;
  }
  const svc = blocking.Svc.bind<Uint8Array, Uint8Array>('127.0.0.1:0', { codec });
  console.log(`ready ${svc.port}`);
  const peer = svc.accept();
  for (let message = peer.recv(); message !== undefined; message = peer.recv()) if (message[0] !== STREAMED) peer.send(message);
  svc.close();
}

async function run(): Promise<void> {
  const port = Number(portText);
  const count = Number(countText);
  const body = streamFrame(STREAMED);
  const last = streamFrame(0x50);
  const batch: Uint8Array[] = Array.from({ length: BATCH }, () => body);
  // The clock starts once connected, as the C client's does.
  let cpuStart = process.cpuUsage();
  let started = process.hrtime.bigint();
  const start = () => {
    cpuStart = process.cpuUsage();
    started = process.hrtime.bigint();
  };
  if (flavour === 'async') {
    const clt = await asyncFlavour.Clt.connect<Uint8Array, Uint8Array>({ port }, { codec });
    start();
    for (let i = 0; i < count; i++) if (!clt.send(body)) await clt.drained();
    clt.send(last);
    if ((await clt.recv())?.[0] !== 0x50) throw new Error('bad echo');
    await clt.close();
  } else if (flavour === 'nonblocking') {
    const clt = nonblocking.Clt.connect<Uint8Array, Uint8Array>({ port }, { codec });
    start();
    for (let sent = 0; sent < count; sent += BATCH) clt.sendManyBusywait(count - sent >= BATCH ? batch : batch.slice(0, count - sent));
    clt.sendBusywait(last);
    const echo = clt.recvBusywait();
    if (echo === nonblocking.END_OF_STREAM || echo[0] !== 0x50) throw new Error('bad echo');
    clt.close();
  } else {
    const clt = blocking.Clt.connect<Uint8Array, Uint8Array>({ port }, { codec });
    start();
    for (let sent = 0; sent < count; sent += BATCH) clt.sendMany(count - sent >= BATCH ? batch : batch.slice(0, count - sent));
    clt.send(last);
    if (clt.recv()?.[0] !== 0x50) throw new Error('bad echo');
    clt.close();
  }
  const elapsedUs = Number(process.hrtime.bigint() - started) / 1e3;
  const cpu = process.cpuUsage(cpuStart);
  console.log(JSON.stringify({ elapsedUs, count, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
}

if (role === 'server') await serve();
else await run();
