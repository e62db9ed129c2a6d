import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import type { FetchedPackage } from './package-fetcher.js';
import { fileWriteError } from '../util/atomic-write.js';

/**
 * Replace the contents of the packages directory (`dbt_packages`) with
 * exactly `fetched`, atomically: every package is first copied (or, for local
 * packages, symlinked, as dbt does) into a staging directory next to it, and
 * only when all of them are in place is the staging directory renamed over the
 * old one. A failure leaves the previous dbt_packages untouched and no
 * half-written package behind. Git metadata (`.git`) is not copied.
 */
export function installPackages(fetched: readonly FetchedPackage[], installDir: string): void {
  const suffix = randomBytes(4).toString('hex');
  const staging = `${installDir}.tsdbt-staging-${suffix}`;
  let dest = staging;
  let what = 'the packages folder';
  try {
    mkdirSync(staging, { recursive: true });
    for (const f of fetched) {
      dest = path.join(staging, f.name);
      what = `package '${f.name}'`;
      if (f.link) {
        try {
          symlinkSync(path.resolve(f.dir), dest, 'dir');
          continue;
        } catch {
          // Symlinks can be unavailable (Windows without privilege); dbt copies then.
        }
      }
      cpSync(f.dir, dest, {
        recursive: true,
        verbatimSymlinks: true,
        filter: (src) => path.basename(src) !== '.git',
      });
    }
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    // Named as the package's final place: the staging folder is gone by now.
    throw fileWriteError(dest === staging ? installDir : path.join(installDir, path.relative(staging, dest)), what, e);
  }

  const old = `${installDir}.tsdbt-old-${suffix}`;
  const hadOld = existsSync(installDir);
  if (hadOld) renameSync(installDir, old);
  try {
    renameSync(staging, installDir);
  } catch (e) {
    if (hadOld) renameSync(old, installDir);
    rmSync(staging, { recursive: true, force: true });
    throw fileWriteError(installDir, 'the packages folder', e);
  }
  // rm never follows symlinks, so local packages' sources survive this.
  if (hadOld) rmSync(old, { recursive: true, force: true });
}
