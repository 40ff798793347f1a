/**
 * State that belongs to one connection: {@link fresh} gives a new, independent copy built from the
 * initial value, so a protocol's `forConnection()` can hand each connection its own (links'
 * ProtocolConnectionState).
 */
export class ConnectionState<T> {
  /** The current value; replace or mutate it freely. */
  value: T;
  private readonly _initial: () => T;

  constructor(initial: () => T) {
    this._initial = initial;
    this.value = initial();
  }

  /** A new state holding a fresh initial value. */
  fresh(): ConnectionState<T> {
    return new ConnectionState(this._initial);
  }
}

/**
 * State shared by every connection of one service (links' ProtocolSessionState): {@link fresh}
 * returns the same object, so per-connection protocol instances see one session (a message log for
 * replay after reconnect, the next sequence number).
 */
export class SessionState<T> {
  /** The shared value. */
  value: T;

  constructor(value: T) {
    this.value = value;
  }

  /** This same state: sessions are shared, not copied. */
  fresh(): SessionState<T> {
    return this;
  }
}
