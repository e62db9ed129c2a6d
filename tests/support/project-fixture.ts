import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A DuckDB profiles.yml using an in-memory database. */
export const MEMORY_PROFILE = `test_profile:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: ":memory:"
      schema: main
      threads: 1
`;

/**
 * Write a project from a map of file contents into a fresh temp dir.
 * `dbt_project.yml` and `profiles.yml` get defaults unless given.
 */
export function makeProject(files: Record<string, string>, name = 'test_project'): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-test-'));
  made.push(dir);
  const all: Record<string, string> = {
    'dbt_project.yml': `name: ${name}\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\n`,
    'profiles.yml': MEMORY_PROFILE,
    ...files,
  };
  for (const [rel, text] of Object.entries(all)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return dir;
}

/** Capture a CLI run's output. */
export function captureStreams(): { stdout: string[]; stderr: string[]; streams: { stdout: (t: string) => void; stderr: (t: string) => void } } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, streams: { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) } };
}
