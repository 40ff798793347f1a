import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeTwoHosts, type TwoHosts, whyNoNamespaces } from './two-hosts.js';
import { programArgs } from '../runtime-args.js';

// Client and service on two hosts: two network namespaces this test makes, joined by a veth pair,
// each process started inside its namespace with `ip netns exec`. Skipped, with the reason in
// the test's name, where namespaces cannot be made (not Linux, not root, no iproute2, or a
// sandbox that refuses `ip netns add`).
const dist = (name: string) => fileURLToPath(new URL(`../../dist/netns/${name}.js`, import.meta.url));

const why = whyNoNamespaces();

describe('two hosts: network namespaces joined by a veth pair', () => {
  it.skipIf(why !== undefined)(
    `async client and async service round trips across the link${why === undefined ? '' : ` (skipped: ${why})`}`,
    async (context) => {
      let hosts: TwoHosts;
      try {
        hosts = makeTwoHosts();
      } catch (error) {
        // A sandbox may refuse namespaces even to root: a skip with the reason, not a failure.
        return context.skip(
          `ip netns failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        );
      }
      const { server, client } = hosts;
      const service = spawn(
        'ip',
        [
          'netns',
          'exec',
          server.ns,
          process.execPath,
          ...programArgs(dist('ns-echo-service'), ['--host', server.address]),
        ],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      );
      const exited = once(service, 'exit');
      try {
        const [line] = (await once(service.stdout, 'data')) as [Buffer];
        const { port } = JSON.parse(line.toString().trim().split('\n')[0]) as { port: number };
        const out = execFileSync(
          'ip',
          [
            'netns',
            'exec',
            client.ns,
            process.execPath,
            ...programArgs(dist('ns-round-trips'), [
              '--host',
              server.address,
              '--port',
              String(port),
              '--round-trips',
              '1000',
            ]),
          ],
          {
            encoding: 'utf8',
            timeout: 30_000,
          },
        );
        const result = JSON.parse(out.trim().split('\n').pop()!) as { conId: string; done: number; problems: number };
        console.log(`[two hosts] ${client.address} -> ${server.address}:${port}: ${out.trim()}`);
        expect(result.problems).toBe(0);
        expect(result.done).toBe(1_000);
        // The client's own address is the other host's: the bytes crossed the veth link.
        expect(result.conId).toContain(`${client.address}:`);
        expect(result.conId).toContain(`${server.address}:${port}`);
        // Neither address exists outside the namespaces.
        expect(execFileSync('ip', ['-o', 'addr'], { encoding: 'utf8' })).not.toContain(server.address);
      } finally {
        service.stdin.end();
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
        if (service.exitCode === null) service.kill();
        hosts.remove();
      }
    },
    60_000,
  );
});
