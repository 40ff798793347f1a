import { inject } from 'vitest';
import type { Packed } from '../src/pack.js';

/** What the global setup hands every test file: the packed packages, or why packing failed. */
export interface Packing {
  /** The tarballs, in PUBLIC_PACKAGES order; empty when packing failed. */
  readonly packages: readonly Packed[];
  /** Why packing failed, if it did. */
  readonly error?: string;
  /** The directory holding the tarballs. */
  readonly dir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    packing: Packing;
  }
}

/**
 * The packed `name`. A failed pack fails each test that needs it, with the package's name and
 * pnpm's own words, rather than one anonymous setup error.
 */
export function packed(name: string): Packed {
  const packing = inject('packing');
  if (packing.error !== undefined) throw new Error(`${name}: not checked, because packing failed: ${packing.error}`);
  const found = packing.packages.find((pkg) => pkg.name === name);
  if (found === undefined) throw new Error(`${name}: was not packed`);
  return found;
}

/** Every packed tarball, for installs that need a flavour together with @net/core. */
export function packedAll(): readonly Packed[] {
  const packing = inject('packing');
  if (packing.error !== undefined) throw new Error(`not checked, because packing failed: ${packing.error}`);
  return packing.packages;
}
