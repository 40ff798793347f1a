// Heartbeats of a polled connection while its consumer thread is busy: a worker connects a client
// whose protocol beats every interval, hands its receiver to a PollerThread, and then spends
// 20 ms at a time computing, taking what its inbox has between bursts. The peer, a node:net server
// on this thread (whose event loop is free), times each beat it gets and sends a frame of its own
// every interval so that its silence check stays quiet. The comparison's threads suite has the
// same run as a row, with the peer in a process of its own (`compare/threads-heartbeat.ts`). Not
// part of any test run (no timing is asserted anywhere); run it with
// `pnpm --filter @net/benchmarks bench:poller-heartbeat [seconds] [interval ms]`.
import { once } from 'node:events';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  type BusyBeatSettings,
  type BusyConsumerResult,
  consumeBusy,
  startBeatPeer,
} from '../compare/busy-heartbeat.js';

interface Job {
  readonly port: number;
  readonly settings: BusyBeatSettings;
}

if (isMainThread) {
  const seconds = Number(process.argv[2] ?? 5);
  const intervalMs = Number(process.argv[3] ?? 100);
  const settings: BusyBeatSettings = { intervalMs, silenceIntervals: 3, burstMs: 20, busyMs: seconds * 1000 };
  const peer = await startBeatPeer(settings);
  const worker = new Worker(new URL(import.meta.url), { workerData: { port: peer.port, settings } satisfies Job });
  const [result] = (await once(worker, 'message')) as [BusyConsumerResult];
  const summary = await peer.done;
  peer.stop();
  console.log(
    `${seconds} s, heartbeat every ${intervalMs} ms, consumer busy in ${settings.burstMs} ms bursts (${process.version})`,
  );
  console.log(`beats received by the peer   ${summary.beats} of ${summary.expected}`);
  console.log(`largest gap between beats    ${summary.largestGap.toFixed(2)} intervals`);
  console.log(`beats late by over 1 interval ${summary.late}`);
  console.log(`peer frames the consumer got ${result.received}`);
  console.log(`peer-silence fired           ${result.silent || summary.silenceFired ? 'yes' : 'no'}`);
} else {
  const job = workerData as Job;
  parentPort!.postMessage(consumeBusy(job.port, job.settings));
}
