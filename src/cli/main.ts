import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { DBT_VERSION } from '../project/dbt-version.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { reportError } from './report-error.js';
import type { WarnErrorOptions } from './warn-error-options.js';
import { applyProjectFlags } from './project-flags.js';

export { reportError };
export { offerPrestat };
export { offerEarlyConnectionWorker } from '../adapters/base/early-connection-worker.js';
export { offerEarlyYamlWorker } from '../util/early-yaml-worker.js';
export { exitsAtOnce } from './quick-exit.js';
import { beginCommandStats, endCommandStats, offerPrestat } from '../util/pre-stat.js';
import { parseArgv, type ParsedArgv } from './argv.js';
import type { Command, CommandContext } from './command-context.js';
import { Output, type OutputStreams } from './output.js';
import { chalkPaint } from './console-colour.js';
import { TSDBT_VERSION } from '../util/tsdbt-version.js';
import { applyEnvFlags, ignoredFlagWarnings } from './env-flags.js';
import { commandHelp, mainHelp } from './help.js';
import { openLogFile } from './log-file.js';
import type { LogEvent } from './log-event.js';

const LEVELS = ['debug', 'info', 'warn', 'error', 'none'] as const;

/** What bin/tsdbt.js did with V8's code cache (code-cache.ts), for `--debug`: logged by each command of this process. */
let codeCacheNote: string | undefined;

/** bin/tsdbt.js's: how the CLI's bundle was loaded (code-cache.ts loadWithCodeCache). */
export function offerCodeCacheNote(note: string): void {
  codeCacheNote = note;
}

function oneOf<T extends string>(flag: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly unknown[]).includes(value)) throw new TsdbtError('USAGE', `${flag} must be one of ${allowed.join(', ')}, got '${String(value)}'`, { hint: `e.g. ${flag} ${allowed[0]}` });
  return value as T;
}

/** dbt's CommandCompleted (debug level): the command, whether it succeeded, when and after how long. */
function commandCompleted(command: string, success: boolean, elapsed: number): LogEvent {
  const completedAt = new Date().toISOString();
  return {
    name: 'CommandCompleted', code: 'Q039', level: 'debug',
    msg: `Command \`tsdbt ${command}\` ${success ? 'succeeded' : 'failed'} at ${completedAt} after ${elapsed.toFixed(2)} seconds`,
    data: { command: `tsdbt ${command}`, success, completed_at: completedAt, elapsed },
  };
}

function wholeNumber(flag: string, value: unknown): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 20) throw new TsdbtError('USAGE', `${flag} must be a whole number of at least 20, got '${String(value)}'`, { hint: `e.g. ${flag} 100` });
  return n;
}

/** Commands load lazily, so `tsdbt --version` and `tsdbt parse` never load database drivers. */
const COMMAND_LOADERS: Record<string, () => Promise<Command>> = {
  parse: async () => (await import('./commands/parse.js')).parseCommand,
  ls: async () => (await import('./commands/list.js')).listCommand,
  list: async () => (await import('./commands/list.js')).listCommand,
  clean: async () => (await import('./commands/clean.js')).cleanCommand,
  debug: async () => (await import('./commands/debug.js')).debugCommand,
  deps: async () => (await import('./commands/deps.js')).depsCommand,
  sim: async () => (await import('./commands/sim.js')).simCommand,
  extract: async () => (await import('./commands/extract.js')).extractCommand,
  run: async () => (await import('./commands/nodes.js')).nodeCommand('run'),
  seed: async () => (await import('./commands/nodes.js')).nodeCommand('seed'),
  test: async () => (await import('./commands/nodes.js')).nodeCommand('test'),
  snapshot: async () => (await import('./commands/nodes.js')).nodeCommand('snapshot'),
  build: async () => (await import('./commands/nodes.js')).nodeCommand('build'),
  retry: async () => (await import('./commands/nodes.js')).nodeCommand('retry'),
  source: async () => (await import('./commands/source.js')).sourceCommand,
  docs: async () => (await import('./commands/docs.js')).docsCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
  init: async () => (await import('./commands/init.js')).initCommand,
  compile: async () => (await import('./commands/nodes.js')).compileCommand,
  show: async () => (await import('./commands/show.js')).showCommand,
  sl: async () => (await import('./commands/sl.js')).slCommand,
  'run-operation': async () => (await import('./commands/nodes.js')).runOperationCommand,
  clone: async () => (await import('./commands/nodes.js')).nodeCommand('clone'),
  serve: async () => (await import('./commands/serve.js')).serveCommand,
};

