import type { ConId } from '../connection/con-id.js';
import type { NetError } from '../errors/net-error.js';
import type { CallbackEvent, Callbacks } from './callbacks.js';
import { defaultLogger } from './logger.js';

/**
 * Told about an exception a chain member threw: the error, the event being delivered, and the
 * member that threw.
 */
export type CallbackErrorHandler<Send, Recv> = (
  error: unknown,
  event: CallbackEvent,
  member: Callbacks<Send, Recv>,
) => void;

/** Options of a {@link ChainCallback}. */
export interface ChainCallbackOptions<Send, Recv> {
  /**
   * Receives each exception a member throws, after every member has seen the event. Default:
   * `defaultLogger.error`. A handler that rethrows makes the chain throw (still only after every
   * member ran), which hands the error to the connection's own error reporting.
   */
  readonly onCallbackError?: CallbackErrorHandler<Send, Recv>;
}

interface Failure<Send, Recv> {
  readonly error: unknown;
  readonly member: Callbacks<Send, Recv>;
}

const logCallbackError: CallbackErrorHandler<unknown, unknown> = (error, event, member) => {
  defaultLogger.error(`ChainCallback: ${memberName(member)}.${event} threw`, error);
};

function memberName(member: object): string {
  const name = member.constructor?.name;
  return name !== undefined && name !== 'Object' ? name : 'member';
}

/**
 * Fans every event out to its members, in the order given. A member that throws does not stop
 * the members after it: its error is set aside and reported through `onCallbackError` once the
 * event has reached everyone. The member list is fixed at construction, so delivery never races
 * with changes to it.
 */
export class ChainCallback<Send = unknown, Recv = unknown> implements Callbacks<Send, Recv> {
  /** The members, in delivery order. */
  readonly members: readonly Callbacks<Send, Recv>[];
  private readonly _onCallbackError: CallbackErrorHandler<Send, Recv>;

  constructor(members: Iterable<Callbacks<Send, Recv>>, options: ChainCallbackOptions<Send, Recv> = {}) {
    this.members = Object.freeze([...members]);
    this._onCallbackError = options.onCallbackError ?? logCallbackError;
  }

  /** Delivers `onRecv` to every member. */
  onRecv(conId: ConId, message: Recv): void {
    let failures: Failure<Send, Recv>[] | undefined;
    for (const member of this.members) {
      // Called as a method so members that are class instances keep their `this`.
      try {
        member.onRecv?.(conId, message);
      } catch (error) {
        (failures ??= []).push({ error, member });
      }
    }
    if (failures !== undefined) this._report(failures, 'onRecv');
  }

  /** Delivers `onSent` to every member. */
  onSent(conId: ConId, message: Send): void {
    let failures: Failure<Send, Recv>[] | undefined;
    for (const member of this.members) {
      try {
        member.onSent?.(conId, message);
      } catch (error) {
        (failures ??= []).push({ error, member });
      }
    }
    if (failures !== undefined) this._report(failures, 'onSent');
  }

  /** Delivers `onConnected` to every member. */
  onConnected(conId: ConId): void {
    let failures: Failure<Send, Recv>[] | undefined;
    for (const member of this.members) {
      try {
        member.onConnected?.(conId);
      } catch (error) {
        (failures ??= []).push({ error, member });
      }
    }
    if (failures !== undefined) this._report(failures, 'onConnected');
  }

  /** Delivers `onDisconnected` to every member. */
  onDisconnected(conId: ConId, reason: NetError | undefined): void {
    let failures: Failure<Send, Recv>[] | undefined;
    for (const member of this.members) {
      try {
        member.onDisconnected?.(conId, reason);
      } catch (error) {
        (failures ??= []).push({ error, member });
      }
    }
    if (failures !== undefined) this._report(failures, 'onDisconnected');
  }

  /** Delivers `onRejected` to every member. */
  onRejected(conId: ConId, reason: NetError): void {
    let failures: Failure<Send, Recv>[] | undefined;
    for (const member of this.members) {
      try {
        member.onRejected?.(conId, reason);
      } catch (error) {
        (failures ??= []).push({ error, member });
      }
    }
    if (failures !== undefined) this._report(failures, 'onRejected');
  }

  /** `ChainCallback<A, B, ...>`, naming each member by its own `toString()`. */
  toString(): string {
    return `ChainCallback<${this.members.map((member) => String(member)).join(', ')}>`;
  }

  private _report(failures: readonly Failure<Send, Recv>[], event: CallbackEvent): void {
    for (const { error, member } of failures) this._onCallbackError(error, event, member);
  }
}

/** Shorthand for `new ChainCallback(members)`: one callbacks object that feeds all of `members`. */
export function chainCallbacks<Send = unknown, Recv = unknown>(
  ...members: Callbacks<Send, Recv>[]
): ChainCallback<Send, Recv> {
  return new ChainCallback(members);
}
