import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { compiledProgram, ensureCompiled } from '../../util/compiled.js';

beforeAll(ensureCompiled, 120_000);

describe('sync flavours vs C (quick smoke run, no timing asserted)', () => {
  it('runs every subject end to end and prints a positive round trip for each', () => {
    const out = execFileSync(process.execPath, [compiledProgram('flavours/sync/sync-vs-c'), '--quick', '--count', '300'], { encoding: 'utf8', timeout: 120_000 });
    for (const subject of ['@net/nonblocking', '@net/blocking']) {
      const row = out.split('\n').find((line) => line.startsWith(subject));
      expect(row, out).toBeDefined();
      const [p50, p99] = row!.slice(18).trim().split(/\s+/).map(Number);
      expect(p50).toBeGreaterThan(0);
      expect(p99).toBeGreaterThanOrEqual(p50!);
    }
    expect(out).toMatch(/goal: @net\/nonblocking p50 within 1\.3x of C busy-poll: (MET|NOT MET|NOT MEASURED)/);
    // The figure says which I/O path it measured; on Node 20+ on Linux that is WASI.
    expect(out).toMatch(/its non-blocking I\/O path: wasi/);
  }, 150_000);
});

describe('idle pool figure (quick smoke run, no timing asserted)', () => {
  it('measures both pool modes and delivers every message', () => {
    const out = execFileSync(process.execPath, [compiledProgram('flavours/sync/idle-pool'), '--idle', '20', '--messages', '200'], { encoding: 'utf8', timeout: 120_000 });
    expect(out).toMatch(/watched by the broker\s+[\d.]+ µs per message \(20 watched\)/);
    expect(out).toMatch(/polled on every pass\s+[\d.]+ µs per message \(0 watched\)/);
  }, 150_000);
});
