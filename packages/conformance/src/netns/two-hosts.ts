import { execFileSync } from 'node:child_process';

/**
 * Two network namespaces joined by a veth pair: two hosts on one link, each with its own address
 * in a private /30, made for one test and deleted after it. Linux only, and only as root.
 */
export interface TwoHosts {
  /** The namespace the service runs in, and its address. */
  readonly server: { readonly ns: string; readonly address: string };
  /** The namespace the client runs in, and its address. */
  readonly client: { readonly ns: string; readonly address: string };
  /** Deletes both namespaces (which deletes the veth pair with them). */
  remove(): void;
}

/** Why namespaces cannot be made here, or undefined when they can (as far as can be told up front). */
export function whyNoNamespaces(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not root';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'no ip command (iproute2)';
  }
  return undefined;
}

const run = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/**
 * Makes the two hosts. Names are unique per process and call (veth names stay within the
 * 15-character limit); the subnet is 10.213.N.0/30, exists only inside these namespaces, and is
 * gone with them. On a failure halfway, whatever was made is removed before the error is thrown.
 */
export function makeTwoHosts(): TwoHosts {
  const tag = `${process.pid % 100_000}${Math.floor(Math.random() * 100)}`;
  const names = { a: `netS${tag}`, b: `netC${tag}`, va: `vS${tag}`, vb: `vC${tag}` };
  const octet = (process.pid + Math.floor(Math.random() * 250)) % 250;
  const server = { ns: names.a, address: `10.213.${octet}.1` };
  const client = { ns: names.b, address: `10.213.${octet}.2` };
  const made: string[] = [];
  const remove = () => {
    for (const ns of made.splice(0).reverse()) {
      try {
        run('netns', 'del', ns);
      } catch {
        // Already gone.
      }
    }
  };
  try {
    for (const ns of [names.a, names.b]) {
      run('netns', 'add', ns);
      made.push(ns);
    }
    run('link', 'add', names.va, 'type', 'veth', 'peer', 'name', names.vb);
    run('link', 'set', names.va, 'netns', names.a);
    run('link', 'set', names.vb, 'netns', names.b);
    for (const [ns, dev, address] of [
      [names.a, names.va, server.address],
      [names.b, names.vb, client.address],
    ] as const) {
      run('-n', ns, 'addr', 'add', `${address}/30`, 'dev', dev);
      run('-n', ns, 'link', 'set', dev, 'up');
      run('-n', ns, 'link', 'set', 'lo', 'up');
    }
  } catch (error) {
    remove();
    // A veth left in this namespace (made before it could be moved) goes too.
    try {
      run('link', 'del', names.va);
    } catch {
      // Never made, or moved and deleted with its namespace.
    }
    throw error;
  }
  return { server, client, remove };
}
