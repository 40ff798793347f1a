/**
 * How many TCP sockets this process holds open with `port` at either end: a listener on it, the
 * connections it accepted and the clients connected to it (Linux, from /proc).
 */
export function openSocketsOnPort(port: number): number;
