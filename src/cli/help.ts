/** `tsdbt --help` and `tsdbt <command> --help`: every command, and each command's flags with one line each. */

const FLAG_HELP: Record<string, string> = {
  '--project-dir DIR': 'The project (folder of dbt_project.yml); DBT_PROJECT_DIR',
  '--profiles-dir DIR': 'Where profiles.yml is; DBT_PROFILES_DIR',
  '--profile NAME': 'The profile to use instead of dbt_project.yml\'s; DBT_PROFILE',
  '--target/-t NAME': 'The target of the profile; DBT_TARGET',
  '--vars YAML': 'Variables for var(), as YAML or JSON',
  '--threads N': 'Nodes run at once; DBT_THREADS',
  '--target-path DIR': 'Where artifacts go (default target/); DBT_TARGET_PATH',
  '--log-path DIR': 'Where dbt.log goes (default logs/); DBT_LOG_PATH',
  '--log-format text|json': 'Console format: text, or one dbt event a line; DBT_LOG_FORMAT',
  '--log-format-file text|json': 'Format of logs/dbt.log; DBT_LOG_FORMAT_FILE',
  '--log-level debug|info|warn|error|none': 'Lowest level printed; DBT_LOG_LEVEL',
  '--log-level-file LEVEL': 'Lowest level written to logs/dbt.log (default debug); DBT_LOG_LEVEL_FILE',
  '--printer-width N': 'Width of progress lines (default 80); DBT_PRINTER_WIDTH',
  '--no-color': 'No colour (also NO_COLOR, DBT_USE_COLORS=false)',
  '--quiet/-q': 'Only errors and what was asked for; DBT_QUIET',
  '--debug/-d': 'Debug lines and stacks; DBT_DEBUG',
  '--select/-s SPEC': 'Nodes to include (dbt selector syntax: +model, tag:x, path:..., state:modified)',
  '--exclude SPEC': 'Nodes to leave out',
  '--selector NAME': 'A selector from selectors.yml',
  '--resource-type TYPE': 'Only these resource types',
  '--exclude-resource-type TYPE': 'Not these resource types',
  '--indirect-selection MODE': 'eager|cautious|buildable|empty: which tests come along',
  '--full-refresh/-f': 'Rebuild incremental models and seeds from scratch; DBT_FULL_REFRESH',
  '--fail-fast/-x': 'Stop at the first failure; DBT_FAIL_FAST',
  '--warn-error': 'Treat warnings as errors; DBT_WARN_ERROR',
  '--warn-error-options YAML': 'Which warnings are errors, stay warnings or are silenced, by dbt event name (YAML: {"error": "all" | [names], "warn": [names], "silence": [names]}); DBT_WARN_ERROR_OPTIONS',
  '--empty': 'Refs and sources read no rows (schema-only build)',
  '--store-failures': 'Store test failures in the database',
  '--output/-o FORMAT': 'ls: name|path|json|selector',
  '--output-keys KEYS': 'ls --output json: the keys to print',
  '--inline SQL': 'compile/show: this SQL instead of a node',
  '--config-dir': 'debug: only say where profiles.yml is and how to open it',
  '--connection': 'debug: test the connection only, skipping the configuration checks',
  '--empty-catalog': 'docs generate: skip the database, an empty catalog.json',
  '--no-compile': 'docs generate: do not compile the models first',
  '--limit N': 'show: rows to preview',
  '--args YAML': 'run-operation: the macro\'s arguments',
  '--url URL': 'extract: the API\'s base URL',
  '--streams A,B': 'extract: only these streams',
  '--sim': 'extract: start the bundled cursor-sim simulator (with --developers/--days/--seed) and extract from it',
  '--port N': 'sim/serve/docs serve: the port',
  '--host HOST': 'serve: the address to bind (default 127.0.0.1)',
  '--seed N': 'sim: the data seed',
  '--developers N': 'sim: team size',
  '--days N': 'sim: days of history',
  '--lock': 'deps: write package-lock.yml without installing',
  '--add-package PKG@VER': 'deps: add a package to packages.yml',
  '--source hub|git|local': 'deps --add-package: where the package comes from (default hub)',
  '--upgrade': 'deps: resolve again to the newest versions packages.yml allows, rewriting package-lock.yml',
  '--adapter TYPE': 'init: duckdb|snowflake',
  '--path FILE': 'init: the DuckDB file',
  '--skip-profile-setup': 'init: no profiles.yml',
  '--state DIR': 'A manifest from another run, for state: selectors and --defer; DBT_STATE',
  '--defer': 'Read unselected parents missing from the target from --state; DBT_DEFER',
  '--defer-state DIR': 'The state to defer to, if not --state; DBT_DEFER_STATE',
  '--favor-state': 'Always read unselected parents from the state; DBT_FAVOR_STATE',
  '--event-time-start TS': 'Microbatch: the first batch\'s start',
  '--event-time-end TS': 'Microbatch: the last batch\'s end',
  '--sample SPEC': "Sample mode: refs and sources with an event_time read only a window ('3 days', or '{start: 2024-01-01, end: 2024-02-01}'); DBT_SAMPLE",
  '--output text|json': 'compile, show: the SQL or rows as JSON',
  '--show': 'seed: print a random sample of each seed loaded',
  '--inline-direct SQL': 'show: run this SQL as written (no Jinja), without parsing the project',
  '--concurrency N': 'serve: queries run at once (default 4)',
  '--cache-ttl DURATION': 'serve: how long a result is reused (default 5m)',
  '--timeout DURATION': 'serve: a query past it is cancelled (default 30s)',
  '--metrics A,B': 'sl: the metrics',
  '--group-by G,H': 'sl: metric_time__week, entity__dimension, ...',
  '--where FILTER': "sl: {{ Dimension('x__y') }} = 'v' (repeatable)",
  '--order -A,G': 'sl: order by (a leading - sorts descending)',
  '--start-time DATE': 'sl: metric_time from',
  '--end-time DATE': 'sl: metric_time to',
  '--saved-query NAME': 'sl: run a saved query',
  '--compile': 'sl query: print the SQL and binds, do not run',
  '--output table|json|csv': 'sl query: the format',
  '--help/-h': 'This help',
  '--version/-v': 'tsdbt\'s version',
};

