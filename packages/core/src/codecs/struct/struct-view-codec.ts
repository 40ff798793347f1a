import type { ByteWriter } from '../../buffers/byte-writer.js';
import type { Framer } from '../../framing/framer.js';
import type { Codec, FrameSlice } from '../codec.js';
import { failTag } from './codec-errors.js';
import { type CompiledViews, compileViews, type ViewBase, type ViewToken } from './compile-view.js';
import { checkByteOrder, type InferMessage, invalidLayout, isField } from './field.js';
import { type DuplexLayouts, type MessageLayout, StructCodec, type StructCodecOptions } from './struct-codec.js';

/**
 * The view of a received message of type `T`: the same read-only shape, read from the frame in
 * place through getters (nested structs are nested views), plus `toObject()`. See
 * {@link structViewCodec} for its lifetime.
 */
export type MessageView<T> = T extends unknown ? { readonly [K in keyof T]: FieldView<T[K]> } & ViewMethods<T> : never;

/** The view type of one field value: numbers, bigints, strings and bytes as they are; structs as views. */
export type FieldView<V> = V extends Uint8Array | number | bigint | string | boolean ? V : MessageView<V>;

/** What every message view has besides its fields. */
export interface ViewMethods<T> {
  /** Copies the message out into the plain object the object codec ({@link structCodec}) decodes. */
  toObject(): T;
}

/** Options of {@link structViewCodec}: those of {@link structCodec}, and the lifetime check. */
export interface StructViewCodecOptions extends StructCodecOptions {
  /**
   * Check every read of a view: reading one after the next message was received on its
   * connection, or after the connection closed, throws `NET_ERR_VIEW_EXPIRED`. The check makes a
   * small object per message. Default: on unless `process.env.NODE_ENV` is `'production'`.
   */
  readonly checkLifetime?: boolean;
}

/** A token that never expires: views without the lifetime check never read it. */
const LIVE: ViewToken = { live: true };

function defaultCheck(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.NODE_ENV !== 'production';
}

/**
 * A struct codec whose decoded messages are views over the frame; see {@link structViewCodec}.
 * Encoding is the {@link StructCodec}'s. Shareable by every connection: each connection's reader
 * gets its own decoding instance (`forConnection`), which owns that connection's reused view.
 */
export class StructViewCodec<Send, Recv> implements Codec<Send, MessageView<Recv>> {
  readonly framer: Framer;
  /** Views point into the frame: a flavour that queues messages gives each its own copy. */
  readonly borrowsFrame = true;
  /** Whether views check their lifetime (`NET_ERR_VIEW_EXPIRED`). */
  readonly checkLifetime: boolean;
  /** The object codec of the same layouts, which encodes for this one. */
  readonly objects: StructCodec<Send, Recv>;
  private readonly _views: CompiledViews;
  private _shared: ViewDecoder<Send, Recv> | undefined;

  /** Prefer {@link structViewCodec}, which infers the message types. */
  constructor(send: MessageLayout, recv: MessageLayout, options: StructViewCodecOptions = {}) {
    this.objects = new StructCodec<Send, Recv>(send, recv, options);
    this.framer = this.objects.framer;
    const check = options.checkLifetime ?? defaultCheck();
    if (typeof check !== 'boolean') throw invalidLayout('checkLifetime must be a boolean', { option: 'checkLifetime' });
    this.checkLifetime = check;
    const little = checkByteOrder(options.byteOrder) === 'little';
    this._views = compileViews(recv, little, options.allowTrailingBytes === true, check);
  }

  encode(message: Send, out: ByteWriter): void {
    this.objects.encode(message, out);
  }

  /**
   * The view of one frame, from an instance shared by every caller that decodes through the codec
   * itself (connections use their own, from {@link forConnection}).
   * @throws NetError `NET_ERR_DECODE` for a body of the wrong length or an unknown tag
   */
  decode(frame: FrameSlice): MessageView<Recv> {
    this._shared ??= new ViewDecoder(this, this._views, false);
    return this._shared.decode(frame);
  }

  /** The decoding instance of one connection: its own reused view, or one view per message when `queued`. */
  forConnection(queued: boolean): Codec<Send, MessageView<Recv>> {
    return new ViewDecoder(this, this._views, queued);
  }

  /** The codec of the other end, with the same options; see {@link StructCodec.reverse}. */
  reverse(): StructViewCodec<Recv, Send> {
    const options = this.objects.options as StructViewCodecOptions;
    return new StructViewCodec<Recv, Send>(this.objects.recvLayout, this.objects.sendLayout, {
      ...options,
      framer: this.framer,
      checkLifetime: this.checkLifetime,
    });
  }
}

/**
 * One connection's decoding side. Without `queued`, one view per message shape is reused for every
 * frame (with the lifetime check, a new one per frame, and the previous one expires). With
 * `queued`, each message gets its own view over its own copy of the frame, and expires when the
 * next one is handed out.
 */
