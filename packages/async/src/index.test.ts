import { describe, expect, it } from 'vitest';
import { MessageReader, MessageWriter } from '@net/core';
import { bytesCodec, FLAVOUR } from './index.js';

describe('@net/async shell', () => {
  it('names its flavour and reaches @net/core through its workspace dependency', () => {
    expect(FLAVOUR).toBe('async');
    const codec = bytesCodec({ copy: true });
    const writer = new MessageWriter(codec);
    writer.write(new Uint8Array([1, 2, 3]));
    const reader = new MessageReader(codec);
    reader.accumulator.push(writer.out.bytes.subarray(0, writer.out.position));
    expect(Array.from(reader.next() ?? [])).toEqual([1, 2, 3]);
    writer.release();
  });
});
