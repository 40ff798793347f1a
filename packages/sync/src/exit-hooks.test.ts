import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { moduleCodeArgs } from '../../../test-support/runtime-args.mjs';
import { offProcessExit, onProcessExit, processExitHookCount } from './exit-hooks.js';

/** Runs `source` (an ES module) in a child of this runtime; resolves with what it printed and its exit code. */
function runChild(source: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, moduleCodeArgs(source), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    // 'close' comes after stdout has been read to its end.
    child.once('close', (code) => {
      clearTimeout(guard);
      resolve({ code, out, err });
    }),
  );
}

const dist = (file: string) => JSON.stringify(new URL(`../dist/${file}`, import.meta.url).href);

describe('stopping owned threads as the process exits', () => {
  it('adds one exit listener however many owners wait, and takes an owner off when asked', () => {
    const before = process.listenerCount('exit');
    const owners = Array.from({ length: 20 }, () => () => undefined);
    for (const owner of owners) onProcessExit(owner);
    expect(process.listenerCount('exit') - before).toBeLessThanOrEqual(1);
    expect(processExitHookCount()).toBe(20);
    for (const owner of owners) offProcessExit(owner);
    expect(processExitHookCount()).toBe(0);
  });

  it("runs every owner's stop once at exit, in order, even after one threw, and reports the throw", async () => {
    const { code, out, err } = await runChild(`
      import { onProcessExit } from ${dist('exit-hooks.js')};
      onProcessExit(() => console.log('first'));
      onProcessExit(() => { throw new Error('second failed'); });
      onProcessExit(() => console.log('third'));
    `);
    expect(out.trim().split('\n')).toEqual(['first', 'third']);
    expect(err).toContain('second failed');
    expect(code).not.toBe(0);
  });

  it('starts and closes many poller threads without a MaxListenersExceededWarning', async () => {
    const { code, err } = await runChild(`
      import { PollerThread } from ${dist('index.js')};
      const pollers = Array.from({ length: 12 }, () => PollerThread.start());
      for (const poller of pollers.slice(0, 6)) poller.close();
      // The other six are left for the process's exit to stop.
    `);
    expect(err).not.toContain('MaxListenersExceededWarning');
    expect(code, err).toBe(0);
  });
});
