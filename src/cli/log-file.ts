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
 * under `--log-path` / DBT_LOG_PATH or the project's `logs/`.
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
  ctx.out.openLogFile({ dir: isAbsolute(logPath) ? logPath : join(projectDir, logPath), format: format === 'json' ? 'json' : 'text', level: level as (typeof LEVELS)[number] });
}
