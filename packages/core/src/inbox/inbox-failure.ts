import { ErrorCode } from '../errors/error-codes.js';
import { NetError } from '../errors/net-error.js';
import { FAILURE_AT, FAILURE_BYTES, H_FAILURE } from './inbox-layout.js';

/*
 * A producer that ends its stream because of an error (a socket reset, a stream that cannot be
 * framed) leaves the error in the inbox's header, as the text `code\nmessage`: the consumer reads
 * every frame written before it, then gets a NetError with the same code instead of the end of the
 * stream. An error object cannot cross threads by shared memory, so its cause stays behind; the
 * message says what it was.
 */

const CODES = new Set<string>(Object.values(ErrorCode));

/** Leaves `error`'s code and message in the header; call before the producer's side closes. */
export function writeFailure(buffer: SharedArrayBuffer, header: Int32Array, error: NetError): void {
  const text = new TextEncoder().encode(`${error.code}\n${error.message}`);
  const length = Math.min(text.length, FAILURE_BYTES);
  new Uint8Array(buffer, FAILURE_AT, FAILURE_BYTES).set(text.subarray(0, length));
  // The store publishes the text: a consumer that loads a non-zero length sees it whole.
  Atomics.store(header, H_FAILURE, length);
}

/** The error a producer left with `fail()`, or `undefined` when it ended the stream cleanly. */
export function readFailure(buffer: SharedArrayBuffer, header: Int32Array): NetError | undefined {
  const length = Atomics.load(header, H_FAILURE);
  if (length <= 0) return undefined;
  // A copy: TextDecoder refuses views of shared memory on some runtimes.
  const text = new TextDecoder().decode(new Uint8Array(buffer, FAILURE_AT, length).slice());
  const cut = text.indexOf('\n');
  const code = cut < 0 ? '' : text.slice(0, cut);
  const message = cut < 0 ? text : text.slice(cut + 1);
  return new NetError(CODES.has(code) ? (code as ErrorCode) : ErrorCode.CLOSED, message, {
    details: { producerFailed: true },
  });
}
