/**
 * The subjects of the flavour benchmarks. A subject is a server program and a client program (see
 * `harness.ts`), run in two processes of their own; the suites only know the commands programs
 * answer, so another flavour joins by adding its programs and a line here.
 */
/** The measurements a subject can take part in. */
export type Suite = 'pingpong' | 'throughput' | 'idle';

/** One program: a compiled module under `dist/` and its arguments. */
export interface ProgramSpec {
  /** Short name for errors and profiles, e.g. `async-server`. */
  readonly name: string;
  /** Path under `dist/`, e.g. `flavours/raw/raw-server.js`. */
  readonly path: string;
  readonly args: readonly string[];
}

/** One thing measured in one suite. */
export interface FlavourSubject {
  /** Stable id, unique within its suite (command line, JSON output). */
  readonly id: string;
  /** Row label. */
  readonly label: string;
  /** Which implementation: a @net flavour, or `node:net` for the baselines. */
  readonly flavour: string;
  /** True for the plain `node:net` subjects the others are compared with. */
  readonly baseline: boolean;
  readonly server: ProgramSpec;
  readonly client: ProgramSpec;
  /** Why the subject cannot run on this build. */
  readonly unavailable?: string;
}

const RAW_SERVER: ProgramSpec = { name: 'raw-server', path: 'flavours/raw/raw-server.js', args: [] };
const RAW_CLIENT_EACH: ProgramSpec = { name: 'raw-client', path: 'flavours/raw/raw-client.js', args: ['--writes', 'each'] };
const RAW_CLIENT_BATCHED: ProgramSpec = { name: 'raw-client-batched', path: 'flavours/raw/raw-client.js', args: ['--writes', 'batched'] };

function asyncServer(codec: string, serve: 'accept' | 'pool' | 'onmessage'): ProgramSpec {
  return { name: `async-server-${codec}-${serve}`, path: 'flavours/async/async-server.js', args: ['--codec', codec, '--serve', serve] };
}

function asyncClient(codec: string, delivery: 'recv' | 'onmessage'): ProgramSpec {
  return { name: `async-client-${codec}-${delivery}`, path: 'flavours/async/async-client.js', args: ['--codec', codec, '--delivery', delivery] };
}

/** The ping-pong subjects; `raw` is the baseline. */
export function pingPongSubjects(): FlavourSubject[] {
  return [
    {
      id: 'async',
      label: '@net/async Clt recv() <-> Svc accept(), bytesCodec u32',
      flavour: 'async',
      baseline: false,
      server: asyncServer('bytes', 'accept'),
      client: asyncClient('bytes', 'recv'),
    },
    {
      id: 'async-onmessage',
      label: '@net/async Clt onMessage <-> Svc accept(), bytesCodec u32',
      flavour: 'async',
      baseline: false,
      server: asyncServer('bytes', 'accept'),
      client: asyncClient('bytes', 'onmessage'),
    },
    {
      id: 'async-struct',
      label: '@net/async Clt recv() <-> Svc accept(), structCodec Order (decoded objects, u16 frames)',
      flavour: 'async',
      baseline: false,
      server: asyncServer('struct', 'accept'),
      client: asyncClient('struct', 'recv'),
    },
    {
      id: 'raw',
      label: "node:net both sides, hand-written u32 framing, on('data'), one write per message",
      flavour: 'node:net',
      baseline: true,
      server: RAW_SERVER,
      client: RAW_CLIENT_EACH,
    },
  ];
}

/** The one-way throughput subjects; `raw-batched` is the baseline of the goal. */
export function throughputSubjects(): FlavourSubject[] {
  return [
    {
      id: 'async',
      label: '@net/async Clt send()/drained() -> Svc accept() + recv() loop, bytesCodec u32',
      flavour: 'async',
      baseline: false,
      server: asyncServer('bytes', 'accept'),
      client: asyncClient('bytes', 'recv'),
    },
    {
      id: 'async-onmessage',
      label: '@net/async Clt send()/drained() -> Svc onMessage callback, bytesCodec u32',
      flavour: 'async',
      baseline: false,
      server: asyncServer('bytes', 'onmessage'),
      client: asyncClient('bytes', 'recv'),
    },
    {
      id: 'raw-batched',
      label: 'node:net, frames packed by hand into one write of up to 64 KiB',
      flavour: 'node:net',
      baseline: true,
      server: RAW_SERVER,
      client: RAW_CLIENT_BATCHED,
    },
    {
      id: 'raw-each',
      label: 'node:net, one write() per message',
      flavour: 'node:net',
      baseline: true,
      server: RAW_SERVER,
      client: RAW_CLIENT_EACH,
    },
  ];
}

/** The idle-connection subjects: only the server differs; the client holds plain `net` sockets. */
export function idleSubjects(): FlavourSubject[] {
  return [
    {
      id: 'async',
      label: '@net/async Svc, accept() + a recv() loop per connection',
      flavour: 'async',
      baseline: false,
      server: asyncServer('bytes', 'accept'),
      client: RAW_CLIENT_EACH,
    },
    {
      id: 'async-pool',
      label: '@net/async Svc, autoPool + one recvFrom() loop',
      flavour: 'async',
      baseline: false,
      server: asyncServer('bytes', 'pool'),
      client: RAW_CLIENT_EACH,
    },
    {
      id: 'raw',
      label: "node:net server, a parser and on('data') per connection",
      flavour: 'node:net',
      baseline: true,
      server: RAW_SERVER,
      client: RAW_CLIENT_EACH,
    },
  ];
}
