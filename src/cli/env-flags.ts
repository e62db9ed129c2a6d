import { FLAG_SPECS, type ParsedArgv } from './argv.js';

/**
 * dbt's global flags that an environment variable can set (`DBT_<FLAG>`), as
 * dbt reads them: a flag on the command line wins over its variable. Values
 * of booleans are dbt's (`true`/`1`/`yes` and `false`/`0`/`no`). `negate`:
 * true turns the flag off (DBT_USE_COLORS=false is --no-color); `pair`: the
 * other half of a --x/--no-x pair; `project`: dbt_project.yml's `flags:`
 * sets it too, under the variable's name without DBT_, lower-cased
 * (project-flags.ts).
 */
interface FlagSpec {
  env: string;
  flag: string;
  kind: 'bool' | 'value' | 'list';
  negate?: boolean;
  pair?: string;
  project?: boolean;
}

const ENV_FLAGS: FlagSpec[] = [
  { env: 'DBT_PROJECT_DIR', flag: 'projectDir', kind: 'value' },
  { env: 'DBT_PROFILES_DIR', flag: 'profilesDir', kind: 'value' },
  { env: 'DBT_PROFILE', flag: 'profile', kind: 'value' },
  { env: 'DBT_TARGET', flag: 'target', kind: 'value' },
  { env: 'DBT_TARGET_PATH', flag: 'targetPath', kind: 'value' },
  { env: 'DBT_LOG_PATH', flag: 'logPath', kind: 'value' },
  { env: 'DBT_LOG_FILE_MAX_BYTES', flag: 'logFileMaxBytes', kind: 'value' },
  { env: 'DBT_THREADS', flag: 'threads', kind: 'value' },
  { env: 'DBT_FULL_REFRESH', flag: 'fullRefresh', kind: 'bool' },
  { env: 'DBT_FAIL_FAST', flag: 'failFast', kind: 'bool', project: true },
  { env: 'DBT_WARN_ERROR', flag: 'warnError', kind: 'bool', project: true },
  { env: 'DBT_WARN_ERROR_OPTIONS', flag: 'warnErrorOptions', kind: 'value' },
  { env: 'DBT_STORE_FAILURES', flag: 'storeFailures', kind: 'bool' },
  { env: 'DBT_EMPTY', flag: 'empty', kind: 'bool' },
  { env: 'DBT_SAMPLE', flag: 'sample', kind: 'value' },
  { env: 'DBT_USE_COLORS', flag: 'noColor', kind: 'bool', negate: true, pair: 'useColors', project: true },
  { env: 'DBT_USE_COLORS_FILE', flag: 'useColorsFile', kind: 'bool' },
  { env: 'DBT_PRINTER_WIDTH', flag: 'printerWidth', kind: 'value', project: true },
  { env: 'DBT_LOG_FORMAT', flag: 'logFormat', kind: 'value', project: true },
  { env: 'DBT_LOG_FORMAT_FILE', flag: 'logFormatFile', kind: 'value', project: true },
  { env: 'DBT_LOG_LEVEL', flag: 'logLevel', kind: 'value', project: true },
  { env: 'DBT_LOG_LEVEL_FILE', flag: 'logLevelFile', kind: 'value', project: true },
  { env: 'DBT_QUIET', flag: 'quiet', kind: 'bool' },
  { env: 'DBT_DEBUG', flag: 'debug', kind: 'bool', project: true },
  { env: 'DBT_VARS', flag: 'vars', kind: 'value' },
  { env: 'DBT_INDIRECT_SELECTION', flag: 'indirectSelection', kind: 'value', project: true },
  { env: 'DBT_SELECTOR', flag: 'selector', kind: 'value' },
  { env: 'DBT_PARTIAL_PARSE', flag: 'noPartialParse', kind: 'bool', negate: true, pair: 'partialParse', project: true },
  { env: 'DBT_PRINT', flag: 'noPrint', kind: 'bool', negate: true },
  { env: 'DBT_WRITE_JSON', flag: 'noWriteJson', kind: 'bool', negate: true, pair: 'writeJson', project: true },
  { env: 'DBT_STATE', flag: 'state', kind: 'value' },
  { env: 'DBT_DEFER_STATE', flag: 'deferState', kind: 'value' },
  { env: 'DBT_DEFER', flag: 'defer', kind: 'bool' },
  { env: 'DBT_FAVOR_STATE', flag: 'favorState', kind: 'bool' },
];

