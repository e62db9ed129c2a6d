import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CommandContext } from './command-context.js';

/** Commands that write no log file, as dbt: they run outside a project or only print. */
const NO_LOG = new Set(['init', 'clean', 'sim']);
const LEVELS = ['debug', 'info', 'warn', 'error', 'none'] as const;

/**
 * Open logs/dbt.log for a command run in a project: debug level by default
 * (`--log-level-file`), text or JSON (`--log-format-file`, else --log-format),
 * under `--log-path` / DBT_LOG_PATH or the project's `logs/`, rolled over
 * to dbt.log.1 ... dbt.log.5 as it passes `--log-file-max-bytes` (10 MiB).
 */
export function openLogFile(ctx: CommandContext): void {
  const f = ctx.argv.flags;
  if (NO_LOG.has(ctx.argv.command ?? '')) return;
  const projectDir = resolve(ctx.cwd, (f.projectDir as string | undefined) ?? '.');
  if (!existsSync(join(projectDir, 'dbt_project.yml'))) return;
  const level = (f.logLevelFile as string | undefined) ?? 'debug';
  if (!(LEVELS as readonly string[]).includes(level)) throw new TsdbtError('USAGE', `--log-level-file must be one of ${LEVELS.join(', ')}, got '${level}'`, { hint: 'e.g. --log-level-file info' });
  const format = (f.logFormatFile as string | undefined) ?? (f.logFormat === 'json' ? 'json' : 'text');
  if (format !== 'text' && format !== 'json' && format !== 'debug' && format !== 'default') throw new TsdbtError('USAGE', `--log-format-file must be text or json, got '${format}'`, { hint: 'e.g. --log-format-file json' });
  const logPath = (f.logPath as string | undefined) ?? 'logs';
  const maxBytes = logFileMaxBytes(f.logFileMaxBytes);
  ctx.out.openLogFile({ dir: isAbsolute(logPath) ? logPath : join(projectDir, logPath), format: format === 'json' ? 'json' : 'text', level: level as (typeof LEVELS)[number], maxBytes });
}

/** dbt's default size of dbt.log before it rolls over to dbt.log.1 (`--log-file-max-bytes`, DBT_LOG_FILE_MAX_BYTES). */
export const LOG_FILE_MAX_BYTES = 10 * 1024 * 1024;

/** `--log-file-max-bytes`: a whole number of bytes (0 or less: dbt.log never rolls over), as dbt's click.INT. */
function logFileMaxBytes(value: unknown): number {
  if (value === undefined) return LOG_FILE_MAX_BYTES;
  const text = String(value).trim();
  if (!/^[+-]?\d+$/.test(text)) throw new TsdbtError('USAGE', `Invalid value for '--log-file-max-bytes': '${String(value)}' is not a valid integer.`, { hint: 'A size in bytes, e.g. --log-file-max-bytes 10485760 (0: no limit).' });
  return Number(text);
}