const GLOBAL = ['--project-dir DIR', '--profiles-dir DIR', '--profile NAME', '--target/-t NAME', '--vars YAML', '--threads N', '--target-path DIR', '--log-path DIR', '--log-format text|json', '--log-format-file text|json', '--log-level debug|info|warn|error|none', '--log-level-file LEVEL', '--printer-width N', '--no-color', '--quiet/-q', '--debug/-d', '--warn-error', '--warn-error-options YAML'];
const SELECT = ['--select/-s SPEC', '--exclude SPEC', '--selector NAME', '--resource-type TYPE', '--exclude-resource-type TYPE', '--indirect-selection MODE'];
const STATE = ['--state DIR', '--defer', '--defer-state DIR', '--favor-state'];
const RUN = ['--full-refresh/-f', '--fail-fast/-x', '--empty', ...STATE, '--event-time-start TS', '--event-time-end TS'];

export const COMMAND_HELP: Record<string, { summary: string; flags: string[] }> = {
  init: { summary: 'Create a new project: dbt_project.yml, an example model and test, a DuckDB profile', flags: ['--adapter TYPE', '--path FILE', '--threads N', '--skip-profile-setup'] },
  parse: { summary: 'Parse the project and write target/manifest.json', flags: GLOBAL },
  ls: { summary: 'List resources', flags: [...GLOBAL, ...SELECT, '--state DIR', '--output/-o FORMAT', '--output-keys KEYS'] },
  list: { summary: 'List resources (same as ls)', flags: [...GLOBAL, ...SELECT, '--state DIR', '--output/-o FORMAT', '--output-keys KEYS'] },
  compile: { summary: 'Render SQL into target/compiled/', flags: [...GLOBAL, ...SELECT, '--inline SQL', '--output text|json'] },
  run: { summary: 'Build models', flags: [...GLOBAL, ...SELECT, ...RUN, '--sample SPEC'] },
  seed: { summary: 'Load CSV seeds', flags: [...GLOBAL, ...SELECT, ...RUN, '--show'] },
  snapshot: { summary: 'Run snapshots', flags: [...GLOBAL, ...SELECT, ...RUN] },
  test: { summary: 'Run data and unit tests', flags: [...GLOBAL, ...SELECT, ...RUN, '--store-failures'] },
  build: { summary: 'Seeds, models, snapshots and tests in DAG order', flags: [...GLOBAL, ...SELECT, ...RUN, '--store-failures', '--sample SPEC'] },
  show: { summary: 'Preview the rows of a node or a query', flags: [...GLOBAL, ...SELECT, '--inline SQL', '--inline-direct SQL', '--limit N', '--output text|json'] },
  'run-operation': { summary: 'Call a macro: tsdbt run-operation MACRO --args YAML', flags: [...GLOBAL, '--args YAML'] },
  retry: { summary: 'Re-run what failed or was skipped last time', flags: GLOBAL },
  clone: { summary: 'Create the selected relations as views over those of --state', flags: [...GLOBAL, ...SELECT, '--state DIR', '--full-refresh/-f'] },
  deps: { summary: 'Install packages.yml into dbt_packages/', flags: [...GLOBAL, '--lock', '--upgrade', '--add-package PKG@VER', '--source hub|git|local'] },
  debug: { summary: 'Show the project, profile and target, and test the connection', flags: [...GLOBAL, '--config-dir', '--connection'] },
  clean: { summary: 'Delete the clean-targets folders', flags: GLOBAL },
  source: { summary: 'tsdbt source freshness: how stale each source is', flags: [...GLOBAL, ...SELECT] },
  docs: { summary: 'tsdbt docs generate | docs serve: catalog.json and the docs site', flags: [...GLOBAL, '--port N', '--no-compile', '--empty-catalog'] },
  extract: { summary: 'Pull the project\'s REST streams (extract.yml) into Parquet and raw.*', flags: [...GLOBAL, '--url URL', '--sim', '--developers N', '--days N', '--seed N', '--streams A,B', '--full-refresh/-f'] },
  sim: { summary: 'Serve the bundled cursor-sim simulator on 127.0.0.1', flags: ['--port N', '--seed N', '--developers N', '--days N'] },
  demo: { summary: 'Simulator → extract → build → print the marts', flags: GLOBAL },
  serve: { summary: 'Serve the semantic layer over HTTP (TSDBT_SERVE_TOKEN)', flags: [...GLOBAL, '--host HOST', '--port N', '--concurrency N', '--cache-ttl DURATION', '--timeout DURATION'] },
  sl: { summary: 'The semantic layer: tsdbt sl list|query|validate|ask', flags: [...GLOBAL, '--metrics A,B', '--group-by G,H', '--where FILTER', '--order -A,G', '--limit N', '--start-time DATE', '--end-time DATE', '--saved-query NAME', '--compile', '--output table|json|csv'] },
};

export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMAND_HELP).map((c) => c.length));
  return [
    'tsdbt — a dbt-compatible transformation engine',
    '',
    'Usage: tsdbt <command> [flags]    (tsdbt <command> --help for its flags)',
    '',
    'Commands:',
    ...Object.entries(COMMAND_HELP).filter(([c]) => c !== 'list').map(([c, h]) => `  ${c.padEnd(width)}  ${h.summary}`),
    '',
    'Global flags:',
    ...flagLines(GLOBAL),
    '  --version/-v  tsdbt\'s version',
  ].join('\n');
}

export function commandHelp(command: string): string | undefined {
  const h = COMMAND_HELP[command];
  if (!h) return undefined;
  return [`tsdbt ${command}: ${h.summary}`, '', 'Flags:', ...flagLines([...h.flags, '--help/-h'])].join('\n');
}

function flagLines(flags: string[]): string[] {
  const width = Math.max(...flags.map((f) => f.length));
  return flags.map((f) => `  ${f.padEnd(width)}  ${FLAG_HELP[f] ?? ''}`.trimEnd());
}
