import type { ParsedArgv } from './argv.js';

/**
 * dbt's global flags that an environment variable can set (`DBT_<FLAG>`), as
 * dbt reads them: a flag on the command line wins over its variable. Values
 * of booleans are dbt's (`true`/`1`/`yes` and `false`/`0`/`no`).
 */
const ENV_FLAGS: { env: string; flag: string; kind: 'bool' | 'value' | 'list'; negate?: boolean; pair?: string }[] = [
  { env: 'DBT_PROJECT_DIR', flag: 'projectDir', kind: 'value' },
  { env: 'DBT_PROFILES_DIR', flag: 'profilesDir', kind: 'value' },
  { env: 'DBT_PROFILE', flag: 'profile', kind: 'value' },
  { env: 'DBT_TARGET', flag: 'target', kind: 'value' },
  { env: 'DBT_TARGET_PATH', flag: 'targetPath', kind: 'value' },
  { env: 'DBT_LOG_PATH', flag: 'logPath', kind: 'value' },
  { env: 'DBT_LOG_FILE_MAX_BYTES', flag: 'logFileMaxBytes', kind: 'value' },
  { env: 'DBT_THREADS', flag: 'threads', kind: 'value' },
  { env: 'DBT_FULL_REFRESH', flag: 'fullRefresh', kind: 'bool' },
  { env: 'DBT_FAIL_FAST', flag: 'failFast', kind: 'bool' },
  { env: 'DBT_WARN_ERROR', flag: 'warnError', kind: 'bool' },
  { env: 'DBT_WARN_ERROR_OPTIONS', flag: 'warnErrorOptions', kind: 'value' },
  { env: 'DBT_STORE_FAILURES', flag: 'storeFailures', kind: 'bool' },
  { env: 'DBT_EMPTY', flag: 'empty', kind: 'bool' },
  { env: 'DBT_USE_COLORS', flag: 'noColor', kind: 'bool', negate: true },
  { env: 'DBT_USE_COLORS_FILE', flag: 'useColorsFile', kind: 'bool' },
  { env: 'DBT_PRINTER_WIDTH', flag: 'printerWidth', kind: 'value' },
  { env: 'DBT_LOG_FORMAT', flag: 'logFormat', kind: 'value' },
  { env: 'DBT_LOG_FORMAT_FILE', flag: 'logFormatFile', kind: 'value' },
  { env: 'DBT_LOG_LEVEL', flag: 'logLevel', kind: 'value' },
  { env: 'DBT_LOG_LEVEL_FILE', flag: 'logLevelFile', kind: 'value' },
  { env: 'DBT_QUIET', flag: 'quiet', kind: 'bool' },
  { env: 'DBT_DEBUG', flag: 'debug', kind: 'bool' },
  { env: 'DBT_VARS', flag: 'vars', kind: 'value' },
  { env: 'DBT_INDIRECT_SELECTION', flag: 'indirectSelection', kind: 'value' },
  { env: 'DBT_SELECTOR', flag: 'selector', kind: 'value' },
  { env: 'DBT_PARTIAL_PARSE', flag: 'noPartialParse', kind: 'bool', negate: true, pair: 'partialParse' },
  { env: 'DBT_PRINT', flag: 'noPrint', kind: 'bool', negate: true },
  { env: 'DBT_WRITE_JSON', flag: 'noWriteJson', kind: 'bool', negate: true },
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
 * dbt's flags tsdbt accepts (argv.ts) and has nothing to do for. Those
 * whose dbt effect is only speed or which parser runs pass silently (the
 * results are the same); the others, which would make dbt write, print or
 * refuse something tsdbt does not, warn once that they are ignored.
 */
const IGNORED_FLAGS: Record<string, { flag: string; warns: boolean }> = {
  populateCache: { flag: '--populate-cache', warns: false },
  noPopulateCache: { flag: '--no-populate-cache', warns: false },
  cacheSelectedOnly: { flag: '--cache-selected-only', warns: false },
  noCacheSelectedOnly: { flag: '--no-cache-selected-only', warns: false },
  staticParser: { flag: '--static-parser', warns: false },
  noStaticParser: { flag: '--no-static-parser', warns: false },
  useExperimentalParser: { flag: '--use-experimental-parser', warns: false },
  noUseExperimentalParser: { flag: '--no-use-experimental-parser', warns: false },
  partialParseFileDiff: { flag: '--partial-parse-file-diff', warns: false },
  noPartialParseFileDiff: { flag: '--no-partial-parse-file-diff', warns: false },
  showAllDeprecations: { flag: '--show-all-deprecations', warns: false },
  noShowAllDeprecations: { flag: '--no-show-all-deprecations', warns: false },
  introspect: { flag: '--introspect', warns: false },
  noIntrospect: { flag: '--no-introspect', warns: true },
  recordTimingInfo: { flag: '--record-timing-info', warns: true },
  logCacheEvents: { flag: '--log-cache-events', warns: true },
  noLogCacheEvents: { flag: '--no-log-cache-events', warns: false },
  macroDebugging: { flag: '--macro-debugging', warns: true },
  noMacroDebugging: { flag: '--no-macro-debugging', warns: false },
  showResourceReport: { flag: '--show-resource-report', warns: true },
  noShowResourceReport: { flag: '--no-show-resource-report', warns: false },
  uploadToArtifactsIngestApi: { flag: '--upload-to-artifacts-ingest-api', warns: true },
  noUploadToArtifactsIngestApi: { flag: '--no-upload-to-artifacts-ingest-api', warns: false },
};

/** A warning for each flag given that IGNORED_FLAGS says dbt would act on and tsdbt does not. */
export function ignoredFlagWarnings(parsed: ParsedArgv): string[] {
  return Object.keys(parsed.flags)
    .filter((name) => IGNORED_FLAGS[name]?.warns === true)
    .map((name) => `${IGNORED_FLAGS[name]!.flag} is one of dbt's flags that tsdbt does not act on; it is ignored.`);
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
    if (raw === undefined) continue;
    if (spec.kind === 'bool') {
      const v = raw.trim().toLowerCase();
      if (!TRUE.has(v) && !FALSE.has(v)) {
        warnings.push(`${spec.env}='${raw}' is not a boolean (true or false); ignored.`);
        continue;
      }
      const on = TRUE.has(v) !== Boolean(spec.negate);
      // A command-line flag wins; both halves of a --x/--no-x pair count as given.
      if (f[spec.flag] === undefined && !(spec.pair && f[spec.pair] !== undefined) && !(spec.negate && (f.useColors !== undefined && spec.flag === 'noColor'))) {
        if (on) f[spec.flag] = true;
      }
    } else if (f[spec.flag] === undefined && raw !== '') {
      f[spec.flag] = spec.kind === 'list' ? raw.split(/\s+/) : raw;
    }
  }
  for (const name of IGNORED_ENV) {
    if (env[name] !== undefined) warnings.push(`${name} is set, but tsdbt does not act on it; it is ignored.`);
  }
  return warnings;
}
