import { once } from 'node:events';
import type { CltHandle } from '../adapter.js';
import type { Seq } from '../scenarios/helpers.js';
import { sendWindowed } from '../scenarios/messaging.js';
import type { HalfThread } from './half-thread-client.js';
import type { HalfAnswer } from './half-thread-wire.js';

/**
 * Terminates `worker` mid-stream: once it has taken 1,000 of the 2,000 messages `peer` sends and
 * waits for more (it asked for `count`, each receive bounded by `stepMs`). Resolves with the
 * answer its receive gave, after the worker exited.
 */
export async function terminateWhileReceiving(
  worker: HalfThread,
  peer: CltHandle<Seq, unknown>,
  who: string,
  count: number,
  stepMs: number,
): Promise<HalfAnswer> {
  // Bounded: on Node 26 a worker that loaded node:ffi does not always end at terminate() while a
  // receive waits; it ends at the latest when that receive times out.
  const receiving = worker.ask({ op: 'recvN', count, timeoutMs: stepMs, who, noticeAt: 1_000 });
  await Promise.all([worker.notice('progress'), sendWindowed(peer, 2_000)]);
  const exited = once(worker.worker, 'exit');
  await worker.worker.terminate();
  await exited;
  return receiving;
}
