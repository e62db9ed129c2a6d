import { TsdbtError } from '../errors/tsdbt-error.js';
import { isRecord, parseYaml } from '../util/yaml.js';
import { DEPRECATIONS, type WarnErrorOptions } from './warn-error-options.js';

const ALL = new Set(['all', '*']);
const KEYS = ['error', 'warn', 'silence', 'include', 'exclude'];

/**
 * The options given as text (YAML, so JSON too: `'{"error": "all", "warn":
 * ["NoNodesForSelectionCriteria"]}'`). `source` names where they came from
 * in errors (the flag or the variable). Throws a USAGE error for what dbt
 * rejects; `warnings` receives keys it does not read.
 */
export function parseWarnErrorOptions(text: string, source: string, warnings: string[]): WarnErrorOptions {
  let value: unknown;
  try {
    value = parseYaml(text, source).value;
  } catch (e) {
    throw usage(source, `is not YAML or JSON (${e instanceof TsdbtError ? e.message.split('\n')[0] : String(e)})`);
  }
  return warnErrorOptionsOf(value, source, warnings);
}

/** The options from a mapping (the flag's parsed text, or dbt_project.yml's `flags: warn_error_options:`). */
export function warnErrorOptionsOf(value: unknown, source: string, warnings: string[]): WarnErrorOptions {
  if (value === null || value === undefined) return { error: [], warn: [], silence: [] };
  if (!isRecord(value)) throw usage(source, 'must be a mapping');
  for (const key of Object.keys(value)) if (!KEYS.includes(key)) warnings.push(`${source}: '${key}' is not one of ${KEYS.join(', ')}; it is ignored.`);
  const error = either(value, 'error', 'include', source);
  const warn = either(value, 'warn', 'exclude', source);
  if (typeof error === 'string' && !ALL.has(error)) throw usage(source, `'error' must be "all", "*" or a list of event names, not '${error}'`);
  const out: WarnErrorOptions = {
    error: typeof error === 'string' ? 'all' : names(error ?? [], 'error', source),
    warn: names(warn ?? [], 'warn', source),
    silence: names(value.silence ?? [], 'silence', source),
  };
  if (out.warn.length > 0 && !(out.error === 'all' || out.error.includes(DEPRECATIONS) || out.silence.includes(DEPRECATIONS))) {
    throw usage(source, `'warn' only applies when 'error' is "all" or "*", or when ${DEPRECATIONS} is under 'error' or 'silence'`);
  }
  return out;
}

/**
 * The invocation's options: `text` from `--warn-error-options` or
 * DBT_WARN_ERROR_OPTIONS (named `source` in errors), else the project's
 * `flags: warn_error_options:` mapping; undefined when neither is given.
 * dbt takes --warn-error or the options from the user, not both (a USAGE
 * error; the project's own flags do not count).
 */
export function readWarnErrorOptions(text: unknown, source: string, userWarnError: boolean, project: unknown, warn: (text: string) => void): WarnErrorOptions | undefined {
  if (text === undefined && project === undefined) return undefined;
  if (text !== undefined && userWarnError) {
    throw new TsdbtError('USAGE', `--warn-error and ${source} cannot both be given (DBT_WARN_ERROR and DBT_WARN_ERROR_OPTIONS count too)`, { hint: 'Use --warn-error-options \'{"error": "all"}\' for what --warn-error does, with its exceptions under "warn".' });
  }
  const warnings: string[] = [];
  const options = text === undefined ? warnErrorOptionsOf(project, 'dbt_project.yml flags: warn_error_options', warnings) : parseWarnErrorOptions(String(text), source, warnings);
  for (const w of warnings) warn(w);
  return options;
}

/** `primary`'s value, or `alt`'s (dbt's older spelling); both given is an error. */
function either(value: Record<string, unknown>, primary: string, alt: string, source: string): unknown {
  const a = value[primary];
  const b = value[alt];
  if (nonEmpty(a) && nonEmpty(b)) throw usage(source, `give '${primary}' or '${alt}' (its older name), not both`);
  return alt in value ? b : a;
}

const nonEmpty = (v: unknown): boolean => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && v !== '';

function names(v: unknown, key: string, source: string): string[] {
  if (v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw usage(source, `'${key}' must be a list of event names (as dbt names them, e.g. NoNodesForSelectionCriteria)`);
  return v as string[];
}

function usage(source: string, what: string): TsdbtError {
  return new TsdbtError('USAGE', `${source} ${what}`, { hint: `For example: --warn-error-options '{"error": "all", "warn": ["NoNodesForSelectionCriteria"]}'` });
}
