/**
 * How many idle connections this machine can hold in the idle suite: each connection is one file
 * descriptor in the client process and one in the service process (they are separate processes,
 * each with its own `RLIMIT_NOFILE`), one ephemeral port on loopback TCP, and two of the system's
 * open files.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Descriptors a Node process needs besides the connections (stdio, IPC, epoll, libuv, the listener). */
export const FD_RESERVE = 100;
/** Ephemeral ports left free for everything else on the machine. */
export const PORT_RESERVE = 1_000;

/** The idle-connection count to use, and why it is lower than asked when it is. */
export interface IdleBudget {
  readonly requested: number;
  readonly count: number;
  /** Soft `RLIMIT_NOFILE` of this process (children inherit it), when known. */
  readonly fdLimit: number | undefined;
  /** Size of the ephemeral port range, when known (TCP only). */
  readonly portRange: number | undefined;
  /** One line on the limits, for the report. */
  readonly note: string;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The soft limit on open files, from `/proc/self/limits` or `ulimit -n`. */
export function openFileLimit(): number | undefined {
  const limits = readText('/proc/self/limits');
  const line = limits?.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  if (soft !== undefined) return soft === 'unlimited' ? Infinity : Number(soft);
  try {
    const text = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return text === 'unlimited' ? Infinity : Number(text);
  } catch {
    return undefined;
  }
}

function ephemeralPorts(): number | undefined {
  const range = readText('/proc/sys/net/ipv4/ip_local_port_range')?.trim().split(/\s+/).map(Number);
  return range?.length === 2 && range.every(Number.isFinite) ? range[1]! - range[0]! + 1 : undefined;
}

function systemFilesFree(): number | undefined {
  const max = Number(readText('/proc/sys/fs/file-max')?.trim());
  const used = Number(readText('/proc/sys/fs/file-nr')?.trim().split(/\s+/)[0]);
  return Number.isFinite(max) && Number.isFinite(used) ? max - used : undefined;
}

/** The idle-connection count that fits this machine, at most `requested`. */
export function idleBudget(requested: number, transport: 'tcp' | 'unix'): IdleBudget {
  const fdLimit = openFileLimit();
  const portRange = transport === 'tcp' ? ephemeralPorts() : undefined;
  const systemFree = systemFilesFree();
  const caps: { count: number; why: string }[] = [];
  if (fdLimit !== undefined) caps.push({ count: fdLimit - FD_RESERVE, why: `the open-file limit (ulimit -n) is ${fdLimit} per process and each side needs ${FD_RESERVE} besides its connections` });
  if (portRange !== undefined) caps.push({ count: portRange - PORT_RESERVE, why: `loopback TCP has ${portRange} ephemeral ports, ${PORT_RESERVE} kept free` });
  if (systemFree !== undefined) caps.push({ count: Math.floor((systemFree - 10_000) / 2), why: `the system has ${systemFree} open files left (fs.file-max) and each connection takes two` });
  let count = requested;
  let why: string | undefined;
  for (const cap of caps) {
    if (cap.count < count) {
      count = Math.max(0, cap.count);
      why = cap.why;
    }
  }
  const limits =
    `open-file limit ${fdLimit ?? 'unknown'} per process (client and service are separate processes, ` +
    `so each needs ${count} + ~${FD_RESERVE}, not ${2 * count} + ~${FD_RESERVE} as one process would)` +
    (portRange === undefined ? '' : `, ${portRange} ephemeral ports`);
  const note = why === undefined ? `${count} idle connections as asked; ${limits}` : `${count} idle connections instead of ${requested}: ${why}; ${limits}`;
  return { requested, count, fdLimit, portRange, note };
}
