import type { MessagePort, Worker } from 'node:worker_threads';
import type { Cleanups } from './cleanups.mjs';

/** Asks the half worker to do something; its answer (`ok`, and what the request returns). */
export type AskHalfWorker = (request: object, transfer?: readonly MessagePort[]) => Promise<Record<string, unknown>>;

/** Starts a half worker (see half-worker-host.mjs); terminated by `cleanups`. */
export function startHalfWorker(
  cleanups: Cleanups,
  script: URL,
  flavour: URL,
): Promise<{ worker: Worker; ask: AskHalfWorker }>;

/** Starts the half worker of the package whose test file is at `testUrl` (see half-worker-host.mjs). */
export function packageHalfWorker(
  cleanups: Cleanups,
  testUrl: string,
): () => Promise<{ worker: Worker; ask: AskHalfWorker }>;
