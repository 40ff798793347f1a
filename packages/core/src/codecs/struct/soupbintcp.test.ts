import { describe, expect, it } from 'vitest';
import { byteByByte, everySingleCut, join } from '../../test-support/feed.js';
import { MessageReader } from '../message-reader.js';
import { ascii, bytesRest, type InferMessage, struct, structCodec, union } from './index.js';
import { decodeStream, encodeStream } from './test-support/round-trip.js';

// SoupBinTCP 3.0-like: a u16 big-endian length (the struct codec's default framing), a one-character
// packet type, then fixed alphanumeric fields; the session and sequence number are right-justified.
const Session = ascii(10, { align: 'right' });
const Sequence = ascii(20, { align: 'right' });

const ClientPacket = union('type', ascii(1), {
  L: struct({ username: ascii(6), password: ascii(10), session: Session, sequence: Sequence }),
  U: struct({ message: bytesRest() }),
  R: struct({}),
  O: struct({}),
  '+': struct({ text: bytesRest() }),
});

const ServerPacket = union('type', ascii(1), {
  A: struct({ session: Session, sequence: Sequence }),
  J: struct({ reason: ascii(1) }),
  S: struct({ message: bytesRest() }),
  H: struct({}),
  Z: struct({}),
  '+': struct({ text: bytesRest() }),
});

type ClientPacket = InferMessage<typeof ClientPacket>;
type ServerPacket = InferMessage<typeof ServerPacket>;

const client = structCodec({ send: ClientPacket, recv: ServerPacket });
const server = client.reverse();

const text = (s: string) => Array.from(new TextEncoder().encode(s));

describe('a SoupBinTCP-like protocol', () => {
  it('writes a login request byte for byte', () => {
    const login: ClientPacket = { type: 'L', username: 'USER1', password: 'secret', session: '', sequence: '1' };
    const wire = encodeStream(client, [login]);
    const body = [
      ...text('L'),
      ...text('USER1 '),
      ...text('secret    '),
      ...text(' '.repeat(10)),
      ...text(`${' '.repeat(19)}1`),
    ];
    expect(Array.from(wire)).toEqual([0x00, 47, ...body]);
    expect(decodeStream(server, wire)).toEqual([login]);
  });

  it('reads a login accepted packet built by hand', () => {
    const body = [...text('A'), ...text('SESSION001'), ...text('1'.padStart(20, ' '))];
    const wire = Uint8Array.from([0x00, body.length, ...body]);
    const [accepted] = decodeStream(client, wire) as ServerPacket[];
    expect(accepted).toEqual({ type: 'A', session: 'SESSION001', sequence: '1' });
    if (accepted?.type === 'A') expect(BigInt(accepted.sequence)).toBe(1n);
  });

  it('carries sequenced data as the rest of the frame, heartbeats as a lone type byte', () => {
    const packets: ServerPacket[] = [
      { type: 'S', message: Uint8Array.from(text('order accepted')) },
      { type: 'H' },
      { type: 'S', message: new Uint8Array(0) },
      { type: 'J', reason: 'A' },
      { type: '+', text: Uint8Array.from(text('debug')) },
      { type: 'Z' },
    ];
    const wire = encodeStream(server, packets);
    expect(Array.from(wire.subarray(0, 17))).toEqual([0x00, 15, 0x53, ...text('order accepted')]);
    expect(Array.from(wire.subarray(17, 20))).toEqual([0x00, 0x01, 0x48]);
    for (const cuts of [[], ...everySingleCut(wire.length), byteByByte(wire.length)]) {
      expect(decodeStream(client, wire, cuts)).toEqual(packets);
    }
  });

  it('runs a session: login, accepted, data both ways, heartbeats, logout', () => {
    const fromClient: ClientPacket[] = [
      { type: 'L', username: 'TRADER', password: 'pw', session: 'S1', sequence: '0' },
      { type: 'U', message: Uint8Array.of(1, 2, 3) },
      { type: 'R' },
      { type: 'O' },
    ];
    const fromServer: ServerPacket[] = [
      { type: 'A', session: 'S1', sequence: '1' },
      { type: 'S', message: Uint8Array.of(4, 5) },
      { type: 'H' },
    ];
    expect(decodeStream(server, encodeStream(client, fromClient))).toEqual(fromClient);
    expect(decodeStream(client, encodeStream(server, fromServer))).toEqual(fromServer);
  });

  it('keeps reading after a packet type the client does not know', () => {
    const stream = join([Uint8Array.of(0, 1, 0x51), encodeStream(server, [{ type: 'H' }])]);
    const reader = new MessageReader(client);
    reader.accumulator.push(stream);
    expect(() => reader.next()).toThrow(/unknown field 'type' tag 0x51 \('Q'\)/);
    expect(reader.next()).toEqual({ type: 'H' });
    expect(reader.next()).toBeUndefined();
  });
});
