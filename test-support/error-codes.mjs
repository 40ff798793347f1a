// What a call failed with, as the `NET_ERR_*` code a test compares: the tests of every flavour
// ask the same question of a throwing call or a rejecting promise, and answer it one way here.

/** The code of what `fn` threw, or `undefined` when it returned. */
export function codeOf(fn) {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error.code;
  }
}

/**
 * The reason `fn` failed: a call on a connection the library already closed throws
 * `NET_ERR_CLOSED` with the reason it closed as the cause, and that cause's code is the answer;
 * `undefined` when `fn` returned.
 */
export function reasonOf(fn) {
  try {
    fn();
    return undefined;
  } catch (error) {
    const { code, cause } = error;
    return code === 'NET_ERR_CLOSED' ? (cause?.code ?? code) : code;
  }
}

/** The code `promise` rejected with, or `undefined` when it resolved. */
export function rejectionCodeOf(promise) {
  return promise.then(
    () => undefined,
    (error) => error.code,
  );
}
