/** The code of what `fn` threw, or `undefined` when it returned (see error-codes.mjs). */
export function codeOf(fn: () => unknown): string | undefined;
/** The reason `fn` failed: the cause's code when it threw `NET_ERR_CLOSED`, else its code; `undefined` when it returned. */
export function reasonOf(fn: () => unknown): string | undefined;
/** The code `promise` rejected with, or `undefined` when it resolved. */
export function rejectionCodeOf(promise: Promise<unknown>): Promise<string | undefined>;
