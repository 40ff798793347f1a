// Heartbeats of a polled connection while its consumer thread is busy: a worker connects a client
// whose protocol beats every INTERVAL_MS, hands its receiver to a PollerThread, and then spends
// BURST_MS at a time computing, taking what its inbox has between bursts. The peer, a node:net
// server on this thread (whose event loop is free), times each beat it gets and sends a frame of
// its own every interval so that its silence check stays quiet. It prints the largest gap between
// beats, in intervals, and whether the consumer saw NET_ERR_PEER_SILENT. Not part of any test run
// (no timing is asserted anywhere); run it with
// `pnpm --filter @net/benchmarks bench:poller-heartbeat [seconds]`.
import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  Clt,
  ErrorCode,
  InboxReceiver,
  jsonCodec,
  NetError,
  PollerThread,
  type Protocol,
  WOULD_BLOCK,
} from '@net/nonblocking';

type Msg = { hb?: 1; n?: number };
const INTERVAL_MS = 50;
const BURST_MS = 20;
const BEAT = '{"hb":1}';

interface Job {
  readonly port: number;
  readonly seconds: number;
}

/** The consumer thread: busy in bursts, draining its inbox between them; true when the peer was reported silent. */
function consume(job: Job): { silent: boolean; received: number } {
  const protocol: Protocol<Msg, Msg> = {
    heartbeatInterval: INTERVAL_MS,
    peerSilenceIntervals: 3,
    sendHeartbeat: (sender) => sender.send({ hb: 1 }),
  };
  const clt = Clt.connect<Msg, Msg>({ port: job.port }, { codec: jsonCodec<Msg>(), protocol });
  const poller = PollerThread.start();
  const inbox = InboxReceiver.attach<Msg>(poller.add(clt.split().receiver, { framer: jsonCodec().framer }), {
    codec: jsonCodec<Msg>(),
  });
  let silent = false;
  let received = 0;
  const end = performance.now() + job.seconds * 1000;
  while (!silent && performance.now() < end) {
    // Busy: no receive, no send, no timer runs on this thread for a whole burst.
    for (const burstEnd = performance.now() + BURST_MS; performance.now() < burstEnd;);
    try {
      while (inbox.recv() !== WOULD_BLOCK) received++;
    } catch (error) {
      if (!(NetError.isNetError(error) && error.code === ErrorCode.PEER_SILENT)) throw error;
      silent = true;
    }
  }
  inbox.close();
  poller.close();
  clt.close();
  return { silent, received };
}

/** The peer: times the beats of its one connection, and talks every interval itself. */
async function peer(): Promise<{ port: number; gaps: () => { beats: number; largestMs: number }; stop: () => void }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  let beats = 0;
  let last = -1;
  let largestMs = 0;
  let socket: Socket | undefined;
  let timer: NodeJS.Timeout | undefined;
  server.once('connection', (accepted: Socket) => {
    socket = accepted;
    let pending = '';
    accepted.setEncoding('utf8');
    accepted.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      const now = performance.now();
      for (const line of lines) {
        if (line !== BEAT) continue;
        if (last >= 0) largestMs = Math.max(largestMs, now - last);
        last = now;
        beats++;
      }
    });
    accepted.on('error', () => undefined);
    let n = 0;
    timer = setInterval(() => accepted.write(`{"n":${n++}}\n`), INTERVAL_MS);
  });
  return {
    port: (server.address() as AddressInfo).port,
    gaps: () => ({ beats, largestMs }),
    stop: () => {
      clearInterval(timer);
      socket?.destroy();
      server.close();
    },
  };
}

if (isMainThread) {
  const seconds = Number(process.argv[2] ?? 5);
  const { port, gaps, stop } = await peer();
  const worker = new Worker(new URL(import.meta.url), { workerData: { port, seconds } satisfies Job });
  const [result] = (await once(worker, 'message')) as [{ silent: boolean; received: number }];
  const { beats, largestMs } = gaps();
  stop();
  console.log(
    `${seconds} s, heartbeat every ${INTERVAL_MS} ms, consumer busy in ${BURST_MS} ms bursts (${process.version})`,
  );
  console.log(`beats received by the peer   ${beats}`);
  console.log(
    `largest gap between beats    ${(largestMs / INTERVAL_MS).toFixed(2)} intervals (${Math.round(largestMs)} ms)`,
  );
  console.log(`peer frames the consumer got ${result.received}`);
  console.log(`peer-silence fired           ${result.silent ? 'yes' : 'no'}`);
} else {
  parentPort!.postMessage(consume(workerData as Job));
}
