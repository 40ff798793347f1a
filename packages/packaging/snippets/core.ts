// A user who installed only @net/core: 100 binary struct messages are framed into one buffer, the
// buffer arrives split at an awkward place, and every message comes out whole and in order.
import { ascii, MessageReader, MessageWriter, struct, structCodec, u32, u53 } from '@net/core';

const COUNT = 100;
const Order = struct({ id: u53, symbol: ascii(8), quantity: u32 });
const codec = structCodec(Order);

const writer = new MessageWriter(codec);
for (let id = 1; id <= COUNT; id++) writer.write({ id, symbol: 'ACME', quantity: id * 10 });
const wire = Uint8Array.from(writer.out.bytes.subarray(0, writer.out.position));
writer.release();

const reader = new MessageReader(codec);
let expected = 1;
const split = Math.floor(wire.length / 2) + 3; // mid-frame, so the reader must keep a partial one
for (const part of [wire.subarray(0, split), wire.subarray(split)]) {
  reader.accumulator.push(part);
  for (let order = reader.next(); order !== undefined; order = reader.next()) {
    if (order.id !== expected || order.symbol !== 'ACME' || order.quantity !== expected * 10) {
      throw new Error(`message ${expected} came out as ${JSON.stringify(order)}`);
    }
    expected += 1;
  }
}
if (expected !== COUNT + 1) throw new Error(`${expected - 1} of ${COUNT} messages came out`);
console.log(JSON.stringify({ package: '@net/core', messages: COUNT }));
