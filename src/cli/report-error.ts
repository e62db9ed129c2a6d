import { TsdbtError, TsdbtErrorList } from '../errors/tsdbt-error.js';
import type { Output } from './output.js';

/** Print an error as the CLI does: every error of a list, each with its code, file and line. */
export function reportError(e: unknown, out: Output): void {
  if (e instanceof TsdbtErrorList) {
    out.error(`Encountered ${e.errors.length} errors:`);
    for (const err of e.errors) out.error(`  [${err.code}] ${err.format().split('\n').join('\n  ')}`);
    return;
  }
  if (e instanceof TsdbtError) {
    out.error(`[${e.code}] ${e.format()}`);
    return;
  }
  out.error(`Internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
}
