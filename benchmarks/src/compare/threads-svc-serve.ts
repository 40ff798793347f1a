import { createInterface } from 'node:readline';
import * as asyncNet from '@net/async';
import type { ConId } from '@net/core';
import { bytesCodec, SvcThreads } from '@net/nonblocking';

/** What a service row's service reports of its measured part: its process's CPU and the messages it echoed. */
export interface ServiceCpu {
  /** CPU seconds of the whole service process (every thread) over the measured part. */
  readonly cpuSeconds: number;
  /** Messages echoed over the same part. */
  readonly messages: number;
  /** Wall seconds of that part. */
  readonly seconds: number;
}

/** How often the service samples its count and CPU: the measured part's edges are this coarse. */
const SAMPLE_MS = 5;

/** A sample of the service's count, its process's CPU and the time. */
interface Sample {
  readonly messages: number;
  readonly cpu: NodeJS.CpuUsage;
  readonly at: number;
}

/**
 * Serves the echo of the service rows on a free port: a `SvcThreads` on `threads` service
 * threads (the handler module beside this file), or with `threads` 0 a one-thread `@net/async`
 * Svc, what a user has without threads. Prints `ready PORT`; its measured part begins once it
 * echoed `warmup` messages and ends at its last echo. A line `report` on its input prints that
 * part's {@link ServiceCpu} as one JSON line.
 */
export async function serveEcho(threads: number, connections: number, warmup: number): Promise<void> {
  const maxConnections = connections + 10;
  let echoed = 0;
  let messages: () => number;
  if (threads > 0) {
    const svc = await SvcThreads.bind('127.0.0.1:0', {
      threads,
      handler: new URL('./threads-svc-handler.js', import.meta.url),
      maxConnections,
    });
    messages = () => svc.stats().reduce((sum, thread) => sum + thread.messages, 0);
    console.log(`ready ${svc.port}`);
  } else {
    let echo: (message: unknown, conId: ConId) => void = () => undefined;
    const svc = await asyncNet.Svc.bind<Uint8Array, Uint8Array>('127.0.0.1:0', {
      codec: bytesCodec({ copy: false }),
      maxConnections,
      autoPool: true,
      onMessage: (message, conId) => echo(message, conId),
    });
    // sendTo encodes at once, so the borrowed view is echoed as it is.
    echo = (message, conId) => {
      echoed++;
      svc.sendTo(conId, message as Uint8Array);
    };
    messages = () => echoed;
    console.log(`ready ${svc.port}`);
  }
  let first: Sample | undefined;
  let last: Sample | undefined;
  // Sampled on a timer, not per message: the echo's path stays as a user's would be.
  setInterval(() => {
    const n = messages();
    if (n < warmup || n === last?.messages) return;
    const sample = { messages: n, cpu: process.cpuUsage(), at: performance.now() };
    first ??= sample;
    last = sample;
  }, SAMPLE_MS);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== 'report') continue;
    // No sample past the warm-up (a run that never got there) reports an empty part.
    const report: ServiceCpu =
      first === undefined || last === undefined
        ? { cpuSeconds: 0, messages: 0, seconds: 0 }
        : {
            cpuSeconds: cpuOf(last.cpu) - cpuOf(first.cpu),
            messages: last.messages - first.messages,
            seconds: (last.at - first.at) / 1e3,
          };
    console.log(JSON.stringify(report));
  }
}

function cpuOf(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}