export function registerCommand(name: string, loader: () => Promise<Command>): void {
  COMMAND_LOADERS[name] = loader;
}


/**
 * Run the CLI: argv → command → exit code (0 success, 1 a node or test
 * failed, 2 the invocation itself failed: bad input, config, Jinja, cycle).
 */
export async function runCli(argv: readonly string[], streams: OutputStreams, env: Record<string, string | undefined> = process.env, cwd = process.cwd(), report?: (result: unknown) => void): Promise<number> {
  let parsed: ParsedArgv;
  const fallbackOut = new Output(streams, { color: false, quiet: false, debug: false, json: false });
  try {
    parsed = parseArgv(argv);
  } catch (e) {
    reportError(e, fallbackOut);
    return 2;
  }
  const optionsOnCli = parsed.flags.warnErrorOptions !== undefined;
  const envWarnings = applyEnvFlags(parsed, env);
  const userWarnError = parsed.flags.warnError === true;
  let projectFlags: Awaited<ReturnType<typeof applyProjectFlags>>;
  try {
    projectFlags = await applyProjectFlags(parsed, cwd, env);
  } catch (e) {
    reportError(e, fallbackOut);
    return 2;
  }
  const f = parsed.flags;
  const color = !f.noColor && env.NO_COLOR === undefined && Boolean((streams as { isTTY?: boolean }).isTTY);
  const paint = color ? await chalkPaint() : undefined;
  let out: Output;
  try {
    out = new Output(streams, {
      color,
      paint,
      quiet: Boolean(f.quiet),
      debug: Boolean(f.debug),
      json: f.logFormat === 'json',
      level: oneOf('--log-level', f.logLevel, LEVELS),
      printerWidth: f.printerWidth === undefined ? undefined : wholeNumber('--printer-width', f.printerWidth),
      live: Boolean((streams as { isTTY?: boolean }).isTTY),
      noPrint: f.noPrint === true,
    });
  } catch (e) {
    reportError(e, fallbackOut);
    return 2;
  }
  // One id for the invocation, from its log file's first line on (dbt's invocation_id; loadProject takes it).
  out.invocationId = randomUUID();
  for (const w of [...envWarnings, ...ignoredFlagWarnings(parsed), ...projectFlags.warnings]) out.warn(w);
  let warnErrorOptions: WarnErrorOptions | undefined;
  try {
    // (Loaded only when given: it reads YAML, which a quick start does not load.)
    if (f.warnErrorOptions !== undefined || projectFlags.warnErrorOptions !== undefined) {
      const { readWarnErrorOptions } = await import('./warn-error-options-read.js');
      const source = optionsOnCli ? '--warn-error-options' : 'DBT_WARN_ERROR_OPTIONS';
      warnErrorOptions = readWarnErrorOptions(f.warnErrorOptions, source, userWarnError, projectFlags.warnErrorOptions, (w) => out.warn(w));
    }
  } catch (e) {
    reportError(e, out);
    return 2;
  }
  if (codeCacheNote) out.debug(codeCacheNote);
  if (f.version) {
    out.result(`tsdbt ${TSDBT_VERSION} (dbt-core ${DBT_VERSION} compatible)`);
    return 0;
  }
  if (f.help || parsed.command === null) {
    out.result((parsed.command !== null && commandHelp(parsed.command)) || mainHelp());
    return parsed.command === null && !f.help ? 2 : 0;
  }
  const loader = COMMAND_LOADERS[parsed.command];
  if (!loader) {
    out.error(`'tsdbt ${parsed.command}' is not available in this build.`);
    return 2;
  }
  const ctx: CommandContext = { argv: parsed, out, env, cwd, report, ...(warnErrorOptions && { warnErrorOptions }) };
  const started = performance.now();
  let code = 2;
  try {
    beginCommandStats();
    openLogFile(ctx);
    const command = await loader();
    code = await command(ctx);
    return code;
  } catch (e) {
    reportError(e, out, resolve(cwd, (f.projectDir as string | undefined) ?? '.'));
    return 2;
  } finally {
    // bin/tsdbt.js's pre-stat and the quick start's stats are this command's: a later one in this process stats afresh.
    endCommandStats();
    out.event(commandCompleted(parsed.command, code === 0, (performance.now() - started) / 1000));
    out.flush();
  }
}
