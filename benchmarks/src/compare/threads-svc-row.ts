import { runManyClients } from './threads-svc-clients.js';
import { serveEcho } from './threads-svc-serve.js';

/**
 * One process of the threads suite's service rows:
 *   threads-svc-row serve THREADS CONNECTIONS WARMUP       prints "ready PORT"; "report" on its input prints one JSON line
 *   threads-svc-row clients PORT SIZE CONNECTIONS COUNT WARMUP BUDGET_MS    prints one JSON line
 * THREADS is the `SvcThreads` service's thread count, or 0 for a one-thread `@net/async` Svc.
 */
const [role, ...args] = process.argv.slice(2);
const numbers = args.map(Number);

if (role === 'serve') {
  const [threads, connections, warmup] = numbers;
  await serveEcho(threads, connections, warmup);
} else if (role === 'clients') {
  const [port, size, connections, count, warmup, budgetMs] = numbers;
  console.log(JSON.stringify(await runManyClients({ port, size, connections, count, warmup, budgetMs })));
  process.exit(0);
} else {
  throw new Error(`unknown role ${String(role)}`);
}
