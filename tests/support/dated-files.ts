import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A writer of project files, each dated in the past (`ageMs` ago) and
 * `stepMs` after the one written before it, so the partial-parse tests'
 * unchanged files are trusted on stat and every edit has a time of its own.
 */
export function datedWriter(ageMs = 600_000, stepMs = 1): (dir: string, rel: string, text: string) => void {
  let clock = 0;
  return (dir, rel, text) => {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    const t = (Date.now() - ageMs + clock++ * stepMs) / 1000;
    utimesSync(path, t, t);
  };
}
