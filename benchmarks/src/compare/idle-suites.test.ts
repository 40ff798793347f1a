import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runComparison } from '../util/comparison-run.js';
import { idleBudget } from './idle-budget.js';
import type { Figure } from './results.js';

// The suites the comparison runs only on request, in a quick run: the service's memory per idle
// connection, and a round trip beside idle connections to the same service. No speed and no size
// is asserted (shared machines); what must hold is that every subject ran, with every figure, and
// nothing else. The lists are written out here so that a subject dropped there fails here.

const MEMORY = ['@net/nonblocking', '@net/blocking', '@net/async', 'node:net'];
const BESIDE_IDLE = ['@net/nonblocking', '@net/nonblocking, idle polled', '@net/blocking', '@net/async', 'node:net'];
const GARBAGE = ['allocated_per_message', 'young_gcs_per_million'];
const ROUND_TRIP = ['throughput', 'p50', 'p99', 'p99.9', 'max', 'cpu_per_message', ...GARBAGE];
const HELD = Math.min(1_000, idleBudget(1_000, 'tcp').count);

const out = mkdtempSync(join(tmpdir(), 'net-compare-idle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
let printed = '';
let progress = '';
let figures: Figure[] = [];
let harnessPid = 0;

beforeAll(() => {
  const run = runComparison(['--quick', '--suites', 'idle,idle-pool'], out, 240_000);
  harnessPid = run.pid;
  printed = run.printed;
  progress = run.progress;
  expect(run.status, progress.slice(-2_000)).toBe(0);
  figures = run.figures;
}, 300_000);

describe('the idle suites, quick run (on request only; no speed or size asserted)', () => {
  it('measures the memory per idle connection of every service that holds many, and nothing else', () => {
    expect(HELD).toBeGreaterThan(0);
    const memory = figures.filter((f) => f.suite === 'idle');
    const expected = MEMORY.flatMap((subject) =>
      ['heap_per_connection', 'rss_per_connection'].map((metric) => `${subject} tcp x${HELD} idle ${metric} B`),
    );
    expect(memory.map((f) => `${f.subject} ${f.case} ${f.metric} ${f.unit}`).sort()).toEqual(expected.sort());
    // Holding a thousand connections costs every service something: a zero or a negative figure
    // would mean the marks were taken before the connections arrived.
    for (const f of memory.filter((x) => x.metric === 'rss_per_connection'))
      expect(f.value, f.subject).toBeGreaterThan(0);
  });

  it('times round trips beside idle connections for every pool, the one that polls them all included', () => {
    const beside = figures.filter((f) => f.suite === 'idle-pool');
    const expected = BESIDE_IDLE.flatMap((subject) =>
      ROUND_TRIP.map((metric) => `${subject} tcp 128B beside 100 idle ${metric}`),
    );
    expect(beside.map((f) => `${f.subject} ${f.case} ${f.metric}`).sort()).toEqual(expected.sort());
    // A quick case's garbage may be 0 collections; every other figure is above 0.
    for (const f of beside)
      expect(
        Number.isFinite(f.value) && f.value >= (GARBAGE.includes(f.metric) ? 0 : Number.MIN_VALUE),
        `${f.subject} ${f.metric}`,
      ).toBe(true);
    expect(figures.filter((f) => f.suite !== 'idle' && f.suite !== 'idle-pool')).toEqual([]);
  });

  it('prints both tables with ratios, the limit it held to, and why no goal is judged', () => {
    expect(progress.split('\n').filter((line) => line.includes('FAILED'))).toEqual([]);
    expect(printed).toContain(
      `### Service memory per idle connection (tcp, ${HELD.toLocaleString('en-US')} connections held open`,
    );
    expect(printed).toContain('### Round trip on one connection beside 100 idle ones to the same service (tcp 128B');
    expect(printed).toMatch(/\| node:net \| [\d,]+ \| [\d,]+ \| 1\.00x \| 1\.00x \|/);
    expect(printed).toMatch(/\| @net\/nonblocking, idle polled \| [\d.,]+ \| .* \| [\d.]+x \| [\d.]+x \|/);
    expect(printed).toMatch(/^note: idle connections: [\d,]+ (as asked|instead of)/m);
    expect(printed).toContain('- none: the goals are judged on the round-trip and stream suites');
    // The pool's busy client reports the I/O path it went through; the memory suite's clients are plain sockets.
    expect(printed).toContain(
      "- @net/nonblocking: idleStrategy 'spin' on both sides: retries a failed read at once, never yields the core; non-blocking I/O through Node's WASI fd_read/fd_write",
    );
    // Subjects that run none of these cases are left out of the run, not shown as empty rows.
    for (const absent of ['C busy-poll', 'zeromq.js', '@net/blocking, heartbeats on'])
      expect(printed).not.toContain(`| ${absent} |`);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toBe(printed);
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(`net-compare-${harnessPid}-`))).toEqual([]);
  });
});
