import { describe, expect, it } from 'vitest';
import { claimTicket, isTicket, newTicket, releaseHolder } from './holder-ticket.js';
import { isSharedHoldBuffer, SharedHold } from './shared-hold.js';

describe('SharedHold and the holder ticket', () => {
  it('counts the holding threads: the last release, and only it, says to close', () => {
    const giver = new SharedHold();
    expect(giver.holds).toBe(1);
    giver.take();
    const adopter = new SharedHold(giver.buffer, newTicket());
    expect(adopter.holds).toBe(2);
    expect(giver.release()).toBe(false);
    expect(adopter.release()).toBe(true);
    expect(isSharedHoldBuffer(giver.buffer)).toBe(true);
    expect(isSharedHoldBuffer(new SharedArrayBuffer(4))).toBe(false);
  });

  it("gives up an adopter's hold once, whether the adopter or the watcher of its thread gets there first", () => {
    const giver = new SharedHold();
    giver.take();
    const ticket = newTicket();
    const adopter = new SharedHold(giver.buffer, ticket);
    expect(releaseHolder(ticket, giver.buffer)).toBe(false); // the watcher: one hold is left
    expect(adopter.release()).toBe(false); // given up already: nothing more
    expect(giver.holds).toBe(1);
    expect(giver.release()).toBe(true);
  });

  it('claims a ticket once, and says first who marks the connection closed', () => {
    const ticket = newTicket();
    expect(isTicket(ticket)).toBe(true);
    expect(claimTicket(ticket)).toBe(true);
    expect(claimTicket(ticket)).toBe(false);
    const hold = new SharedHold();
    expect(hold.isClosed).toBe(false);
    expect(hold.markClosed()).toBe(true);
    expect(hold.markClosed()).toBe(false);
    expect(hold.isClosed).toBe(true);
  });

  it('lets one thread at a time hold the write lock, and notes the end of each whole frame', () => {
    const giver = new SharedHold();
    const adopter = new SharedHold(giver.buffer);
    expect(giver.tryLockWrite()).toBe(true);
    expect(adopter.tryLockWrite()).toBe(false);
    giver.abandonWrite();
    expect(adopter.tryLockWrite()).toBe(true);
    adopter.unlockWrite(1234);
    expect(giver.lastSendAt).toBe(1234);
    expect(giver.tryLockWrite()).toBe(true);
    expect(adopter.beatsTaken).toBe(false);
    adopter.takeBeats();
    expect(giver.beatsTaken).toBe(true);
  });
});
