import { DBT_VERSION } from '../project/dbt-version.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { reportError } from './report-error.js';

export { reportError };
import { parseArgv, type ParsedArgv } from './argv.js';
import type { Command, CommandContext } from './command-context.js';
import { Output, type OutputStreams } from './output.js';
import { TSDBT_VERSION } from './version.js';

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
  compile: async () => (await import('./commands/nodes.js')).compileCommand,
  show: async () => (await import('./commands/nodes.js')).showCommand,
  sl: async () => (await import('./commands/sl.js')).slCommand,
  'run-operation': async () => (await import('./commands/nodes.js')).runOperationCommand,
};

export function registerCommand(name: string, loader: () => Promise<Command>): void {
  COMMAND_LOADERS[name] = loader;
}

const HELP = `tsdbt — a dbt-compatible transformation engine

Usage: tsdbt <command> [flags]

Commands: parse, compile, ls/list, run, seed, snapshot, test, build, show,
          run-operation, retry, deps, debug, clean, extract, sim, demo,
          sl list|query|validate (the semantic layer)

Global flags: --project-dir DIR, --profiles-dir DIR, --target/-t NAME,
  --vars YAML, --threads N, --log-format text|json, --no-color, --quiet/-q,
  --debug/-d, --version
Selection: --select/-s, --exclude, --selector, --resource-type,
  --indirect-selection eager|cautious|buildable|empty
`;

/**
 * Run the CLI: argv → command → exit code (0 success, 1 a node or test
 * failed, 2 the invocation itself failed: bad input, config, Jinja, cycle).
 */
export async function runCli(argv: readonly string[], streams: OutputStreams, env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Promise<number> {
  let parsed: ParsedArgv;
  const fallbackOut = new Output(streams, { color: false, quiet: false, debug: false, json: false });
  try {
    parsed = parseArgv(argv);
  } catch (e) {
    reportError(e, fallbackOut);
    return 2;
  }
  const f = parsed.flags;
  const out = new Output(streams, {
    color: !f.noColor && env.NO_COLOR === undefined && env.DBT_USE_COLORS !== 'false' && Boolean((streams as { isTTY?: boolean }).isTTY),
    quiet: Boolean(f.quiet) || env.DBT_QUIET === 'true',
    debug: Boolean(f.debug) || env.DBT_DEBUG === 'true',
    json: (f.logFormat ?? env.DBT_LOG_FORMAT) === 'json',
  });
  if (f.version) {
    out.result(`tsdbt ${TSDBT_VERSION} (dbt-core ${DBT_VERSION} compatible)`);
    return 0;
  }
  if (f.help || parsed.command === null) {
    out.result(HELP);
    return parsed.command === null && !f.help ? 2 : 0;
  }
  const loader = COMMAND_LOADERS[parsed.command];
  if (!loader) {
    out.error(`'tsdbt ${parsed.command}' is not available in this build.`);
    return 2;
  }
  const ctx: CommandContext = { argv: parsed, out, env, cwd };
  try {
    const command = await loader();
    return await command(ctx);
  } catch (e) {
    reportError(e, out);
    return 2;
  }
}
