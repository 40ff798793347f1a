import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import * as blocking from '@net/blocking';
import * as nonblocking from '@net/nonblocking';
import { body, type ClientResult, ECHOED } from './protocol.js';
import { roundTripRecorder, sameThreadRoundTrips } from './threads-roundtrip-loop.js';
import { wireCodec } from './wire-codec.js';

/** How a round-trip row of the threads suite takes its replies. */
export type RoundTripWay = 'same-thread' | 'worker-spin' | 'worker-park';

/** What one round-trip run is asked to do. */
export interface RoundTripJob {
  readonly way: RoundTripWay;
  readonly port: number;
  readonly size: number;
  readonly count: number;
  readonly warmup: number;
  readonly budgetMs: number;
}

/** What the receiving worker is given: the adopted half, and where it counts the replies. */
export interface ReceiverJob {
  readonly role: 'receiver';
  readonly park: boolean;
  readonly half: nonblocking.HalfTransfer;
  readonly arrived: SharedArrayBuffer;
  readonly total: number;
}

const codec = () => wireCodec('bytes');
/** The word of `arrived` that tells the worker to stop. */
const STOP = 1;
/** How often a worker waiting for a reply looks at its stop word. */
const STOP_CHECK_MS = 100;
/** A loaded machine can take seconds to start the thread a first connect needs. */
export const CONNECT_MS = 30_000;

/**
 * Round trips of one `@net/nonblocking` client: on its own thread (send, then spin on the
 * receive), or with its receiver moved to a worker that counts each reply's arrival in an
 * `Int32Array` the sending thread watches, spinning (`worker-spin`: the worker spins in its
 * receive, this thread on the count) or parked (`worker-park`: the worker parks at once in
 * `@net/blocking`'s receive, this thread in `Atomics.wait` until the worker's `Atomics.notify`). The only difference
 * between the rows is the handoff of the reply's arrival across threads.
 */
export async function runRoundTrips(job: RoundTripJob, program: URL): Promise<ClientResult> {
  const clt = nonblocking.Clt.connect<unknown, unknown>(
    { host: '127.0.0.1', port: job.port },
    { codec: codec(), idleStrategy: 'spin', timeout: CONNECT_MS },
  );
  const message = body(job.size, ECHOED);
  const recorder = roundTripRecorder(job);
  if (job.way === 'same-thread') {
    const result = sameThreadRoundTrips(job, recorder, () => {
      clt.sendBusywait(message);
      clt.recvBusywait();
    });
    clt.close();
    return result;
  }
  const { sender, receiver } = clt.split();
  const arrived = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const half = receiver.transfer();
  const total = job.warmup + job.count;
  const receiverJob: ReceiverJob = {
    role: 'receiver',
    park: job.way === 'worker-park',
    half,
    arrived: arrived.buffer,
    total,
  };
  const worker = new Worker(program, { workerData: receiverJob, transferList: [...half.transferList] });
  const exited = once(worker, 'exit');
  // This thread spins or parks without turning its event loop: a failed worker ends the run.
  worker.once('error', (error) => {
    console.error(error);
    process.exit(1);
  });
  // The worker says when it has adopted the half: nothing is sent before.
  await once(worker, 'message');
  const warmUntil = performance.now() + job.budgetMs;
  let sent = 0;
  for (let i = -job.warmup; i < job.count; i++) {
    recorder.beginRoundTrip(i);
    sender.sendBusywait(message);
    const expected = ++sent;
    if (receiverJob.park) {
      while (Atomics.load(arrived, 0) < expected) Atomics.wait(arrived, 0, expected - 1, 1_000);
    } else {
      while (Atomics.load(arrived, 0) < expected);
    }
    recorder.endRoundTrip(i);
    if (i >= 0 && recorder.expired()) break;
    // A warm-up past the time budget (a loaded machine) ends early too: the measured part begins.
    if (i < -1 && performance.now() > warmUntil) i = -1;
  }
  const result = recorder.result();
  // A run the time budget shortened leaves the worker waiting for replies that never come: it is
  // told to stop (its receives are bounded), not terminated, as a thread inside a C-library call
  // may not end at terminate().
  if (sent < total) Atomics.store(arrived, STOP, 1);
  await exited;
  sender.close();
  clt.close();
  return result;
}

/**
 * The worker's side: receives `total` replies, counting each in `arrived` (and waking a parked
 * sender), until the sender tells it to stop.
 */
export function receiveReplies(job: ReceiverJob, ready: () => void): void {
  const arrived = new Int32Array(job.arrived);
  const options = { codec: codec() };
  const recv = job.park
    ? (() => {
        // No spin before the park: the row is the parked handoff, each reply one wake-up of this
        // worker and one of the sender, against the same-thread row's one.
        const receiver = blocking.CltReceiver.adopt<unknown, unknown>(job.half, { ...options, recvSpinMicros: 0 });
        return {
          next: () => receiver.tryRecv({ timeout: STOP_CHECK_MS }) !== blocking.WOULD_BLOCK,
          close: () => receiver.close(),
        };
      })()
    : (() => {
        const receiver = nonblocking.CltReceiver.adopt<unknown, unknown>(job.half, options);
        return {
          next: () => receiver.recvBusywaitTimeout(STOP_CHECK_MS) !== nonblocking.WOULD_BLOCK,
          close: () => receiver.close(),
        };
      })();
  ready();
  for (let n = 1; n <= job.total && Atomics.load(arrived, STOP) === 0;) {
    if (!recv.next()) continue;
    Atomics.store(arrived, 0, n++);
    if (job.park) Atomics.notify(arrived, 0);
  }
  recv.close();
}
