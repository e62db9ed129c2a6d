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
  // Anything else is a tsdbt bug: one line naming where it happened; the stack only with --debug.
  const err = e instanceof Error ? e : new Error(String(e));
  const where = e instanceof Error ? firstFrame(err.stack) : undefined;
  const kind = err.name && err.name !== 'Error' ? `${err.name}: ` : '';
  out.error(`Internal error: ${kind}${firstLine(err.message)}${where ? ` (at ${where})` : ''}. Run with --debug for the stack trace.`);
  if (e instanceof Error && err.stack) out.debug(err.stack);
}

function firstLine(text: string): string {
  const line = text.split('\n')[0]!.trim();
  return line.length > 300 ? `${line.slice(0, 300)}...` : line;
}

/** `file:line` of the innermost stack frame, relative to tsdbt's folders where it can be. */
function firstFrame(stack: string | undefined): string | undefined {
  const frame = stack?.split('\n').find((l) => /^\s+at /.test(l));
  const m = frame && /\(?((?:file:\/\/)?[^()\s]+):(\d+):\d+\)?$/.exec(frame);
  if (!m) return undefined;
  const file = m[1]!.replace(/^file:\/\//, '');
  const ours = /\/(dist|src)\/(.*)$/.exec(file);
  return `${ours ? `${ours[1]}/${ours[2]}` : file}:${m[2]}`;
}
