import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledProgram, ensureCompiled } from '../util/compiled.js';
import type { Figure } from './results.js';

beforeAll(ensureCompiled, 120_000);

const out = mkdtempSync(join(tmpdir(), 'net-compare-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const haveCompiler = spawnSync('cc', ['--version'], { stdio: 'ignore' }).status === 0;

describe('the flavour comparison (quick smoke run: the harness works, no speed asserted)', () => {
  it('measures every subject on every case it can run and writes the results file, the summary and the chart', () => {
    const printed = execFileSync(process.execPath, [compiledProgram('compare/compare'), '--quick', '--out', out], { encoding: 'utf8', timeout: 240_000, stdio: ['ignore', 'pipe', 'ignore'] });
    const figures = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Figure);
    const subjects = ['@net/nonblocking', '@net/blocking', '@net/async', 'node:net', 'zeromq.js', ...(haveCompiler ? ['C busy-poll', 'C blocking'] : [])];
    for (const subject of subjects) {
      for (const transport of ['tcp', 'unix']) {
        const p50 = figures.find((f) => f.subject === subject && f.suite === 'roundtrip' && f.case === `${transport} 128B` && f.metric === 'p50');
        expect(p50?.value, `${subject} ${transport}`).toBeGreaterThan(0);
      }
      for (const size of [32, 1024, 65536]) {
        expect(figures.some((f) => f.subject === subject && f.suite === 'sizes' && f.case === `tcp ${size}B` && f.metric === 'p50' && f.value > 0), `${subject} ${size}B`).toBe(true);
      }
    }
    for (const subject of subjects) {
      expect(figures.some((f) => f.subject === subject && f.suite === 'stream' && f.metric === 'throughput' && f.value > 0), `${subject} stream`).toBe(true);
    }
    for (const subject of ['@net/nonblocking', '@net/blocking', '@net/async', 'node:net']) {
      expect(figures.some((f) => f.subject === subject && f.suite === 'rate' && f.metric === 'p99' && f.value > 0), `${subject} rate`).toBe(true);
    }
    for (const subject of ['@net/nonblocking', '@net/blocking', '@net/async']) {
      for (const codec of ['json', 'struct']) {
        expect(figures.some((f) => f.subject === subject && f.suite === 'codecs' && f.case === `tcp ${codec} order` && f.metric === 'p50' && f.value > 0), `${subject} ${codec}`).toBe(true);
      }
    }
    for (const subject of ['@net/nonblocking', '@net/async', 'node:net']) {
      for (const connections of [10, 100]) {
        expect(figures.some((f) => f.subject === subject && f.suite === 'concurrency' && f.case === `tcp 128B x${connections}` && f.metric === 'throughput' && f.value > 0), `${subject} x${connections}`).toBe(true);
      }
    }
    for (const figure of figures) expect(Object.keys(figure).sort()).toEqual(['case', 'metric', 'subject', 'suite', 'unit', 'value']);
    expect(printed).toMatch(/goal: @net\/async p50 within 1\.05x of node:net: (MET|NOT MET)/);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('## Goals');
    expect(readFileSync(join(out, 'compare.svg'), 'utf8')).toMatch(/^<svg [^>]*>[\s\S]*<\/svg>\n$/);
  }, 300_000);
});
