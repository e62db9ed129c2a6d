import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export interface TinyFs {
  /** The mount point (a temp folder). */
  readonly path: string;
  /** False where a tmpfs cannot be mounted (not root): tests then skip, saying so. */
  readonly mounted: boolean;
  /** Take every free byte (a file `filler` at the root). */
  fill(): void;
  /** Give the space back. */
  unfill(): void;
}

/**
 * A real small file system for full-disk tests: a tmpfs of `size` (e.g.
 * '2m'), mounted before the file's tests and removed after. Mounting needs
 * root (these machines have it).
 */
export function useTinyFs(size: string): TinyFs {
  const path = mkdtempSync(join(tmpdir(), 'tsdbt-tinyfs-'));
  let mounted = false;
  beforeAll(() => {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path], { stdio: 'pipe' });
      mounted = true;
    } catch {
      mounted = false;
    }
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', [path]);
    rmSync(path, { recursive: true, force: true });
  });
  return {
    path,
    get mounted() {
      return mounted;
    },
    fill() {
      const st = statfsSync(path);
      writeFileSync(join(path, 'filler'), Buffer.alloc(Number(st.bavail) * Number(st.bsize)));
    },
    unfill() {
      rmSync(join(path, 'filler'), { force: true });
    },
  };
}
