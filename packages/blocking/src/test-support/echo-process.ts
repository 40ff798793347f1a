import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll } from 'vitest';
import type { Protocol } from '../index.js';

/** The message of the tests that talk to an {@link echoProcessForSuite}; `kind: 'hb'` is a beat. */
export type EchoMsg = { n: number; kind?: 'hb' };

/**
 * Heartbeats on, at an interval no round trip in a test reaches: every receive has a timer task
 * pending, so it must wake for it as well as for data.
 */
export const QUIET_HEARTBEATS: Protocol<EchoMsg, EchoMsg> = {
  heartbeatInterval: 60_000,
  sendHeartbeat: (sender) => sender.send({ n: -1, kind: 'hb' }),
};

/**
 * An echo server in a process of its own (this runtime's binary) for the suite's tests, started
 * before them when `wanted` and ended after them: replies arrive while the test's thread waits in
 * a receive. `port` is its loopback port once started.
 */
export function echoProcessForSuite(wanted = true): { readonly port: number } {
  const state = { port: 0 };
  let stop: (() => void) | undefined;
  beforeAll(async () => {
    if (!wanted) return;
    const script =
      "const s=require('net').createServer(c=>c.pipe(c)).listen(0,'127.0.0.1',()=>console.log(s.address().port))";
    const echo = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    stop = () => echo.kill();
    const [line] = (await once(echo.stdout, 'data')) as [Buffer];
    state.port = Number(line.toString().trim());
  });
  afterAll(() => stop?.());
  return state;
}
