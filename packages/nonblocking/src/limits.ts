/** The defaults of `@net/nonblocking`'s own options (`docs/limits-and-defaults.md` states them all). */

/** Empty polls of a pooled connection before the broker watches it (`idlePollsBeforeWatch`). */
export const DEFAULT_IDLE_POLLS_BEFORE_WATCH = 64;
/**
 * Messages a `Poller` takes from one connection in one pass before it moves on
 * to the next (`messagesPerPass`), so a peer that never stops sending cannot starve the others.
 */
export const DEFAULT_POLLER_MESSAGES_PER_PASS = 64;
