// Handoff between two workers: a producer stamps each message with the time it was sent, a
// consumer decodes it and records how long it took to arrive. Three ways in one run: a FrameInbox
// read by @net/nonblocking's InboxReceiver spinning (recvBusywait), by @net/blocking's parked in
// recv(), and the same messages by postMessage over a MessagePort. It prints p50/p99 latency and
// throughput of each, and each as a ratio to postMessage. Not part of any test run (no timing is
// asserted anywhere); run it with `pnpm --filter @net/benchmarks bench:inbox [count]`.
import { MessageChannel, type MessagePort, Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Codec, FrameSlice } from '@net/core';
import { InboxReceiver as ParkedReceiver } from '@net/blocking';
import { FrameInbox, InboxReceiver as SpinningReceiver, type SharedFrameInbox } from '@net/nonblocking';

type Way = 'spin' | 'park' | 'postMessage';
interface Job {
  readonly way: Way;
  readonly role: 'producer' | 'consumer';
  readonly count: number;
  readonly shared?: SharedFrameInbox;
  readonly port?: MessagePort;
}
interface Result {
  readonly way: Way;
  readonly p50: number;
  readonly p99: number;
  readonly perSecond: number;
}

const MESSAGE_BYTES = 16;
const now = () => performance.timeOrigin + performance.now();

// A message is its id and the time it was sent: what a typed consumer would decode.
interface Stamp {
  id: number;
  sentAt: number;
}
const stampCodec: Codec<never, Stamp> = {
  framer: undefined as never,
  encode: () => undefined,
  decode: (frame: FrameSlice) => ({
    id: frame.view.getUint32(frame.offset, true),
    sentAt: frame.view.getFloat64(frame.offset + 8, true),
  }),
};

function produce(job: Job): void {
  const bytes = new Uint8Array(MESSAGE_BYTES);
  const view = new DataView(bytes.buffer);
  if (job.way === 'postMessage') {
    for (let id = 0; id < job.count; id++) job.port!.postMessage({ id, sentAt: now() });
    job.port!.postMessage(null);
    return;
  }
  const producer = FrameInbox.attach(job.shared!, 'producer');
  for (let id = 0; id < job.count; id++) {
    view.setUint32(0, id, true);
    view.setFloat64(8, now(), true);
    producer.writeWait(bytes, 0, MESSAGE_BYTES, 60_000);
  }
  producer.close();
}

async function consume(job: Job): Promise<Result> {
  const latencies = new Float64Array(job.count);
  let received = 0;
  const started = now();
  if (job.way === 'postMessage') {
    await new Promise<void>((resolve) => {
      job.port!.on('message', (message: Stamp | null) => {
        if (message === null) return resolve();
        latencies[received++] = now() - message.sentAt;
      });
    });
    job.port!.close();
  } else if (job.way === 'spin') {
    const receiver = SpinningReceiver.attach(job.shared!, { codec: stampCodec });
    for (let m = receiver.recvBusywait(); m !== undefined; m = receiver.recvBusywait())
      latencies[received++] = now() - m.sentAt;
  } else {
    const receiver = ParkedReceiver.attach(job.shared!, { codec: stampCodec });
    for (const m of receiver) latencies[received++] = now() - m.sentAt;
  }
  const seconds = (now() - started) / 1000;
  const sorted = latencies.subarray(0, received).sort();
  const at = (q: number) => sorted[Math.min(received - 1, Math.floor(q * received))] * 1000;
  return { way: job.way, p50: at(0.5), p99: at(0.99), perSecond: received / seconds };
}

function start(job: Job, transfer: MessagePort[]): Promise<Result | undefined> {
  const worker = new Worker(new URL(import.meta.url), { workerData: job, transferList: transfer });
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

async function run(way: Way, count: number): Promise<Result> {
  if (way === 'postMessage') {
    const { port1, port2 } = new MessageChannel();
    const consumer = start({ way, role: 'consumer', count, port: port1 }, [port1]);
    await start({ way, role: 'producer', count, port: port2 }, [port2]);
    return (await consumer)!;
  }
  const inbox = new FrameInbox({ capacity: 1 << 16, maxFrameBytes: MESSAGE_BYTES });
  const consumer = start({ way, role: 'consumer', count, shared: inbox.share() }, []);
  await start({ way, role: 'producer', count, shared: inbox.share() }, []);
  return (await consumer)!;
}

if (isMainThread) {
  const count = Number(process.argv[2] ?? 200_000);
  const results = [];
  for (const way of ['postMessage', 'spin', 'park'] as const) results.push(await run(way, count));
  const base = results[0];
  console.log(`${count} messages of ${MESSAGE_BYTES} bytes, worker to worker (latency in µs)`);
  for (const r of results) {
    console.log(
      `${r.way.padEnd(12)} p50 ${r.p50.toFixed(1).padStart(8)} (x${(base.p50 / r.p50).toFixed(2)})` +
        `  p99 ${r.p99.toFixed(1).padStart(8)} (x${(base.p99 / r.p99).toFixed(2)})` +
        `  ${Math.round(r.perSecond).toString().padStart(9)}/s (x${(r.perSecond / base.perSecond).toFixed(2)})`,
    );
  }
} else {
  const job = workerData as Job;
  if (job.role === 'producer') {
    produce(job);
    parentPort!.postMessage(undefined);
  } else {
    parentPort!.postMessage(await consume(job));
  }
}
