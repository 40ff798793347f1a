/**
 * What a one-way stream of small messages costs the library per message, without sockets: the
 * sender's encode into one batch buffer (`MessageWriter`, as `sendMany` does) and the receiver's
 * cut and decode of frames read 16 KiB and more at a time (`MessageReader` fed as a synchronous
 * connection feeds it), through `bytesCodec()`; beside it, the receive as it was when a view was
 * kept for the last place only (a new view per frame of a read).
 *
 *   node dist/codecs/stream-bench.js [--size 128] [--rounds 3]
 *
 * Prints CPU ns per message (user + system, `process.cpuUsage`) of each round, after one round to
 * warm up.
 */
import { bytesCodec, type ByteWriter, type Codec, type FrameSlice, MessageReader, MessageWriter } from '@net/core';
import { Args, isMain } from '../util/cli.js';

/** Frames a stream client hands over in one `sendMany`, as the comparison's stream does. */
const BATCH = 64;
/** Messages per measured round, unless told. */
const MESSAGES = 2_000_000;

/** `bytesCodec()` keeping only the last view per connection: a new view for every other place. */
function lastViewOnly(): Codec<Uint8Array, Uint8Array> {
  const base = bytesCodec();
  let view: Uint8Array | undefined;
  let bytes: Uint8Array | undefined;
  let offset = 0;
  const codec: Codec<Uint8Array, Uint8Array> = {
    framer: base.framer,
    usesView: false,
    borrowsFrame: true,
    encode: (message: Uint8Array, out: ByteWriter) => base.encode(message, out),
    decode(frame: FrameSlice): Uint8Array {
      if (view !== undefined && frame.bytes === bytes && frame.offset === offset && frame.length === view.length)
        return view;
      bytes = frame.bytes;
      offset = frame.offset;
      return (view = base.decode(frame));
    },
  };
  return codec;
}

function cpuNs(run: () => number): number {
  const before = process.cpuUsage();
  const messages = run();
  const used = process.cpuUsage(before);
  return ((used.user + used.system) * 1000) / messages;
}

/** ns per message to encode `messages` bodies of `size` bytes in batches of {@link BATCH}. */
function encodeNs(size: number, messages: number): number {
  const writer = new MessageWriter(bytesCodec(), { initialCapacity: 16 * 1024 });
  const batch = Array.from({ length: BATCH }, () => new Uint8Array(size).fill(0x53));
  return cpuNs(() => {
    for (let sent = 0; sent < messages; sent += BATCH) {
      for (const message of batch) writer.write(message);
      writer.out.clear();
    }
    return Math.ceil(messages / BATCH) * BATCH;
  });
}

/** ns per message to receive `messages` bodies of `size` bytes, each read filling the room given. */
function decodeNs(codec: Codec<Uint8Array, Uint8Array>, size: number, messages: number): number {
  const writer = new MessageWriter(bytesCodec(), { initialCapacity: 64 * 1024 });
  for (let i = 0; i < 256; i++) writer.write(new Uint8Array(size).fill(0x53));
  const stream = writer.out.bytes.slice(0, writer.out.position);
  const reader = new MessageReader(codec, { initialCapacity: 16 * 1024, minReadSize: 16 * 1024 });
  let checksum = 0;
  const ns = cpuNs(() => {
    let received = 0;
    let at = 0;
    while (received < messages) {
      const { accumulator } = reader;
      // A read cut anywhere in a frame, as a socket with plenty waiting gives it.
      for (let room = accumulator.reserve(); room > 0;) {
        const take = Math.min(room, stream.length - at);
        accumulator.buffer.set(stream.subarray(at, at + take), accumulator.end);
        accumulator.commit(take);
        room -= take;
        at = (at + take) % stream.length;
      }
      for (let body = reader.next(); body !== undefined; body = reader.next()) {
        checksum += body[0];
        received++;
      }
    }
    return received;
  });
  if (checksum === 0) throw new Error('no body was read');
  return ns;
}

/** Runs `rounds` rounds of `messages` each and returns their lines. */
export function runStreamBench(size: number, rounds: number, messages = MESSAGES): string[] {
  const lines: string[] = [];
  // A round the JIT warms up in, not reported.
  encodeNs(size, messages);
  decodeNs(bytesCodec(), size, messages);
  decodeNs(lastViewOnly(), size, messages);
  for (let round = 1; round <= rounds; round++) {
    lines.push(
      `round ${round}: send ${encodeNs(size, messages).toFixed(1)} ns, receive ${decodeNs(bytesCodec(), size, messages).toFixed(1)} ns` +
        ` (a new view per frame: ${decodeNs(lastViewOnly(), size, messages).toFixed(1)} ns) per ${size}-byte message`,
    );
  }
  return lines;
}

if (isMain(import.meta.url)) {
  const args = new Args(process.argv.slice(2), ['size', 'rounds']);
  args.rejectUnknown(['size', 'rounds']);
  const size = args.integer('size', 128, 1);
  const rounds = args.integer('rounds', 3, 1);
  for (const line of runStreamBench(size, rounds)) console.log(line);
}
