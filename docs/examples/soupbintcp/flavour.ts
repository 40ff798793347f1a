import { ErrorCode, NetError } from '@net/core';

/** The three ways of waiting @net offers; each server and client here comes in all three. */
export const FLAVOURS = ['async', 'nonblocking', 'blocking'] as const;

/** One of {@link FLAVOURS}. */
export type Flavour = (typeof FLAVOURS)[number];

/** Reads a flavour name. @throws NetError `NET_ERR_INVALID_ARGUMENT` for anything else */
export function parseFlavour(text: string | undefined): Flavour {
  const found = FLAVOURS.find((flavour) => flavour === text);
  if (found === undefined)
    throw new NetError(
      ErrorCode.INVALID_ARGUMENT,
      `--flavour must be one of ${FLAVOURS.join(', ')}, got ${String(text)}`,
    );
  return found;
}
