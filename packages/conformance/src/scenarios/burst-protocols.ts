import {
  type ByteWriter,
  type Codec,
  delimiterFramer,
  type Framer,
  type FrameSlice,
  HandshakeStep,
  jsonCodec,
  type Protocol,
} from '@net/core';
import { remotable } from '../recipes/recipe.js';
import { type CltMsg, GOOD_PASSWORD, type SvcMsg } from './protocols.js';

/**
 * A message whose `text` goes on the wire exactly as it is: whole newline-ended frames, valid or
 * not. Sent as the last message of a handshake, it puts the handshake's end and what follows it
 * (garbage included) into one write, so that the peer takes them in one read.
 */
export interface RawFrames {
  readonly type: 'raw';
  readonly text: string;
}

/**
 * Newline framing for receiving, and no framing at all for sending: a {@link RawFrames} body
 * carries its own newlines, which newline framing would refuse.
 */
class VerbatimLineFramer implements Framer {
  private readonly _lines = delimiterFramer({ delimiter: '\n' });
  readonly maxFrameLength = this._lines.maxFrameLength;
  readonly headLength = 0;
  readonly tailLength = 0;
  readonly expectedLength = 0;

  frameLength(bytes: Uint8Array, start: number, end: number): number {
    return this._lines.frameLength(bytes, start, end);
  }

  seal(_bytes: Uint8Array, _frameStart: number, bodyLength: number): number {
    return bodyLength;
  }

  reset(): void {
    this._lines.reset();
  }

  clone(): Framer {
    return new VerbatimLineFramer();
  }

  toString(): string {
    return 'verbatim lines';
  }
}

/**
 * Newline-delimited JSON like `jsonCodec()`, whose peer needs nothing else, that can also send
 * {@link RawFrames}: what a peer that writes a bad packet right behind its last handshake message
 * looks like on the wire.
 */
export const rawFramesCodec = remotable('rawFramesCodec', <Send, Recv>(): Codec<Send | RawFrames, Recv> => {
  const json = jsonCodec<Send, Recv>();
  return {
    framer: new VerbatimLineFramer(),
    usesView: false,
    encode(message: Send | RawFrames, out: ByteWriter): void {
      const raw = message as RawFrames;
      if (raw.type !== 'raw') {
        json.encode(message as Send, out);
        out.ensure(1);
        out.bytes[out.position++] = 0x0a;
        return;
      }
      out.ensure(raw.text.length * 3);
      out.position += out.bytes.write(raw.text, out.position, 'utf8');
    },
    decode: (frame: FrameSlice): Recv => json.decode(frame),
  };
});

/** The login service's handshake, whose `accepted` is followed in the same write by `burst`. */
export const serviceLoginThenBurst = remotable(
  'serviceLoginThenBurst',
  (burst: string): Protocol<SvcMsg | RawFrames, CltMsg> => ({
    onHandshakeRecv(message, connection) {
      if (message.type !== 'login' || message.password !== GOOD_PASSWORD) return HandshakeStep.Continue;
      connection.send({ type: 'raw', text: `${JSON.stringify({ type: 'accepted' })}\n${burst}` });
      return HandshakeStep.Done;
    },
  }),
);

/** The login client's handshake, whose login is followed in the same write by `burst`. */
export const clientLoginThenBurst = remotable(
  'clientLoginThenBurst',
  (burst: string): Protocol<CltMsg | RawFrames, SvcMsg> => ({
    onConnect: (connection) =>
      connection.send({
        type: 'raw',
        text: `${JSON.stringify({ type: 'login', user: 'u1', password: GOOD_PASSWORD })}\n${burst}`,
      }),
    onHandshakeRecv: (message) => (message.type === 'accepted' ? HandshakeStep.Done : HandshakeStep.Continue),
  }),
);
