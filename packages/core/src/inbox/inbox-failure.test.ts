import { describe, expect, it } from 'vitest';
import { END_OF_STREAM } from '../connection/end-of-stream.js';
import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { FrameInbox } from './frame-inbox.js';

describe('an inbox its producer failed', () => {
  it('hands out every frame written before, then throws the error by its code and message on every read', () => {
    const inbox = new FrameInbox({ capacity: 1024, maxFrameBytes: 64 });
    const producer = inbox.producer();
    const consumer = inbox.consumer();
    expect(producer.tryWrite(Uint8Array.of(7), 0, 1)).toBe(true);
    producer.fail(new NetError(ErrorCode.PEER_RESET, 'peer reset: ECONNRESET'));
    const first = consumer.tryRead();
    expect(first !== END_OF_STREAM && typeof first === 'object' && first.bytes[first.offset]).toBe(7);
    for (let i = 0; i < 2; i++) {
      expect(() => consumer.tryRead()).toThrow(
        expect.objectContaining({ code: ErrorCode.PEER_RESET, message: 'peer reset: ECONNRESET' }),
      );
    }
    expect(() => producer.tryWrite(Uint8Array.of(1), 0, 1)).toThrow(
      expect.objectContaining({ code: ErrorCode.CLOSED }),
    );
  });

  it('cuts a long message to the room it has, and a clean close still ends the stream', () => {
    const failed = new FrameInbox({ capacity: 64, maxFrameBytes: 28 });
    const consumer = failed.consumer();
    failed.producer().fail(new NetError(ErrorCode.SOCKET, 'x'.repeat(1_000)));
    expect(() => consumer.tryRead()).toThrow(expect.objectContaining({ code: ErrorCode.SOCKET }));

    const ended = new FrameInbox({ capacity: 64, maxFrameBytes: 28 });
    const reader = ended.consumer();
    ended.producer().close();
    expect(reader.tryRead()).toBe(END_OF_STREAM);
  });
});