/** dbt flags tsdbt reads but has nothing to do for; setting them warns once instead of passing silently. */
const IGNORED_ENV = [
  'DBT_SEND_ANONYMOUS_USAGE_STATS', 'DBT_VERSION_CHECK', 'DBT_CACHE_SELECTED_ONLY', 'DBT_INTROSPECT', 'DBT_LOG_CACHE_EVENTS', 'DBT_MACRO_DEBUGGING',
  'DBT_PARTIAL_PARSE_FILE_PATH', 'DBT_POPULATE_CACHE', 'DBT_RECORD_TIMING_INFO', 'DBT_STATIC_PARSER', 'DBT_USE_EXPERIMENTAL_PARSER',
  'DBT_SHOW_RESOURCE_REPORT', 'DBT_DEPRECATED_PRINT', 'DBT_INVOCATION_ENV', 'DBT_ENGINE_SHOW_RESOURCE_REPORT',
  'DBT_UPLOAD_TO_ARTIFACTS_INGEST_API', 'DBT_REQUIRE_RESOURCE_NAMES_WITHOUT_SPACES', 'DBT_SKIP_NODES_IF_ON_RUN_START_FAILS',
];

/**
 * dbt's flags tsdbt accepts (argv.ts, beside those it acts on) and has
 * nothing to do for. Those whose dbt effect is only speed or which parser
 * runs (--no-populate-cache, --no-static-parser, ...) pass silently: the
 * results are the same. These, which would make dbt write, print or refuse
 * something tsdbt does not, warn that they are ignored.
 */
const UNACTED_FLAGS: readonly string[] = ['--no-introspect', '--record-timing-info', '--log-cache-events', '--macro-debugging', '--show-resource-report', '--upload-to-artifacts-ingest-api'];

/** A warning for each of UNACTED_FLAGS given. */
export function ignoredFlagWarnings(parsed: ParsedArgv): string[] {
  return UNACTED_FLAGS.filter((flag) => parsed.flags[FLAG_SPECS[flag]!.name] !== undefined).map((flag) => `${flag} is one of dbt's flags that tsdbt does not act on; it is ignored.`);
}

/** The name dbt_project.yml's `flags:` gives a `project` flag: its variable's without DBT_, lower-cased (fail_fast). */
const projectKey = (spec: FlagSpec): string => spec.env.slice('DBT_'.length).toLowerCase();

/** The `flags:` keys of dbt_project.yml that set a flag here. */
export const PROJECT_FLAG_KEYS: readonly string[] = ENV_FLAGS.filter((s) => s.project).map(projectKey);

/**
 * Fills unset flags from `values` (dbt_project.yml's `flags:`, or
 * profiles.yml's older `config:`, named `where` in warnings): a flag on the
 * command line or its DBT_* variable (set to anything) wins. Returns a
 * warning for each boolean that is not one.
 */
export function applyProjectFlagValues(parsed: ParsedArgv, values: Record<string, unknown>, env: Record<string, string | undefined>, where: string): string[] {
  const warnings: string[] = [];
  for (const spec of ENV_FLAGS) {
    const key = projectKey(spec);
    const value = spec.project ? values[key] : undefined;
    if (value === undefined || value === null || env[spec.env] !== undefined) continue;
    if (!setFlag(parsed.flags, spec, String(value))) warnings.push(`${where}: ${key} is '${String(value)}', not true or false; ignored.`);
  }
  return warnings;
}

/**
 * `raw` (a variable's value, or a project flag's as text) set as `spec`'s
 * flag unless the command line gave it (both halves of a --x/--no-x pair
 * count as given); false for a boolean that is not one (nothing set).
 */
function setFlag(f: ParsedArgv['flags'], spec: FlagSpec, raw: string): boolean {
  if (spec.kind === 'bool') {
    const v = raw.trim().toLowerCase();
    if (!TRUE.has(v) && !FALSE.has(v)) return false;
    if (f[spec.flag] === undefined && !(spec.pair && f[spec.pair] !== undefined) && TRUE.has(v) !== Boolean(spec.negate)) f[spec.flag] = true;
  } else if (f[spec.flag] === undefined && raw !== '') {
    f[spec.flag] = spec.kind === 'list' ? raw.split(/\s+/) : raw;
  }
  return true;
}

const TRUE = new Set(['true', '1', 'yes', 'y', 't', 'on']);
const FALSE = new Set(['false', '0', 'no', 'n', 'f', 'off', '']);

/**
 * Fill flags not given on the command line from their DBT_* variables.
 * Returns warnings: a variable with an unreadable value, or one of dbt's
 * that tsdbt does not act on (named, so it is never silently ignored).
 */
export function applyEnvFlags(parsed: ParsedArgv, env: Record<string, string | undefined>): string[] {
  const warnings: string[] = [];
  const f = parsed.flags;
  for (const spec of ENV_FLAGS) {
    const raw = env[spec.env];
    if (raw !== undefined && !setFlag(f, spec, raw)) warnings.push(`${spec.env}='${raw}' is not a boolean (true or false); ignored.`);
  }
  for (const name of IGNORED_ENV) {
    if (env[name] !== undefined) warnings.push(`${name} is set, but tsdbt does not act on it; it is ignored.`);
  }
  return warnings;
}
