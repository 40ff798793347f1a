import { connect as netConnect, createServer, type Server, type Socket } from 'node:net';
import { getHeapStatistics } from 'node:v8';
import { type MessagePort, workerData } from 'node:worker_threads';
import type { Endpoint } from '@net/core';
import {
  type BrokerEvent,
  type BrokerRequest,
  SIGNAL_EVENTS,
  SIGNAL_STOPPED,
  SIGNAL_THREAD,
} from './broker-messages.js';
import { endpointsOf, failure, kernelThreadId, linger, lingering } from './broker-worker-support.js';
import {
  detachDescriptor,
  holdDescriptor,
  releaseDescriptor,
  resumeReading,
  setDescriptorBlocking,
} from './node-internals.js';
import { releaseHolder } from './transfer/holder-ticket.js';
import { WatchReportArea } from './watch-report-area.js';

/**
 * The broker thread: it owns every socket and listener of the synchronous flavours. `connect` and
 * `accept` complete only on an event loop, and the thread that uses the descriptors never runs
 * its own (it spins or parks), so this thread runs one for it: it connects and accepts, hands the
 * descriptors over, keeps the socket objects alive, and is the only one that ever closes them.
 */
const { port, signal: signalBuffer } = workerData as { port: MessagePort; signal: SharedArrayBuffer };
/** Where requests come from and events go: the owner thread's, and one per half adopted elsewhere. */
interface Channel {
  readonly port: MessagePort;
  readonly signal: Int32Array;
  /** Where a watch's first bytes go without a message (see `watch-report-area.ts`). */
  readonly reports: WatchReportArea;
}
const main: Channel = { port, signal: new Int32Array(signalBuffer), reports: new WatchReportArea(signalBuffer) };
const channels = new Set<Channel>([main]);
// Runs on every way out of this thread, a crash included; the sockets it owns close with it.
process.on('exit', () => {
  for (const { signal } of channels) {
    Atomics.store(signal, SIGNAL_STOPPED, 1);
    Atomics.add(signal, SIGNAL_EVENTS, 1);
    Atomics.notify(signal, SIGNAL_EVENTS);
  }
});
Atomics.store(main.signal, SIGNAL_THREAD, kernelThreadId());
const sockets = new Map<number, Socket>();
const servers = new Map<number, Server>();
/** Descriptors in blocking mode: a watch makes them non-blocking while libuv reads them. */
const blockingFds = new Set<number>();
/** Watches in progress, by descriptor: each entry stops its watch without a report. */
const watches = new Map<number, () => void>();
/** Watches in progress, by descriptor: the channel each reports to. */
const watchers = new Map<number, Channel>();
/** Descriptors whose connection another thread ended for all: a watch of one reports the end at once. */
const ended = new Set<number>();
let nextServerId = 1;

function emit(event: BrokerEvent, transfer?: ArrayBuffer[], to: Channel = main): void {
  to.port.postMessage(event, transfer);
  wake(to);
}

/** Tells the channel's thread that something came: a posted event, or a report in its shared area. */
function wake(to: Channel): void {
  Atomics.add(to.signal, SIGNAL_EVENTS, 1);
  Atomics.notify(to.signal, SIGNAL_EVENTS);
}

function adopt(socket: Socket, blocking: boolean): number {
  const fd = detachDescriptor(socket);
  if (blocking) {
    setDescriptorBlocking(socket, true);
    blockingFds.add(fd);
  }
  sockets.set(fd, socket);
  // Errors surface to the reading thread through its own reads and writes. One can also come
  // while libuv reads for a watch (a reset); the socket is held open through it, the error goes
  // to the watch, and the owner ends the connection and closes it through the broker.
  socket.on('error', () => {});
  holdDescriptor(socket, (error) => {
    const stopWatch = watches.get(fd);
    const channel = watchers.get(fd);
    stopWatch?.();
    if (stopWatch !== undefined && error !== null) emit({ op: 'readError', fd, failure: failure(error) }, [], channel);
  });
  return fd;
}

