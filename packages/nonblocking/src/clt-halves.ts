import { ReceiverHalf, SenderHalf } from '@net/sync';
import { adoptHalfAs, splitInto } from '@net/sync/internal';
import type { AdoptOptions, CallOptions, END_OF_STREAM, RecvResult, SendStatus } from '@net/sync';
import { Clt } from './clt.js';

/** The sending half of a non-blocking {@link Clt}; `share()` makes another holder of it. */
export class CltSender<Send, Recv> extends SenderHalf<Send, Recv, Clt<Send, Recv>> {
  /** See `Clt.send`. */
  send(message: Send, options?: CallOptions): SendStatus {
    return this.client.send(message, options);
  }

  /** See `Clt.sendMany`. */
  sendMany(messages: readonly Send[], options?: CallOptions): SendStatus {
    return this.client.sendMany(messages, options);
  }

  /** See `Clt.sendBusywaitTimeout`. */
  sendBusywaitTimeout(message: Send, timeoutMs: number): SendStatus {
    return this.client.sendBusywaitTimeout(message, timeoutMs);
  }

  /** See `Clt.sendBusywait`. */
  sendBusywait(message: Send): 'completed' {
    return this.client.sendBusywait(message);
  }

  /** See `Clt.sendManyBusywait`. */
  sendManyBusywait(messages: readonly Send[]): 'completed' {
    return this.client.sendManyBusywait(messages);
  }

  /**
   * The half in `value` (what `transfer()` returned on another thread of this process), working on
   * this thread. Either synchronous flavour may adopt a half of either. The connection closes
   * when the last holder on any thread closes; `Clt.close()` on the giving thread ends it for all.
   * @throws NetError `NET_ERR_INVALID_ARGUMENT` (not a transfer value, the other half, another
   * process, the thread that gave it, adopted already), `NET_ERR_CLOSED` (the connection closed
   * meanwhile, or the broker thread that owns its socket stopped)
   */
  static adopt<Send, Recv>(value: unknown, options: AdoptOptions<Send, Recv>): CltSender<Send, Recv> {
    return adoptHalfAs(CltSender<Send, Recv>, Clt<Send, Recv>, value, 'sender', options);
  }
}

/** The receiving half of a non-blocking {@link Clt}; `share()` makes another holder of it. */
export class CltReceiver<Send, Recv> extends ReceiverHalf<Send, Recv, Clt<Send, Recv>> {
  /** See `Clt.recv`. */
  recv(options?: CallOptions): RecvResult<Recv> {
    return this.client.recv(options);
  }

  /** See `Clt.recvBusywaitTimeout`. */
  recvBusywaitTimeout(timeoutMs: number): RecvResult<Recv> {
    return this.client.recvBusywaitTimeout(timeoutMs);
  }

  /** See `Clt.recvBusywait`. */
  recvBusywait(): Recv | typeof END_OF_STREAM {
    return this.client.recvBusywait();
  }

  /**
   * The half in `value` (what `transfer()` returned on another thread of this process), working on
   * this thread. Either synchronous flavour may adopt a half of either. The connection closes
   * when the last holder on any thread closes; `Clt.close()` on the giving thread ends it for all.
   * @throws NetError `NET_ERR_INVALID_ARGUMENT` (not a transfer value, the other half, another
   * process, the thread that gave it, adopted already), `NET_ERR_CLOSED` (the connection closed
   * meanwhile, or the broker thread that owns its socket stopped)
   */
  static adopt<Send, Recv>(value: unknown, options: AdoptOptions<Send, Recv>): CltReceiver<Send, Recv> {
    return adoptHalfAs(CltReceiver<Send, Recv>, Clt<Send, Recv>, value, 'receiver', options);
  }
}

/** Splits `clt` into its two halves, each with one holder. */
export function splitClt<Send, Recv>(
  clt: Clt<Send, Recv>,
): { sender: CltSender<Send, Recv>; receiver: CltReceiver<Send, Recv> } {
  return splitInto(clt, CltSender<Send, Recv>, CltReceiver<Send, Recv>);
}
