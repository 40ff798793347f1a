import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type Case, caseLabel, type Depth } from './cases.js';
import { clientResult } from './client-failure.js';
import { attemptRow } from './row-attempts.js';
import type { ClientResult } from './protocol.js';
import type { Results } from './results.js';
import type { ServiceCpu } from './threads-svc-serve.js';

/** One service row: the service a many-connection load runs against. */
export interface ServiceRow {
  /** The name in tables, goals and the results file. */
  readonly name: string;
  /** `SvcThreads` service threads, or 0 for a one-thread `@net/async` Svc. */
  readonly threads: number;
}

/** The baseline: what a user has without threads. */
export const SVC_ASYNC = '@net/async Svc, one thread';
/** `SvcThreads` on one service thread. */
export const SVC_THREADS_1 = 'SvcThreads, threads: 1';
/** `SvcThreads` on two service threads. */
export const SVC_THREADS_2 = 'SvcThreads, threads: 2';

/** The rows, in table order. */
export const SERVICE_ROWS: readonly ServiceRow[] = [
  { name: SVC_ASYNC, threads: 0 },
  { name: SVC_THREADS_1, threads: 1 },
  { name: SVC_THREADS_2, threads: 2 },
];

/** Connections of the load, each with one message in flight. */
export const SERVICE_CONNECTIONS = 64;
/** The service process's CPU per message echoed, in µs, over its measured part. */
export const SERVICE_CPU = 'service_cpu_per_message';
/** The service process's CPU seconds per wall second over its measured part: cores it kept busy. */
export const SERVICE_CORES = 'service_cores';

/** The rows' case: 128-byte round trips on {@link SERVICE_CONNECTIONS} connections at once. */
export function serviceCase(depth: Depth, budgetMs: number): Case {
  const scale = depth === 'quick' ? 0.02 : depth === 'full' ? 3 : 1;
  const n = (count: number) => Math.max(SERVICE_CONNECTIONS * 4, Math.round(count * scale));
  return {
    suite: 'threads',
    mode: 'pingpong',
    transport: 'tcp',
    size: 128,
    rate: 0,
    codec: 'bytes',
    connections: SERVICE_CONNECTIONS,
    idle: 0,
    count: n(100_000),
    warmup: n(10_000),
    budgetMs,
  };
}

/** A row's client gets this long before it is called hung. */
const ROW_LIMIT_MS = 180_000;
/** How long the service gets to answer `report` once the client is done. */
const REPORT_MS = 10_000;
/** The program of the rows' processes, beside this file. */
const PROGRAM = fileURLToPath(new URL('./threads-svc-row.js', import.meta.url));

/**
 * Runs every service row on `c`: the service in a process of its own, the client (one event-loop
 * process with every connection) in another; the client's figures and the service's CPU go into
 * `results`. Progress goes to stderr.
 */
export async function runServiceRows(c: Case, runtime: string, results: Results): Promise<void> {
  for (const row of SERVICE_ROWS) {
    const label = `threads service x${c.connections}: ${row.name}`;
    const started = performance.now();
    await attemptRow(results, row.name, label, async () => {
      const { client, service } = await runRow(row, c, runtime);
      results.add(row.name, c, client, c.count);
      addServiceCpu(results, row.name, c, service);
      return `done in ${((performance.now() - started) / 1000).toFixed(1)} s`;
    });
  }
}

/** Records the service's CPU per message and the cores it kept busy; nothing for an empty part. */
export function addServiceCpu(results: Results, subject: string, c: Case, service: ServiceCpu): void {
  if (service.messages <= 0 || service.seconds <= 0) return;
  const figure = { suite: c.suite, subject, case: caseLabel(c) } as const;
  results.figures.push({
    ...figure,
    metric: SERVICE_CPU,
    value: (service.cpuSeconds / service.messages) * 1e6,
    unit: 'µs',
  });
  results.figures.push({
    ...figure,
    metric: SERVICE_CORES,
    value: service.cpuSeconds / service.seconds,
    unit: 'cores',
  });
}

async function runRow(
  row: ServiceRow,
  c: Case,
  runtime: string,
): Promise<{ client: ClientResult; service: ServiceCpu }> {
  const serveArgs = [PROGRAM, 'serve', String(row.threads), String(c.connections), String(c.warmup)];
  const server = spawn(runtime, serveArgs, { stdio: ['pipe', 'pipe', 'ignore'] });
  server.stdin.on('error', () => undefined);
  const lines = createInterface({ input: server.stdout })[Symbol.asyncIterator]();
  let client: ChildProcess | undefined;
  try {
    const ready = await nextLine(lines, 'the service exited before it was ready');
    const port = ready.split(' ')[1] ?? '';
    const counts = [c.size, c.connections, c.count, c.warmup, c.budgetMs].map(String);
    client = spawn(runtime, [PROGRAM, 'clients', port, ...counts], { stdio: ['ignore', 'pipe', 'pipe'] });
    const result = await clientResult(client, ROW_LIMIT_MS);
    server.stdin.write('report\n');
    const timer = setTimeout(() => server.kill('SIGKILL'), REPORT_MS);
    try {
      const report = await nextLine(lines, 'the service exited before its report');
      return { client: result, service: JSON.parse(report) as ServiceCpu };
    } finally {
      clearTimeout(timer);
    }
  } finally {
    client?.kill('SIGKILL');
    server.kill('SIGKILL');
  }
}

async function nextLine(lines: AsyncIterator<string>, ended: string): Promise<string> {
  const next = await lines.next();
  if (next.done === true) throw new Error(ended);
  return String(next.value);
}