function connect(request: Extract<BrokerRequest, { op: 'connect' }>): void {
  const { endpoint } = request;
  const socket =
    endpoint.kind === 'unix'
      ? netConnect({ path: endpoint.path })
      : netConnect({ host: endpoint.host, port: endpoint.port });
  const timer = setTimeout(
    () => socket.destroy(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })),
    request.timeoutMs,
  );
  socket.once('error', (error) => {
    clearTimeout(timer);
    emit({ op: 'failed', id: request.id, failure: failure(error) });
  });
  socket.once('connect', () => {
    clearTimeout(timer);
    socket.removeAllListeners('error');
    try {
      if (endpoint.kind === 'tcp') {
        socket.setNoDelay(request.noDelay);
        if (request.keepAlive !== false) socket.setKeepAlive(true, request.keepAlive === true ? 0 : request.keepAlive);
      }
      const fd = adopt(socket, request.blocking);
      emit({ op: 'connected', id: request.id, fd, ...endpointsOf(socket, endpoint) });
    } catch (error) {
      socket.destroy();
      emit({ op: 'failed', id: request.id, failure: failure(error) });
    }
  });
}

function listen(request: Extract<BrokerRequest, { op: 'listen' }>): void {
  const serverId = nextServerId++;
  const server = createServer({ pauseOnConnect: true }, (socket) => {
    try {
      if (request.endpoint.kind === 'tcp') socket.setNoDelay(request.noDelay);
      const fd = adopt(socket, request.blocking);
      emit({ op: 'accepted', serverId, fd, ...endpointsOf(socket, request.endpoint) });
    } catch {
      socket.destroy();
    }
  });
  server.once('error', (error) => emit({ op: 'failed', id: request.id, failure: failure(error) }));
  const listening = () => {
    server.removeAllListeners('error');
    server.on('error', () => {});
    servers.set(serverId, server);
    const address = server.address();
    const local: Endpoint =
      typeof address === 'object' && address !== null
        ? { kind: 'tcp', host: address.address, port: address.port }
        : request.endpoint;
    emit({ op: 'listening', id: request.id, serverId, local });
  };
  if (request.endpoint.kind === 'unix')
    server.listen({ path: request.endpoint.path, backlog: request.backlog }, listening);
  else server.listen({ host: request.endpoint.host, port: request.endpoint.port, backlog: request.backlog }, listening);
}

function watch(fd: number, seq: number, channel: Channel): void {
  const socket = sockets.get(fd);
  if (socket === undefined) return;
  if (ended.has(fd)) return emit({ op: 'eof', fd }, [], channel);
  // libuv reads the idle descriptor for us; the first bytes (or end) go back to the owner thread,
  // and reading stops again at once so that nothing after them is taken from it.
  const onData = (chunk: Buffer) => {
    stop();
    // Into the owner's shared area when a slot is free and they fit: nothing to post, and nothing
    // for the owner to take off its port and let go of.
    if (channel.reports.write(fd, seq, chunk)) {
      wake(channel);
      return;
    }
    const bytes = new Uint8Array(chunk.length);
    bytes.set(chunk);
    emit({ op: 'data', fd, bytes }, [bytes.buffer], channel);
  };
  const onEnd = () => {
    stop();
    emit({ op: 'eof', fd }, [], channel);
  };
  const stop = () => {
    watches.delete(fd);
    watchers.delete(fd);
    socket.off('data', onData);
    socket.off('end', onEnd);
    socket.pause();
    if (socket.destroyed) return;
    detachDescriptor(socket);
    if (blockingFds.has(fd)) setDescriptorBlocking(socket, true);
  };
  // libuv must never read a blocking descriptor: a second read in its loop would park this thread.
  if (blockingFds.has(fd)) setDescriptorBlocking(socket, false);
  watches.set(fd, stop);
  watchers.set(fd, channel);
  socket.on('data', onData);
  socket.once('end', onEnd);
  resumeReading(socket);
}

listenOn(main);

