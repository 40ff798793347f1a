import type { ConId } from './con-id.js';

/**
 * A message a service received from one of its pooled connections, with that connection's id
 * (what a pool's `recv` returns in every flavour).
 */
export interface Received<Recv> {
  /** The connection the message came from. */
  readonly conId: ConId;
  /** The message. */
  readonly message: Recv;
}
