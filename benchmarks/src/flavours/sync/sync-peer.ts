import { createHistogram } from 'node:perf_hooks';
import * as blocking from '@net/blocking';
import * as nonblocking from '@net/nonblocking';

/**
 * One side of the synchronous-flavour ping-pong, run as its own process:
 *   sync-peer server nonblocking|blocking        echoes 128-byte frames; prints "ready PORT"
 *   sync-peer client nonblocking|blocking PORT COUNT WARMUP   prints one JSON line of results
 *     (for nonblocking, `ioPath` says whether its non-blocking I/O went through WASI or fs)
 * Frames are a u32 big-endian length and the body, the same as the C baseline's, so any client
 * can face any server.
 */
const [role, flavour, portText, countText, warmupText] = process.argv.slice(2);
const codec = nonblocking.bytesCodec({ copy: false });

function serve(): void {
  if (flavour === 'nonblocking') {
    const svc = nonblocking.Svc.bind<Uint8Array, Uint8Array>('127.0.0.1:0', { codec });
    console.log(`ready ${svc.port}`);
    const peer = svc.acceptBusywait();
    if (typeof peer === 'symbol') process.exit(1);
    for (;;) {
      const message = peer.recvBusywait();
      if (message === nonblocking.END_OF_STREAM) break;
      peer.sendBusywait(message);
    }
    svc.close();
  } else {
    const svc = blocking.Svc.bind<Uint8Array, Uint8Array>('127.0.0.1:0', { codec });
    console.log(`ready ${svc.port}`);
    const peer = svc.accept();
    for (let message = peer.recv(); message !== undefined; message = peer.recv()) peer.send(message);
    svc.close();
  }
  const cpu = process.cpuUsage();
  process.stderr.write(`server cpu ${((cpu.user + cpu.system) / 1e6).toFixed(3)}\n`);
}

function run(): void {
  const port = Number(portText);
  const count = Number(countText);
  const warmup = Number(warmupText);
  const body = new Uint8Array(128).fill(0x50);
  const histogram = createHistogram();
  let cpuStart = process.cpuUsage();
  let ioPath: string | undefined;
  if (flavour === 'nonblocking') {
    const clt = nonblocking.Clt.connect<Uint8Array, Uint8Array>({ port }, { codec });
    ioPath = clt.connection.ioPath;
    for (let i = -warmup; i < count; i++) {
      if (i === 0) cpuStart = process.cpuUsage();
      const started = process.hrtime.bigint();
      clt.sendBusywait(body);
      const reply = clt.recvBusywait();
      if (i >= 0) histogram.record(Number(process.hrtime.bigint() - started));
      if (reply === nonblocking.END_OF_STREAM || reply.length !== 128) throw new Error('bad reply');
    }
    clt.close();
  } else {
    const clt = blocking.Clt.connect<Uint8Array, Uint8Array>({ port }, { codec });
    for (let i = -warmup; i < count; i++) {
      if (i === 0) cpuStart = process.cpuUsage();
      const started = process.hrtime.bigint();
      clt.send(body);
      const reply = clt.recv();
      if (i >= 0) histogram.record(Number(process.hrtime.bigint() - started));
      if (reply === undefined || reply.length !== 128) throw new Error('bad reply');
    }
    clt.close();
  }
  const cpu = process.cpuUsage(cpuStart);
  const us = (ns: number) => Number((ns / 1e3).toFixed(2));
  console.log(
    JSON.stringify({
      p50: us(histogram.percentile(50)),
      p99: us(histogram.percentile(99)),
      p999: us(histogram.percentile(99.9)),
      max: us(histogram.max),
      count,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      ioPath,
    }),
  );
}

if (role === 'server') serve();
else run();
