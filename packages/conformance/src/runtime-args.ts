/**
 * Command lines that start a program on the runtime running the suite: the soaks, the load test
 * and the clean-exit checks start through these (shared with the packages' own tests).
 */
export { moduleCodeArgs, onDeno, programArgs } from '../../../test-support/runtime-args.mjs';
