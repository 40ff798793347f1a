import type { TestProject } from 'vitest/node';
import { packAll, type Packed } from '../src/pack.js';
import { PUBLIC_PACKAGES } from '../src/repo.js';
import { makeTempDir, removeTempDir } from '../src/temp-dir.js';
import type { Packing } from './packing-context.js';

// Packs the public packages once for all test files (packing each time would cost seconds per
// file and race on the same tarball names), and removes the tarballs after the run.
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = makeTempDir('packs');
  let packing: Packing;
  try {
    const packages: Packed[] = await packAll(PUBLIC_PACKAGES, dir);
    packing = { packages, dir };
  } catch (error) {
    packing = { packages: [], dir, error: error instanceof Error ? error.message : String(error) };
  }
  project.provide('packing', packing);
  return () => removeTempDir(dir);
}
