import type { LibcSocketHost } from '../libc/libc-socket-host.js';
import { PollList } from '../libc/poll-list.js';
import type { ServedConnection } from './served-connection.js';

/**
 * How a service thread on the C-library path learns which of its connections have bytes: one
 * `poll(2)` per pass over every connection's descriptor (and its host's own, so the graceful
 * closes it started are finished as before), instead of a read of each connection that mostly
 * finds nothing. The list is reused: a pass allocates nothing.
 */
export class ReadyPoll {
  private readonly _host: LibcSocketHost;
  private readonly _list = new PollList();

  constructor(host: LibcSocketHost) {
    this._host = host;
  }

  /**
   * Waits up to `timeoutMs` (0: only looks) for any of `served` to be readable, and marks each one
   * the poll found readable, at its end or failed as `ready`. Connections closed already are left
   * out (their descriptor may be another's by now); the pass drops them.
   */
  poll(served: readonly ServedConnection[], timeoutMs: number): void {
    const list = this._list;
    list.clear();
    for (let i = 0; i < served.length; i++) if (served[i].isOpen) list.add(served[i].fd);
    this._host.pollReadable(list, timeoutMs);
    let entry = 0;
    for (let i = 0; i < served.length; i++) {
      const connection = served[i];
      if (!connection.isOpen) continue;
      if (list.isReady(entry++)) connection.ready = true;
    }
  }
}
