/**
 * The name of this flavour. The client and service arrive with their own issue; until then the
 * package builds, installs alone and re-exports the shared core it stands on.
 */
export const FLAVOUR = 'async' as const;

export * from '@net/core';
