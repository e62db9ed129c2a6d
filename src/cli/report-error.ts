import { TsdbtError, TsdbtErrorList } from '../errors/tsdbt-error.js';
import type { Output } from './output.js';

/** Absolute paths under `base` (the project) shown relative to it, as people read them. */
export function relativePaths(text: string, base: string | undefined): string {
  if (!base) return text;
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return text.split(prefix).join('');
}

/** Print an error as the CLI does: every error of a list, each with its code, file and line (relative to `base`). */
export function reportError(e: unknown, out: Output, base?: string): void {
  if (e instanceof TsdbtErrorList) {
    out.error(`Encountered ${e.errors.length} errors:`);
    for (const err of e.errors) out.error(relativePaths(`  [${err.code}] ${err.format().split('\n').join('\n  ')}`, base));
    return;
  }
  if (e instanceof TsdbtError) {
    out.error(relativePaths(`[${e.code}] ${e.format()}`, base));
    return;
  }
  out.error(`Internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
}
