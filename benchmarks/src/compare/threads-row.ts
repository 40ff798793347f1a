import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { receiveReplies, type ReceiverJob, type RoundTripWay, runRoundTrips } from './threads-roundtrip.js';
import { PARKED_SAME_THREAD_WAY, runParkedRoundTrips } from './threads-roundtrip-parked.js';
import { relayFrames, type RelayJob, runStream, serveStream, type StreamWay } from './threads-stream.js';

/**
 * One process of the threads suite (and, started again as a worker, its second thread):
 *   threads-row source SIZE TOTAL                                   prints "ready PORT", streams TOTAL frames
 *   threads-row roundtrip WAY PORT SIZE COUNT WARMUP BUDGET_MS      prints one JSON line
 *   threads-row stream WAY PORT COUNT WARMUP BUDGET_MS              prints one JSON line
 * The round trips go to the comparison's `@net/blocking` echo server, parking with no spin; the stream comes from
 * the source.
 */
const program = new URL(import.meta.url);

if (!isMainThread) {
  const job = workerData as ReceiverJob | RelayJob;
  if (job.role === 'relay') relayFrames(job);
  else receiveReplies(job, () => parentPort!.postMessage('ready'));
} else {
  const [role, ...args] = process.argv.slice(2);
  const numbers = (from: number) => args.slice(from).map(Number);
  if (role === 'source') {
    const [size, total] = numbers(0);
    await serveStream(size, total);
  } else if (role === 'roundtrip') {
    const [port, size, count, warmup, budgetMs] = numbers(1);
    const way = args[0] as RoundTripWay | typeof PARKED_SAME_THREAD_WAY;
    const job = { port, size, count, warmup, budgetMs };
    const result =
      way === PARKED_SAME_THREAD_WAY ? runParkedRoundTrips(job) : await runRoundTrips({ ...job, way }, program);
    console.log(JSON.stringify(result));
    process.exit(0);
  } else if (role === 'stream') {
    const [port, count, warmup, budgetMs] = numbers(1);
    const way = args[0] as StreamWay;
    console.log(JSON.stringify(await runStream({ way, port, count, warmup, budgetMs }, program)));
    process.exit(0);
  } else {
    throw new Error(`unknown role ${String(role)}`);
  }
}
