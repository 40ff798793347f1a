/* eslint-disable @typescript-eslint/no-unnecessary-type-assertion -- each `as typeof` restores a
   generic or overloaded factory signature that inference through remotable() would narrow. */
import * as core from '@net/core';
import { remotable, remotableConstant } from './recipe.js';

// The @net/core factories the scenarios use, each wrapped so that what it makes can be rebuilt in
// a host thread (see recipe.ts). Each keeps the exact type of the factory it wraps.

/** `jsonCodec` of `@net/core`, remotable. */
export const jsonCodec = remotable('jsonCodec', core.jsonCodec) as typeof core.jsonCodec;
/** `bytesCodec` of `@net/core`, remotable. */
export const bytesCodec = remotable('bytesCodec', core.bytesCodec) as typeof core.bytesCodec;
/** `structCodec` of `@net/core`, remotable. */
export const structCodec = remotable(
  'structCodec',
  core.structCodec as (...args: unknown[]) => object,
) as typeof core.structCodec;
/** `lengthFieldFramer` of `@net/core`, remotable. */
export const lengthFieldFramer = remotable(
  'lengthFieldFramer',
  core.lengthFieldFramer,
) as typeof core.lengthFieldFramer;
/** `delimiterFramer` of `@net/core`, remotable. */
export const delimiterFramer = remotable('delimiterFramer', core.delimiterFramer) as typeof core.delimiterFramer;
/** `fixedSizeFramer` of `@net/core`, remotable. */
export const fixedSizeFramer = remotable('fixedSizeFramer', core.fixedSizeFramer) as typeof core.fixedSizeFramer;
/** `struct` of `@net/core`, remotable. */
export const struct = remotable('struct', core.struct as (...args: unknown[]) => object) as typeof core.struct;
/** `union` of `@net/core`, remotable. */
export const union = remotable('union', core.union as (...args: unknown[]) => object) as typeof core.union;
/** `ascii` of `@net/core`, remotable. */
export const ascii = remotable('ascii', core.ascii) as typeof core.ascii;
/** `bytesRest` of `@net/core`, remotable. */
export const bytesRest = remotable('bytesRest', core.bytesRest) as typeof core.bytesRest;
/** `u32` of `@net/core`, remotable. */
export const u32 = remotableConstant('u32', core.u32);
/** `i64` of `@net/core`, remotable. */
export const i64 = remotableConstant('i64', core.i64);
/** `f64` of `@net/core`, remotable. */
export const f64 = remotableConstant('f64', core.f64);
/** `bool` of `@net/core`, remotable. */
export const bool = remotableConstant('bool', core.bool);