class ViewDecoder<Send, Recv> implements Codec<Send, MessageView<Recv>> {
  readonly framer: Framer;
  readonly borrowsFrame: boolean;
  private readonly _codec: StructViewCodec<Send, Recv>;
  private readonly _compiled: CompiledViews;
  private readonly _queued: boolean;
  private readonly _check: boolean;
  private readonly _reused: (ViewBase | undefined)[];
  private _token: ViewToken = { live: false };

  constructor(codec: StructViewCodec<Send, Recv>, compiled: CompiledViews, queued: boolean) {
    this._codec = codec;
    this.framer = codec.framer;
    this._compiled = compiled;
    this._queued = queued;
    this.borrowsFrame = !queued;
    this._check = codec.checkLifetime;
    this._reused = new Array<ViewBase | undefined>(compiled.classes.length).fill(undefined);
  }

  encode(message: Send, out: ByteWriter): void {
    this._codec.encode(message, out);
  }

  decode(frame: FrameSlice): MessageView<Recv> {
    const compiled = this._compiled;
    // Expired first: whatever this frame holds, the previous message's view no longer reads it.
    if (this._check && !this._queued) this._token.live = false;
    compiled.check(frame);
    let bytes = frame.bytes;
    let view = frame.view;
    let offset = frame.offset;
    const index = compiled.tagged ? bytes[offset] : 0;
    const Class = compiled.classes[index];
    if (Class === undefined) failTag({ path: compiled.tagKey, offset: 0 }, index);
    let message: ViewBase | undefined;
    if (this._queued) {
      if (frame.stable !== true) {
        // Node's pooled allocation: far cheaper than a fresh ArrayBuffer per message.
        const copy = Buffer.allocUnsafe(frame.length);
        copy.set(bytes.subarray(offset, offset + frame.length));
        bytes = copy;
        view = new DataView(copy.buffer, copy.byteOffset, copy.length);
        offset = 0;
      }
      message = new Class(this._check ? { live: true } : LIVE);
    } else if (this._check) {
      this._token = { live: true };
      message = new Class(this._token);
    } else {
      message = this._reused[index] ??= new Class(LIVE);
    }
    message.$b = bytes;
    message.$v = view;
    message.$o = offset;
    message.$e = offset + frame.length;
    return message as unknown as MessageView<Recv>;
  }

  release(): void {
    // Queued views own their bytes and stay readable until the next one is handed out.
    if (!this._queued) this._token.live = false;
  }

  handOut(message: MessageView<Recv>): void {
    if (!this._check) return;
    this._token.live = false;
    this._token = (message as unknown as ViewBase).$t;
  }
}

/**
 * A struct codec whose decode returns views instead of objects: each received message is read
 * from the frame in place, through getters, with no object built per message.
 *
 * ```ts
 * const Tick = struct({ seq: u53, symbol: ascii(8), price: i64, qty: u32 });
 * const codec = structViewCodec(Tick); // Codec<Tick, MessageView<Tick>>
 * ```
 *
 * Lifetime: a view is valid until the next message is received on its connection, or until the
 * connection closes; keep a message past that with `view.toObject()`. A connection reuses one
 * view per message shape. With `checkLifetime` (the default unless `NODE_ENV` is `'production'`)
 * reading an expired view throws `NET_ERR_VIEW_EXPIRED`; without it nothing is checked and
 * nothing is allocated per message, and an expired view reads whatever its connection received
 * since. Length and union tags are checked on receive (`NET_ERR_DECODE`); a text field's bytes
 * and a u53's range are checked when the field is read (`NET_ERR_DECODE` from the getter).
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` for the layouts {@link structCodec} refuses, and for
 * a field named `toObject`, `constructor` or `$` and a letter (properties of the views)
 */
export function structViewCodec<L extends MessageLayout>(
  layout: L,
  options?: StructViewCodecOptions,
): StructViewCodec<InferMessage<L>, InferMessage<L>>;
export function structViewCodec<S extends MessageLayout, R extends MessageLayout>(
  layouts: DuplexLayouts<S, R>,
  options?: StructViewCodecOptions,
): StructViewCodec<InferMessage<S>, InferMessage<R>>;
export function structViewCodec(
  layouts: MessageLayout | DuplexLayouts<MessageLayout, MessageLayout>,
  options: StructViewCodecOptions = {},
): StructViewCodec<unknown, unknown> {
  if (isField(layouts)) return new StructViewCodec(layouts, layouts, options);
  if (typeof layouts !== 'object' || layouts === null || !('send' in layouts) || !('recv' in layouts)) {
    throw invalidLayout('structViewCodec() takes a layout, or { send, recv } layouts');
  }
  return new StructViewCodec(layouts.send, layouts.recv, options);
}