function listenOn(channel: Channel): void {
  channel.port.on('message', (request: BrokerRequest) => {
    try {
      handle(request, channel);
    } catch (error) {
      // A request that a handler cannot take (a port out of range, a descriptor in a state Node
      // refuses) is answered with its error; the thread, and every socket it owns, lives on.
      if ('id' in request) emit({ op: 'failed', id: request.id, failure: failure(error) }, [], channel);
    }
  });
}

/** Closes a socket handed back: gracefully, or with a reset. */
function closeSocket(fd: number, reset: boolean): void {
  const socket = sockets.get(fd);
  // Asked before it is forgotten: libuv must not drain a blocking descriptor.
  const blocking = blockingFds.has(fd);
  watches.get(fd)?.();
  sockets.delete(fd);
  blockingFds.delete(fd);
  ended.delete(fd);
  // One that failed while held is closed by its release; the others close as asked.
  if (socket !== undefined && !releaseDescriptor(socket)) {
    if (reset) socket.resetAndDestroy();
    else linger(socket, blocking);
  }
  emit({ op: 'closed', fd });
}

/**
 * A channel for a half adopted on another thread. When that thread lets go, or exits holding it
 * (its port closes), its hold on the descriptor is given up, and the last hold closes the socket.
 */
function attach(request: Extract<BrokerRequest, { op: 'attach' }>): void {
  const channel: Channel = {
    port: request.port,
    signal: new Int32Array(request.signal),
    reports: new WatchReportArea(request.signal),
  };
  Atomics.store(channel.signal, SIGNAL_THREAD, Atomics.load(main.signal, SIGNAL_THREAD));
  channels.add(channel);
  listenOn(channel);
  channel.port.once('close', () => {
    channels.delete(channel);
    if (releaseHolder(request.ticket, request.state) && sockets.has(request.fd)) closeSocket(request.fd, false);
  });
  emit({ op: 'attached', id: request.id });
}

function handle(request: BrokerRequest, channel: Channel): void {
  switch (request.op) {
    case 'attach':
      return attach(request);
    case 'end': {
      // Another thread ended the connection for all: a watch of it reports the end now.
      ended.add(request.fd);
      const watcher = watchers.get(request.fd);
      if (watcher === undefined) return;
      watches.get(request.fd)?.();
      return emit({ op: 'eof', fd: request.fd }, [], watcher);
    }
    case 'detach':
      if (channel !== main) channel.port.close();
      return;
    case 'connect':
      return connect(request);
    case 'listen':
      return listen(request);
    case 'unlisten': {
      const server = servers.get(request.serverId);
      servers.delete(request.serverId);
      if (server === undefined) return emit({ op: 'unlistened', id: request.id });
      server.close(() => undefined);
      return emit({ op: 'unlistened', id: request.id });
    }
    case 'setBlocking': {
      const socket = sockets.get(request.fd);
      if (socket === undefined)
        return emit(
          { op: 'failed', id: request.id, failure: { code: 'EBADF', message: 'no such socket' } },
          [],
          channel,
        );
      setDescriptorBlocking(socket, request.blocking);
      if (request.blocking) blockingFds.add(request.fd);
      else blockingFds.delete(request.fd);
      return emit({ op: 'blockingSet', id: request.id }, [], channel);
    }
    case 'close':
      closeSocket(request.fd, request.reset);
      if (channel !== main) channel.port.close();
      return;
    case 'watch':
      return watch(request.fd, request.seq, channel);
    case 'unwatch':
      // A report posted before this answer is still read first: the port keeps order.
      watches.get(request.fd)?.();
      return emit({ op: 'unwatched', id: request.id }, [], channel);
    case 'ping': {
      // Only where the process runs with --expose-gc (soak tests): the heap then holds live data only.
      if (request.collect === true) (globalThis as { gc?: () => void }).gc?.();
      const heap = getHeapStatistics();
      return emit(
        {
          op: 'pong',
          id: request.id,
          sockets: sockets.size + lingering.size,
          servers: servers.size,
          heapUsed: heap.used_heap_size,
          heapTotal: heap.total_heap_size,
        },
        [],
        channel,
      );
    }
  }
}
