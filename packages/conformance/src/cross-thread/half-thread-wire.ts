import type { SharedFrameInbox } from '@net/core';

/** A synchronous flavour whose client or half a cross-thread scenario runs on a thread of its own. */
export type SyncFlavour = 'nonblocking' | 'blocking';

/** Which half of a split client. */
export type HalfSide = 'sender' | 'receiver';

/** What the suite's thread asks of a half thread; every request is answered by its `id`. */
export type HalfRequest = { readonly id: number } & (
  | { readonly op: 'connect'; readonly flavour: SyncFlavour; readonly port: number }
  | { readonly op: 'transfer'; readonly side: HalfSide }
  | { readonly op: 'adopt'; readonly flavour: SyncFlavour; readonly side: HalfSide; readonly value: unknown }
  /** Reads an inbox (a poller thread's, for one connection) as this thread's receiver, with the flavour's `InboxReceiver`. */
  | { readonly op: 'attachInbox'; readonly flavour: SyncFlavour; readonly inbox: SharedFrameInbox }
  | {
      readonly op: 'recvN';
      readonly count: number;
      readonly timeoutMs: number;
      readonly who: string;
      /** After this many messages, a `progress` notice tells the suite's thread the stream is under way. */
      readonly noticeAt?: number;
    }
  | { readonly op: 'sendN'; readonly count: number; readonly timeoutMs: number }
  | { readonly op: 'recvEnd'; readonly timeoutMs: number }
  | { readonly op: 'sendOne'; readonly seq: number; readonly timeoutMs: number }
  | { readonly op: 'closeHalf'; readonly side: HalfSide }
  | { readonly op: 'closeClt' }
  | { readonly op: 'state' }
  | { readonly op: 'closeAll' }
);

/** A request as the caller writes it: the id is added when it is posted. */
export type HalfAsk = HalfRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** A half thread's answer: `ok` and what the operation returned, or the error's code and message. */
export interface HalfAnswer {
  readonly id: number;
  readonly ok: boolean;
  readonly code?: string;
  readonly message?: string;
  readonly [key: string]: unknown;
}
