import { bytesCodec, Clt, Svc, WOULD_BLOCK } from '@net/nonblocking';

/**
 * The cost of a non-blocking service pool with many idle connections and one busy one. An empty
 * poll of a socket is a system call of a microsecond or two, so a pool
 * that polled every idle connection on every pass would pay that per idle connection per message.
 * The pool hands idle connections to the broker thread to watch; this measures the time per
 * message received from the busy connection with that on (the default) and off, in one run.
 * Options: --idle N (default 1,000), --messages N (default 20,000), --quick.
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const quick = args.includes('--quick');
const idle = option('--idle', quick ? 100 : 1_000);
const messages = option('--messages', quick ? 2_000 : 20_000);
const codec = bytesCodec({ copy: false });
const body = new Uint8Array(128).fill(1);

function measure(watchAfter: number): { usPerMessage: number; watched: number } {
  const svc = Svc.bind<Uint8Array, Uint8Array>('127.0.0.1:0', { codec, maxConnections: idle + 2, idlePollsBeforeWatch: watchAfter });
  const clients: Clt<Uint8Array, Uint8Array>[] = [];
  try {
    for (let i = 0; i <= idle; i++) {
      clients.push(Clt.connect<Uint8Array, Uint8Array>({ port: svc.port }, { codec }));
      if (svc.acceptIntoPoolBusywaitTimeout(5_000) === WOULD_BLOCK) throw new Error('not accepted');
    }
    // Let the pool find out which connections are idle before the clock starts.
    for (let pass = 0; pass < Math.min(watchAfter, 200) + 2; pass++) svc.recv();
    const busy = clients[idle]!;
    const started = process.hrtime.bigint();
    for (let i = 0; i < messages; i++) {
      busy.sendBusywait(body);
      const got = svc.recvBusywaitTimeout(5_000);
      if (got === WOULD_BLOCK) throw new Error('lost a message');
    }
    const elapsed = Number(process.hrtime.bigint() - started) / 1e3;
    const watched = (svc as unknown as { _service: { pool: { watchedCount: number } } })._service.pool.watchedCount;
    return { usPerMessage: elapsed / messages, watched };
  } finally {
    for (const clt of clients) clt.close();
    svc.close();
  }
}

const withWatch = measure(64);
const withoutWatch = measure(Number.MAX_SAFE_INTEGER);
console.log(`non-blocking pool: ${idle.toLocaleString('en-US')} idle connections and one busy one, ${messages.toLocaleString('en-US')} messages of 128 bytes, one process`);
console.log(`  idle connections watched by the broker  ${withWatch.usPerMessage.toFixed(2).padStart(9)} µs per message (${withWatch.watched} watched)`);
console.log(`  every connection polled on every pass   ${withoutWatch.usPerMessage.toFixed(2).padStart(9)} µs per message (${withoutWatch.watched} watched)`);
console.log(`  ratio                                   ${(withoutWatch.usPerMessage / withWatch.usPerMessage).toFixed(1).padStart(9)}x`);
