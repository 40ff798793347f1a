import type { Protocol } from '@net/core';
import { remotable } from '../recipes/recipe.js';
import { clientLogin, type CltMsg, type SvcMsg } from './protocols.js';

/** The hooks of {@link clientLoginThrowingIn} that can be made to throw. */
export type ThrowingHook = 'onRecv' | 'onSend' | 'onSent';

/** What the throwing hook of {@link clientLoginThrowingIn} throws: a plain `Error` with this message. */
export const HOOK_SAID = 'the hook said no';

/**
 * The client side of the login handshake ({@link clientLogin}) with one more hook, `hook`, that
 * throws a plain `Error` ({@link HOOK_SAID}) on the first message it sees: the login on its way out
 * (`onSend`, `onSent`) or the service's answer (`onRecv`). None of them is a handshake step.
 */
export const clientLoginThrowingIn = remotable(
  'clientLoginThrowingIn',
  (hook: ThrowingHook): Protocol<CltMsg, SvcMsg> => {
    const login = clientLogin();
    const fail = (): never => {
      throw new Error(HOOK_SAID);
    };
    return { ...login, [hook]: fail };
  },
);
