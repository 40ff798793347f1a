import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors/error-codes.js';
import { delimiterFramer } from './delimiter-framer.js';
import { fixedSizeFramer } from './fixed-size-framer.js';
import type { Framer } from './framer.js';
import { describeFramer, framerFromDescription } from './framer-description.js';
import { lengthFieldFramer } from './length-field-framer.js';

describe('framer descriptions', () => {
  it('rebuild every built-in framer from plain data that survives a structured clone', () => {
    const framers: Framer[] = [
      fixedSizeFramer(12),
      lengthFieldFramer({ lengthFieldLength: 2, byteOrder: 'little', lengthFieldOffset: 1, maxFrameLength: 4096 }),
      lengthFieldFramer({ lengthIncludesHeader: true, initialBytesToStrip: 0 }),
      delimiterFramer({ delimiter: '\r\n', maxFrameLength: 100 }),
    ];
    for (const framer of framers) {
      const rebuilt = framerFromDescription(structuredClone(describeFramer(framer)));
      expect(rebuilt.toString()).toBe(framer.toString());
      expect(rebuilt.constructor).toBe(framer.constructor);
    }
  });

  it('refuse a framer that cannot describe itself, and anything that is not a description', () => {
    // A spread keeps the fields and loses the class's methods, describe() among them.
    const opaque = { ...delimiterFramer() } as unknown as Framer;
    expect(() => describeFramer(opaque)).toThrow(expect.objectContaining({ code: ErrorCode.UNSUPPORTED }));
    expect(() => framerFromDescription({ kind: 'other' } as never)).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }),
    );
  });
});
