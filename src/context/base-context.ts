import { columnTypeMissingError, contractColumns, contractError } from '../errors/contract-error.js';
import { createHash } from 'node:crypto';
import { parse as parseYamlText, stringify as stringifyYaml } from 'yaml';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { pyFunction } from '../jinja/index.js';
import { pyToJson } from '../jinja/python/json.js';
import { pyStr } from '../jinja/python/repr.js';
import { pySet } from '../jinja/python/py-set.js';
import { pyDateTimeFromJs, pythonModules } from '../jinja/python/modules/index.js';
import { lookupEnvVar, type SecretRegistry, type VarResolver } from './vars.js';
import { DBT_VERSION } from '../manifest/dbt-version.js';

/** The version tsdbt reports as `dbt_version`, so packages' require-dbt-version ranges accept it. */
export { DBT_VERSION };

export interface Logger {
  info(message: string): void;
  debug(message: string): void;
  warn(message: string): void;
}

/** What every phase's context is built from. */
export interface BaseContextInput {
  projectName: string;
  /** The package of the node being rendered. */
  packageName: string;
  nodeName?: string;
  target: Record<string, unknown>;
  vars: VarResolver;
  env: Record<string, string | undefined>;
  secrets: SecretRegistry;
  invocationId: string;
  runStartedAt: Date;
  flags: Record<string, unknown>;
  logger: Logger;
  /** False while parsing: log() then stays quiet, as messages would repeat per parse. */
  executing: boolean;
  /** Renders a string var's value in the calling context (dbt renders vars when var() reads them). */
  renderVar?: (text: string) => unknown;
  /** dbt's parse-time var(): an undefined var is none instead of an error. */
  missingVarIsNone?: boolean;
}

/**
 * dbt's var(): the value as written in dbt_project.yml or --vars; a string is
 * rendered now, in the caller's context, so `"{{ ref('m') }}"` as a value
 * resolves (and, at parse, records the dependency) where var() is called.
 */
export function varFunction(input: Pick<BaseContextInput, 'vars' | 'packageName' | 'nodeName' | 'renderVar' | 'missingVarIsNone'>): unknown {
  return pyFunction((args, kwargs) => {
    let fallback = fallbackOf(args, kwargs, 1, 'default');
    if (!fallback.given && input.missingVarIsNone) fallback = { given: true, value: null };
    const value = input.vars.get(String(args[0]), input.packageName, fallback, input.nodeName);
    if (typeof value === 'string' && input.renderVar && (value.includes('{{') || value.includes('{%') || value.includes('{#'))) return input.renderVar(value);
    return value;
  });
}

const fallbackOf = (args: unknown[], kwargs: Record<string, unknown>, index: number, name: string) =>
  args.length > index ? { given: true, value: args[index] } : name in kwargs ? { given: true, value: kwargs[name] } : { given: false };

/** `env_var('DBT_ENV_SECRET_...')` outside profiles.yml and packages.yml (dbt's SecretEnvVarLocationError); the renderer adds the file and line. */
export function secretEnvVarLocationError(name: string): TsdbtError {
  return new TsdbtError('SECRET_ENV_VAR_LOCATION', `Secret env vars are allowed only in profiles.yml or packages.yml. Found '${name}' referenced elsewhere.`, {
    hint: 'Move the secret into profiles.yml (a connection field) or packages.yml (a git URL), or use a variable without the DBT_ENV_SECRET_ prefix.',
  });
}

/** dbt's base context: var, env_var, log, exceptions, modules, json/yaml helpers, target, flags. */
export function baseContext(input: BaseContextInput): Record<string, unknown> {
  const { logger, secrets } = input;
  const exceptions = {
    raise_compiler_error: pyFunction(([msg]) => {
      throw new TsdbtError('COMPILER_ERROR', secrets.redact(String(msg)));
    }),
    warn: pyFunction(([msg]) => {
      logger.warn(secrets.redact(String(msg)));
      return '';
    }),
    raise_not_implemented: pyFunction(([msg]) => {
      throw new TsdbtError('COMPILER_ERROR', `Not implemented: ${secrets.redact(String(msg))}`);
    }),
    raise_fail_fast_error: pyFunction(([msg]) => {
      throw new TsdbtError('COMPILER_ERROR', secrets.redact(String(msg)));
    }),
    raise_database_error: pyFunction(([msg]) => {
      throw new TsdbtError('DATABASE_ERROR', secrets.redact(String(msg)));
    }),
    raise_dependency_error: pyFunction(([msg]) => {
      throw new TsdbtError('COMPILER_ERROR', secrets.redact(String(msg)));
    }),
    raise_contract_error: pyFunction((args, kwargs) => {
      throw contractError(contractColumns(kwargs.yaml_columns ?? args[0]), contractColumns(kwargs.sql_columns ?? args[1]));
    }),
    column_type_missing: pyFunction((args, kwargs) => {
      throw columnTypeMissingError(((kwargs.column_names ?? args[0] ?? []) as unknown[]).map(String));
    }),
  };
  return {
    var: varFunction(input),
    env_var: pyFunction((args, kwargs) => {
      const name = String(args[0]);
      // As dbt: secrets belong to profiles.yml and packages.yml only, never to a model, macro or dbt_project.yml.
      if (name.startsWith('DBT_ENV_SECRET_')) throw secretEnvVarLocationError(name);
      return lookupEnvVar(input.env, name, fallbackOf(args, kwargs, 1, 'default'));
    }),
    log: pyFunction((args, kwargs) => {
      if (!input.executing) return '';
      const msg = secrets.redact(pyStr(args[0]));
      if (args[1] ?? kwargs.info) logger.info(msg);
      else logger.debug(msg);
      return '';
    }),
    print: pyFunction((args) => {
      if (input.executing) logger.info(secrets.redact(pyStr(args[0])));
      return '';
    }),
    exceptions,
    modules: pythonModules,
    tojson: pyFunction((args, kwargs) => pyToJson(args[0], undefined, Boolean(kwargs.sort_keys ?? args[1]))),
    fromjson: pyFunction((args, kwargs) => {
      try {
        return JSON.parse(String(args[0]));
      } catch {
        return fallbackOf(args, kwargs, 1, 'default').value ?? null;
      }
    }),
    toyaml: pyFunction((args) => stringifyYaml(args[0])),
    fromyaml: pyFunction((args, kwargs) => {
      try {
        return parseYamlText(String(args[0]));
      } catch {
        return fallbackOf(args, kwargs, 1, 'default').value ?? null;
      }
    }),
    local_md5: pyFunction(([s]) => createHash('md5').update(String(s)).digest('hex')),
    zip: pyFunction((args) => {
      const lists = args.map((a) => (Array.isArray(a) ? a : [...(a as Iterable<unknown>)]));
      const n = Math.min(...lists.map((l) => l.length));
      return Array.from({ length: lists.length === 0 ? 0 : n }, (_, i) => lists.map((l) => l[i]));
    }),
    set: pyFunction(([xs]) => pySet(xs)),
    set_strict: pyFunction(([xs]) => pySet(xs)),
    invocation_id: input.invocationId,
    // An aware UTC datetime, as dbt's (`run_started_at.strftime(...)`, `.astimezone(...)`).
    run_started_at: pyDateTimeFromJs(input.runStartedAt),
    flags: input.flags,
    target: input.target,
    project_name: input.projectName,
    dbt_version: DBT_VERSION,
  };
}
