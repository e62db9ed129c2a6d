/**
 * `flags` and `invocation_args_dict` as dbt's Jinja context gives them,
 * from the invocation's flags (lower-case keys: which, full_refresh,
 * fail_fast, empty, warn_error, store_failures, threads, ...).
 */

/** The flags dbt's get_flag_obj() exposes, upper-cased, with tsdbt's value or dbt's default. */
const FLAG_DEFAULTS: Record<string, unknown> = {
  USE_EXPERIMENTAL_PARSER: false,
  STATIC_PARSER: true,
  WARN_ERROR: null,
  WARN_ERROR_OPTIONS: { include: [], exclude: [] },
  WRITE_JSON: true,
  PARTIAL_PARSE: true,
  USE_COLORS: true,
  PROFILES_DIR: null,
  DEBUG: false,
  LOG_FORMAT: 'default',
  VERSION_CHECK: true,
  FAIL_FAST: false,
  SEND_ANONYMOUS_USAGE_STATS: false,
  PRINTER_WIDTH: 80,
  INDIRECT_SELECTION: 'eager',
  LOG_CACHE_EVENTS: false,
  QUIET: false,
  NO_PRINT: null,
  CACHE_SELECTED_ONLY: false,
  INTROSPECT: true,
  TARGET_PATH: null,
  LOG_PATH: null,
  INVOCATION_COMMAND: null,
  EMPTY: null,
  // CLI-only arguments dbt adds for templates.
  FULL_REFRESH: null,
  STORE_FAILURES: null,
  WHICH: null,
};

/**
 * `flags` in templates: exactly the names dbt's flag object has
 * (`flags.WHICH`, `flags.FULL_REFRESH`, `flags.STORE_FAILURES`,
 * `flags.FAIL_FAST`, `flags.WARN_ERROR`, ...), filled from the invocation's
 * flags whatever case they were given in. Names dbt does not put there
 * (`flags.SELECT`, `flags.STATE`, `flags.DEFER`) are undefined, as in dbt.
 */
export function jinjaFlags(flags: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...FLAG_DEFAULTS };
  for (const [k, v] of Object.entries(flags)) {
    const upper = k.toUpperCase();
    if (upper in FLAG_DEFAULTS && v !== undefined) out[upper] = v;
  }
  return out;
}

/**
 * `invocation_args_dict`: the invocation's arguments as a dict with
 * lower-case keys (dbt's args_to_dict), `which` included; unset ones left out.
 */
export function invocationArgsDict(flags: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(flags)) if (v !== undefined && v !== null) out[k.toLowerCase()] = v;
  return out;
}

/** `dbt_metadata_envs`: each DBT_ENV_CUSTOM_ENV_<NAME> variable as NAME → value. */
export function metadataEnvs(env: Record<string, string | undefined>): Record<string, string> {
  const prefix = 'DBT_ENV_CUSTOM_ENV_';
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith(prefix) && v !== undefined) out[k.slice(prefix.length)] = v;
  return out;
}
