// What a descriptor-leak test counts: the TCP sockets this process holds open whose local or
// remote port is the one under test. A count of every open descriptor (/proc/self/fd) also moves
// with whatever else the test runner and earlier tests open and close meanwhile; this one moves
// only with the sockets of the service under test and its clients. Linux only (/proc).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The inodes of the sockets behind this process's open descriptors. */
function socketInodes() {
  const inodes = new Set();
  for (const fd of readdirSync('/proc/self/fd')) {
    let target;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // closed between the listing and the look (the listing's own descriptor, say)
    }
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match) inodes.add(match[1]);
  }
  return inodes;
}

/** Local and remote ports and the inode of every entry of one /proc/net/tcp-style table. */
function tcpTable(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return []; // no IPv6 in this kernel, say
  }
  return text
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const columns = line.trim().split(/\s+/);
      const portOf = (address) => Number.parseInt(address.split(':')[1], 16);
      return { local: portOf(columns[1]), remote: portOf(columns[2]), inode: columns[9] };
    });
}

/**
 * How many TCP sockets this process holds open with `port` at either end: a listener on it, the
 * connections it accepted and the clients connected to it.
 * @param {number} port
 * @returns {number}
 */
export function openSocketsOnPort(port) {
  const mine = socketInodes();
  let count = 0;
  for (const entry of [...tcpTable('/proc/net/tcp'), ...tcpTable('/proc/net/tcp6')]) {
    if (entry.inode !== '0' && mine.has(entry.inode) && (entry.local === port || entry.remote === port)) count++;
  }
  return count;
}
