import { expect } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams } from './project-fixture.js';

/** Run the CLI on the project in `dir` (its profiles.yml there too); expects exit code `want`; returns stdout then stderr. */
export async function cliIn(dir: string, args: string[], want = 0): Promise<string> {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir, '--profiles-dir', dir], io.streams, {});
  const out = io.stdout.join('') + io.stderr.join('');
  expect(code, out).toBe(want);
  return out;
}

/** The console lines of `out` that begin with `prefix` once their `HH:MM:SS` time is taken off (a macro's log lines). */
export function loggedLines(out: string, prefix: string): string[] {
  return out
    .split('\n')
    .map((l) => l.replace(/^\d\d:\d\d:\d\d\s+/, ''))
    .filter((l) => l.startsWith(prefix));
}
