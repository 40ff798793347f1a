import { MessageReader, MessageWriter } from '@net/core';
import { describe, expect, it } from 'vitest';
import {
  type ClientPacket,
  checkPayload,
  clientCodec,
  formatSequence,
  MAX_PAYLOAD_LENGTH,
  parseSequence,
  type ServerPacket,
  serverCodec,
} from './packets.js';

const ascii = (text: string): number[] => Array.from(text, (char) => char.charCodeAt(0));

function wire(packets: readonly ClientPacket[]): Uint8Array {
  const writer = new MessageWriter(clientCodec);
  try {
    for (const packet of packets) writer.write(packet);
    return writer.out.bytes.slice(0, writer.out.position);
  } finally {
    writer.release();
  }
}

function serverWire(packets: readonly ServerPacket[]): Uint8Array {
  const writer = new MessageWriter(serverCodec);
  try {
    for (const packet of packets) writer.write(packet);
    return writer.out.bytes.slice(0, writer.out.position);
  } finally {
    writer.release();
  }
}

function read<T>(reader: MessageReader<T>, bytes: Uint8Array): T[] {
  reader.accumulator.push(bytes);
  const out: T[] = [];
  for (let packet = reader.next(); packet !== undefined; packet = reader.next()) out.push(packet);
  return out;
}

describe('SoupBinTCP 4.0 packets on the wire', () => {
  it('writes a Login Request byte for byte: user and password padded right, session and sequence padded left', () => {
    const bytes = wire([{ type: 'L', username: 'ALICE', password: 'secret', session: '', sequence: '42' }]);
    const body = [
      ...ascii('L'),
      ...ascii('ALICE '),
      ...ascii('secret    '),
      ...ascii(' '.repeat(10)),
      ...ascii('42'.padStart(20, ' ')),
    ];
    expect(body.length).toBe(47);
    expect(Array.from(bytes)).toEqual([0x00, 47, ...body]);
  });

  it('reads a Login Accepted built by hand', () => {
    const body = [...ascii('A'), ...ascii('    TODAY1'), ...ascii('7'.padStart(20, ' '))];
    const [accepted] = read(new MessageReader(clientCodec), Uint8Array.from([0x00, body.length, ...body]));
    expect(accepted).toEqual({ type: 'A', session: 'TODAY1', sequence: '7' });
  });

  it('frames heartbeats, logout and end of session as a lone type byte', () => {
    expect(Array.from(wire([{ type: 'R' }, { type: 'O' }]))).toEqual([0, 1, ...ascii('R'), 0, 1, ...ascii('O')]);
    expect(Array.from(serverWire([{ type: 'H' }, { type: 'Z' }]))).toEqual([0, 1, ...ascii('H'), 0, 1, ...ascii('Z')]);
  });

  it('carries data as the rest of the packet, in both directions, however the bytes are cut', () => {
    const packets: ServerPacket[] = [
      { type: 'S', message: Uint8Array.of(1, 2, 3) },
      { type: 'U', message: new Uint8Array(0) },
      { type: 'J', reason: 'S' },
      { type: '+', text: Uint8Array.from(ascii('debug')) },
    ];
    const bytes = serverWire(packets);
    expect(Array.from(bytes.subarray(0, 6))).toEqual([0, 4, ...ascii('S'), 1, 2, 3]);
    const reader = new MessageReader(clientCodec);
    const got: ServerPacket[] = [];
    for (const byte of bytes) got.push(...read(reader, Uint8Array.of(byte)));
    expect(got).toEqual(packets);
    expect(read(new MessageReader(serverCodec), wire([{ type: 'U', message: Uint8Array.of(9) }]))).toEqual([
      { type: 'U', message: Uint8Array.of(9) },
    ]);
  });

  it('skips a packet of unknown type with NET_ERR_DECODE and reads on', () => {
    const reader = new MessageReader(clientCodec);
    reader.accumulator.push(Uint8Array.of(0, 1, ...ascii('Q'), 0, 1, ...ascii('H')));
    expect(() => reader.next()).toThrow(expect.objectContaining({ code: 'NET_ERR_DECODE' }));
    expect(reader.next()).toEqual({ type: 'H' });
  });

  it('refuses fields that do not fit with NET_ERR_ENCODE, sending nothing', () => {
    const writer = new MessageWriter(clientCodec);
    try {
      expect(() =>
        writer.write({ type: 'L', username: 'TOOLONGNAME', password: '', session: '', sequence: '0' }),
      ).toThrow(expect.objectContaining({ code: 'NET_ERR_ENCODE' }));
      expect(writer.out.position).toBe(0);
    } finally {
      writer.release();
    }
  });
});

describe('sequence numbers and payloads', () => {
  it('reads digits, counts a blank field as 0, and refuses the rest with NET_ERR_PROTOCOL', () => {
    expect(parseSequence('12')).toBe(12);
    expect(parseSequence('')).toBe(0);
    expect(parseSequence(formatSequence(2 ** 53 - 1))).toBe(2 ** 53 - 1);
    for (const bad of ['1a', '-1', '99999999999999999999', '1.5'])
      expect(() => parseSequence(bad)).toThrow(expect.objectContaining({ code: 'NET_ERR_PROTOCOL' }));
  });

  it('refuses negative numbers and oversized payloads with NET_ERR_INVALID_ARGUMENT', () => {
    expect(() => formatSequence(-1)).toThrow(expect.objectContaining({ code: 'NET_ERR_INVALID_ARGUMENT' }));
    expect(() => checkPayload(new Uint8Array(MAX_PAYLOAD_LENGTH + 1))).toThrow(
      expect.objectContaining({ code: 'NET_ERR_INVALID_ARGUMENT' }),
    );
    expect(() => checkPayload('text' as unknown as Uint8Array)).toThrow(
      expect.objectContaining({ code: 'NET_ERR_INVALID_ARGUMENT' }),
    );
    expect(checkPayload(new Uint8Array(MAX_PAYLOAD_LENGTH)).length).toBe(MAX_PAYLOAD_LENGTH);
  });
});
