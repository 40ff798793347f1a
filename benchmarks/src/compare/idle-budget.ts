import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Transport } from './protocol.js';

/**
 * How many idle connections this machine lets the idle-memory suite hold. Each connection takes a
 * descriptor in the client process and one in the service process (separate processes, each under
 * its own open-file limit), an ephemeral port on loopback TCP, and two of the system's open files.
 */

/** Descriptors a Node process needs besides its connections (stdio, the listener, libuv, the broker). */
export const FD_RESERVE = 100;
/** Ephemeral ports left to the rest of the machine. */
export const PORT_RESERVE = 1_000;
/** System-wide open files left to the rest of the machine. */
export const SYSTEM_FILES_RESERVE = 10_000;

/** The count to hold, and one line on the limits that decided it for the report. */
export interface IdleBudget {
  readonly requested: number;
  readonly count: number;
  readonly note: string;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The soft limit on open files of this process (its children inherit it), or undefined when unknown. */
export function openFileLimit(): number | undefined {
  const line = readText('/proc/self/limits')
    ?.split('\n')
    .find((l) => l.startsWith('Max open files'));
  let soft = line?.split(/\s{2,}/)[1];
  if (soft === undefined) {
    try {
      soft = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  }
  const limit = soft === 'unlimited' ? Infinity : Number(soft);
  return Number.isNaN(limit) ? undefined : limit;
}

/** Ports of the ephemeral range, on Linux. */
function ephemeralPorts(): number | undefined {
  const range = readText('/proc/sys/net/ipv4/ip_local_port_range')?.trim().split(/\s+/).map(Number);
  return range?.length === 2 && range.every(Number.isFinite) ? range[1] - range[0] + 1 : undefined;
}

/** Open files the system still allows, on Linux. */
function systemFilesFree(): number | undefined {
  const max = Number(readText('/proc/sys/fs/file-max')?.trim());
  const used = Number(readText('/proc/sys/fs/file-nr')?.trim().split(/\s+/)[0]);
  return Number.isFinite(max) && Number.isFinite(used) ? max - used : undefined;
}

/** The idle-connection count that fits this machine, at most `requested`, with the limit that lowered it. */
export function idleBudget(requested: number, transport: Transport): IdleBudget {
  const fdLimit = openFileLimit();
  const ports = transport === 'tcp' ? ephemeralPorts() : undefined;
  const systemFree = systemFilesFree();
  const caps: { count: number; why: string }[] = [];
  if (fdLimit !== undefined)
    caps.push({
      count: fdLimit - FD_RESERVE,
      why: `the open-file limit is ${fdLimit} per process and each side needs ${FD_RESERVE} more`,
    });
  if (ports !== undefined)
    caps.push({
      count: ports - PORT_RESERVE,
      why: `loopback TCP has ${ports} ephemeral ports, ${PORT_RESERVE} kept free`,
    });
  if (systemFree !== undefined)
    caps.push({
      count: Math.floor((systemFree - SYSTEM_FILES_RESERVE) / 2),
      why: `the system has ${systemFree} open files left and each connection takes two`,
    });
  let count = requested;
  let why: string | undefined;
  for (const cap of caps) {
    if (cap.count < count) {
      count = Math.max(0, cap.count);
      why = cap.why;
    }
  }
  const limit = `open-file limit ${fdLimit ?? 'unknown'} per process`;
  const note =
    why === undefined
      ? `${count.toLocaleString('en-US')} as asked (${limit})`
      : `${count.toLocaleString('en-US')} instead of ${requested.toLocaleString('en-US')}: ${why}`;
  return { requested, count, note };
}
