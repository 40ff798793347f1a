import { isIPv4, isIPv6 } from 'node:net';
import { type Endpoint, ErrorCode, NetError } from '@net/core';
import { AF_INET, AF_INET6, AF_UNIX } from './libc-calls.js';

/** Room for any socket address the sockets here use (`sockaddr_un` is the largest, 110 bytes). */
export const SOCKADDR_BYTES = 112;
const SUN_PATH_BYTES = 108;

/** A socket address in the C layout, ready to pass to `bind` or `connect`. */
export interface EncodedAddress {
  readonly family: number;
  readonly bytes: Uint8Array;
  readonly length: number;
}

/**
 * `endpoint` as a C socket address. Host names are looked up before (`NameResolver`): an IP
 * address, or `localhost`, is required here.
 * @throws NetError `NET_ERR_RESOLVE` for another name, `NET_ERR_INVALID_ARGUMENT` for a path too long
 */
export function encodeAddress(endpoint: Endpoint): EncodedAddress {
  const bytes = new Uint8Array(SOCKADDR_BYTES);
  const view = new DataView(bytes.buffer);
  if (endpoint.kind === 'unix') {
    const path = new TextEncoder().encode(endpoint.path);
    if (path.length >= SUN_PATH_BYTES)
      throw new NetError(
        ErrorCode.INVALID_ARGUMENT,
        `socket path is longer than ${SUN_PATH_BYTES - 1} bytes: ${endpoint.path}`,
      );
    view.setUint16(0, AF_UNIX, true);
    bytes.set(path, 2);
    return { family: AF_UNIX, bytes, length: 2 + path.length + 1 };
  }
  const host = endpoint.host === 'localhost' ? '127.0.0.1' : endpoint.host;
  if (isIPv4(host)) {
    view.setUint16(0, AF_INET, true);
    view.setUint16(2, endpoint.port, false);
    host.split('.').forEach((part, i) => (bytes[4 + i] = Number(part)));
    return { family: AF_INET, bytes, length: 16 };
  }
  if (isIPv6(host)) {
    view.setUint16(0, AF_INET6, true);
    view.setUint16(2, endpoint.port, false);
    bytes.set(ipv6Bytes(host), 8);
    return { family: AF_INET6, bytes, length: 28 };
  }
  throw new NetError(ErrorCode.RESOLVE, `${host}: not an IP address (a host name is looked up before it gets here)`);
}

/** The endpoint a C socket address names (`unix` with the path for a Unix socket). */
export function decodeAddress(bytes: Uint8Array): Endpoint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const family = view.getUint16(0, true);
  if (family === AF_INET)
    return { kind: 'tcp', host: Array.from(bytes.subarray(4, 8)).join('.'), port: view.getUint16(2, false) };
  if (family === AF_INET6)
    return { kind: 'tcp', host: ipv6Text(bytes.subarray(8, 24)), port: view.getUint16(2, false) };
  const end = bytes.indexOf(0, 2);
  return { kind: 'unix', path: new TextDecoder().decode(bytes.subarray(2, end === -1 ? bytes.length : end)) };
}

function ipv6Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(16);
  const [head = '', tail] = text.split('::') as [string, string | undefined];
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const words = (part: string[]): number[] =>
    part.flatMap((group) => {
      if (!group.includes('.')) return [parseInt(group, 16)];
      const [a, b, c, d] = group.split('.').map(Number) as [number, number, number, number];
      return [(a << 8) | b, (c << 8) | d];
    });
  const front = words(groups(head));
  const back = tail === undefined ? [] : words(groups(tail));
  const all = [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  all.forEach((word, i) => {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  });
  return bytes;
}

function ipv6Text(bytes: Uint8Array): string {
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  // The longest run of zero words becomes "::", as every system prints it.
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && words[j] === '0') j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best === -1) return words.join(':');
  return `${words.slice(0, best).join(':')}::${words.slice(best + bestLength).join(':')}`;
}
