import { ErrorCode, NetError } from '@net/core';
import { createDescriptorIo, type DescriptorIo } from './descriptor-io.js';
import type { SocketBroker } from './socket-broker.js';

/** What a {@link BrokeredDescriptor} uses of the broker thread (a `SocketBroker`, or a stand-in for one). */
export type DescriptorOwner = Pick<SocketBroker, 'setBlocking' | 'close'>;

/**
 * The error of a connection whose broker thread exited: its sockets closed with it, so the
 * descriptor's number is free and may already name another file; it must never be used again.
 */
export function brokerStoppedError(conId: { toString(): string }): NetError {
  return new NetError(
    ErrorCode.CLOSED,
    `${String(conId)}: the socket broker thread stopped and its sockets closed with it`,
  );
}

/**
 * A connected descriptor lent by the broker thread, which owns its socket: the reads and writes
 * that fit its mode now, the switches between blocking and non-blocking mode (which only the
 * broker can make), and handing it back, once, for the broker to close.
 *
 * Both modes are read and written through the same path (WASI where Node has it): a switch of
 * mode changes only what the kernel does with an empty read, so it builds nothing.
 */
export class BrokeredDescriptor {
  private readonly _owner: DescriptorOwner;
  private _fd: number;
  private _blocking = false;
  // The reads and writes, whatever the mode; undefined once handed back or forgotten.
  private _io: DescriptorIo | undefined;

  /** `fd` must be in non-blocking mode, as the broker hands descriptors over. */
  constructor(owner: DescriptorOwner, fd: number) {
    this._owner = owner;
    this._fd = fd;
    this._io = createDescriptorIo(fd);
  }

  /** The descriptor's number; -1 once handed back. */
  get fd(): number {
    return this._fd;
  }

  /** The reads and writes (either mode); `undefined` once handed back. */
  get io(): DescriptorIo | undefined {
    return this._io;
  }

  /** True while the descriptor is in blocking mode (reads and writes park in the kernel). */
  get isBlocking(): boolean {
    return this._blocking;
  }

  /**
   * Puts the descriptor in blocking or non-blocking mode. The switch is a round trip to the broker
   * thread, so it is made only when the mode changes; a descriptor handed back is left alone.
   * @throws NetError when the broker refuses it or does not answer (the mode is unchanged then)
   */
  setBlocking(blocking: boolean): void {
    if (this._blocking === blocking || this._io === undefined) return;
    this._owner.setBlocking(this._fd, blocking);
    this._blocking = blocking;
  }

  /** Drops the number without closing it: another thread holds the descriptor and will close it. */
  forget(): void {
    this._fd = -1;
    this._io = undefined;
  }

  /** Hands the descriptor back to the broker, which closes it; later calls do nothing. */
  release(): void {
    if (this._io === undefined) return;
    this._owner.close(this._fd);
    this._fd = -1;
    // Its WASI streams are this descriptor's number, which the system may now give to another.
    this._io = undefined;
  }
}
