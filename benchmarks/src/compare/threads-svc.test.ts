import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { caseLabel } from './cases.js';
import { renderGoals } from './goals.js';
import type { ClientResult } from './protocol.js';
import { Results } from './results.js';
import { runManyClients } from './threads-svc-clients.js';
import {
  addServiceCpu,
  SERVICE_CORES,
  SERVICE_CPU,
  serviceCase,
  SVC_ASYNC,
  SVC_THREADS_1,
  SVC_THREADS_2,
} from './threads-svc-rows.js';
import { judgeServiceGoals, serviceTables } from './threads-svc-tables.js';

// The service rows of the threads suite: their goals and table on figures written here (no
// machine's speed in them), and their client against an echo server on loopback.

const c = serviceCase('default', 3_000);
const row = (perSecond: number, p50: number): ClientResult => ({
  p50,
  p99: p50 * 4,
  count: perSecond,
  cpuSeconds: 0.5,
  elapsedUs: 1e6,
});

function resultsOf(rows: Partial<Record<string, ClientResult>>): Results {
  const results = new Results();
  for (const [name, result] of Object.entries(rows)) {
    results.add(name, c, result!, result!.count);
    addServiceCpu(results, name, c, { cpuSeconds: 1.5, messages: result!.count * 2, seconds: 2 });
  }
  return results;
}

describe('the service rows', () => {
  it('label their case with its connections, apart from the one-connection round trips', () => {
    expect(caseLabel(c)).toBe('tcp 128B x64 round trips');
    expect(caseLabel({ ...c, connections: 1 })).toBe('tcp 128B round trips');
    const quick = serviceCase('quick', 1_000);
    expect(quick.count).toBeGreaterThanOrEqual(quick.connections * 4);
    expect(quick.warmup).toBeGreaterThanOrEqual(quick.connections * 4);
  });

  it("record the service's CPU per message and the cores it kept busy, and nothing for an empty part", () => {
    const results = new Results();
    addServiceCpu(results, SVC_THREADS_1, c, { cpuSeconds: 1.5, messages: 100_000, seconds: 2 });
    expect(results.get(SVC_THREADS_1, 'threads', caseLabel(c), SERVICE_CPU)).toBeCloseTo(15);
    expect(results.get(SVC_THREADS_1, 'threads', caseLabel(c), SERVICE_CORES)).toBeCloseTo(0.75);
    addServiceCpu(results, SVC_THREADS_2, c, { cpuSeconds: 0, messages: 0, seconds: 0 });
    expect(results.figures.filter((f) => f.subject === SVC_THREADS_2)).toEqual([]);
  });

  it('judge 2 threads against 1 (0.9x, limit included) and each p50 against the async Svc (2x, limit included)', () => {
    const met = resultsOf({
      [SVC_ASYNC]: row(20_000, 2_000),
      [SVC_THREADS_1]: row(30_000, 4_000),
      [SVC_THREADS_2]: row(27_000, 1_000),
    });
    expect(renderGoals(judgeServiceGoals(met, [c], 2))).toEqual([
      'goal: SvcThreads on 2 threads serves at least 0.9x the messages/s of 1 thread under 64 connections (2 cores shared with the client: no collapse, not a doubling): MET (0.90x)',
      'goal: SvcThreads on 1 thread: round-trip p50 under 64 connections within 2x of a one-thread @net/async Svc: MET (2.00x)',
      'goal: SvcThreads on 2 threads: round-trip p50 under 64 connections within 2x of a one-thread @net/async Svc: MET (0.50x)',
    ]);
    // A reply that waited out a 10 ms park: the p50 is about 10 ms where the Svc's is a few.
    const parked = resultsOf({
      [SVC_ASYNC]: row(20_000, 2_600),
      [SVC_THREADS_1]: row(30_000, 3_000),
      [SVC_THREADS_2]: row(26_000, 10_600),
    });
    expect(renderGoals(judgeServiceGoals(parked, [c], 4)).map((g) => g.replace(/^.*: (?=(NOT )?MET)/, ''))).toEqual([
      'NOT MET (0.87x)',
      'MET (1.15x)',
      'NOT MET (4.08x)',
    ]);
    expect(judgeServiceGoals(parked, [c], 4)[0].goal).toContain('(4 cores shared with the client');
  });

  it('judge a row that did not run as NOT MEASURED, and nothing in a run without the case', () => {
    const partial = resultsOf({ [SVC_THREADS_1]: row(30_000, 4_000) });
    expect(judgeServiceGoals(partial, [c], 2).map((v) => v.verdict)).toEqual([
      'NOT MEASURED',
      'NOT MEASURED',
      'NOT MEASURED',
    ]);
    expect(judgeServiceGoals(partial, [{ ...c, connections: 1 }], 2)).toEqual([]);
  });

  it('print a table of their own, ratios to one thread, and the 2/1 ratio with the core count under it', () => {
    const results = resultsOf({
      [SVC_ASYNC]: row(20_000, 2_000),
      [SVC_THREADS_1]: row(30_000, 1_500),
      [SVC_THREADS_2]: row(33_000, 1_200),
    });
    const [head, body, note] = serviceTables(results, [], [c], 2);
    expect(head).toMatch(/^### A service across threads under many connections \(tcp 128B x64 round trips: /);
    expect(body.split('\n')).toEqual([
      '| row | messages/s | p50 | p99 | service CPU µs per message | service cores busy | vs threads: 1 |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| @net/async Svc, one thread | 20,000 | 2000.0 | 8000.0 | 37.50 | 0.75 | 0.67x |',
      '| SvcThreads, threads: 1 | 30,000 | 1500.0 | 6000.0 | 25.00 | 0.75 | 1.00x |',
      '| SvcThreads, threads: 2 | 33,000 | 1200.0 | 4800.0 | 22.73 | 0.75 | 1.10x |',
    ]);
    expect(note).toMatch(/^note: 2 threads \/ 1 thread: 1\.10x on 2 cores \(os\.availableParallelism\(\)\)/);
    const missing = serviceTables(resultsOf({ [SVC_THREADS_1]: row(30_000, 1_500) }), [], [c], 2);
    expect(missing[2]).toMatch(/^note: 2 threads \/ 1 thread: not measured in this run on 2 cores/);
    expect(serviceTables(results, [], [{ ...c, connections: 1 }], 2)).toEqual([]);
  });
});

describe('the service rows client', () => {
  it('keeps one message in flight on every connection and counts every reply, warm-up apart', async () => {
    const sockets = new Set<Socket>();
    let frames = 0;
    // An echo of whatever arrives: the client's frames are echoed byte for byte.
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', (chunk: Buffer) => {
        frames += chunk.length / 132;
        socket.write(chunk);
      });
      socket.on('error', () => undefined);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const port = (server.address() as AddressInfo).port;
      const result = await runManyClients({
        port,
        size: 128,
        connections: 8,
        count: 400,
        warmup: 40,
        budgetMs: 600_000,
      });
      // The replies still out when the count is reached are awaited and counted: up to one per connection more.
      expect(result.count).toBeGreaterThanOrEqual(400);
      expect(result.count).toBeLessThanOrEqual(400 + 8);
      expect(frames).toBe(40 + result.count);
      expect(result.p50).toBeGreaterThan(0);
      expect(sockets.size).toBe(8);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});
