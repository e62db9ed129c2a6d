import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic-write.js';
import { join } from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';

/** What an incremental stream remembers between runs. */
export interface StreamState {
  cursor_field: string;
  /** Largest cursor value seen, as the API wrote it. */
  cursor_value: string;
  updated_at: string;
}

/** `<project>/.tsdbt/extract_state.json`. */
export interface ExtractState {
  version: 1;
  streams: Record<string, StreamState>;
}

export function statePath(projectDir: string): string {
  return join(projectDir, '.tsdbt', 'extract_state.json');
}

export function readState(projectDir: string): ExtractState {
  const path = statePath(projectDir);
  if (!existsSync(path)) return { version: 1, streams: {} };
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as ExtractState;
    if (parsed && typeof parsed.streams === 'object' && parsed.streams !== null) return { version: 1, streams: parsed.streams };
  } catch {
    // fall through to the error below
  }
  throw new TsdbtError('EXTRACT_CONFIG', `The extract state file is not valid JSON: ${path}`, {
    file: path,
    hint: 'Delete it or run with --full-refresh to start over.',
  });
}

/** Written through a temp file and a rename, so a crash never leaves half a state file. */
export function writeState(projectDir: string, state: ExtractState): void {
  const path = statePath(projectDir);
  writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`, 'the extract state');
}
