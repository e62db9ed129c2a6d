import { columnTypeMissingError, contractColumns, contractError } from '../errors/contract-error.js';
import { createHash } from 'node:crypto';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { pyFunction } from '../jinja/index.js';
import { pyToJson } from '../jinja/python/json.js';
import { pyFromYaml, pyToYaml } from '../jinja/python/yaml.js';
import { pyStr } from '../jinja/python/repr.js';
import { pySet } from '../jinja/python/py-set.js';
import { pyDateTimeFromJs, pythonModules } from '../jinja/python/modules/index.js';
import { lookupEnvVar, type SecretRegistry, type VarResolver } from './vars.js';
import { DBT_VERSION } from '../manifest/dbt-version.js';
import { pyTuple } from '../jinja/python/types.js';
import { invocationArgsDict, jinjaFlags, metadataEnvs } from './flags.js';

/** The version tsdbt reports as `dbt_version`, so packages' require-dbt-version ranges accept it. */
export { DBT_VERSION };

export interface Logger {
  info(message: string): void;
  debug(message: string): void;
  warn(message: string): void;
  /** A template's `log(msg, info=True)` (dbt's JinjaLogInfo: on the console with its time, as dbt's events); info() where absent. */
  jinjaInfo?(message: string): void;
  /** A template's `print(msg)` (dbt's PrintEvent: the text alone, even with --quiet); info() where absent. */
  printed?(message: string): void;
}

/** Where `logger` sends a template's log(msg, info=True): its jinjaInfo, else its info. */
export function jinjaInfoOf(logger: Logger): (message: string) => void {
  return (m) => (logger.jinjaInfo ? logger.jinjaInfo(m) : logger.info(m));
}

/** Where `logger` sends a template's print(msg): its printed, else its info. */
export function printedOf(logger: Logger): (message: string) => void {
  return (m) => (logger.printed ? logger.printed(m) : logger.info(m));
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
  /** `thread_id`: the name of the thread rendering (dbt's `Thread-1`, `MainThread` while parsing). */
  threadId?: string;
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
  const fn = pyFunction((args, kwargs) => {
    let fallback = fallbackOf(args, kwargs, 1, 'default');
    if (!fallback.given && input.missingVarIsNone) fallback = { given: true, value: null };
    const value = input.vars.get(String(args[0]), input.packageName, fallback, input.nodeName);
    if (typeof value === 'string' && input.renderVar && (value.includes('{{') || value.includes('{%') || value.includes('{#'))) return input.renderVar(value);
    return value;
  });
  // dbt's var is an object: `var.has_var('x')` says whether x is set (re_data guards its optional vars so).
  return Object.assign(fn, { has_var: pyFunction(([name]) => input.vars.has(String(name), input.packageName)) });
}

/** Python's iter() would accept it: strings, lists, dicts, sets, any iterable object. */
const isIterable = (v: unknown) => typeof v === 'string' || (v !== null && typeof v === 'object');

const compilerError = (msg: string) => {
  throw new TsdbtError('COMPILER_ERROR', msg);
};

/** dbt's zip(): tuples of the i-th items; `null` when an argument is not iterable. */
function zipLists(args: unknown[]): unknown[] | null {
  if (!args.every(isIterable)) return null;
  const lists = args.map((a) => (typeof a === 'string' ? [...a] : Array.isArray(a) ? a : Symbol.iterator in (a as object) ? [...(a as Iterable<unknown>)] : Object.keys(a as object)));
  const n = lists.length === 0 ? 0 : Math.min(...lists.map((l) => l.length));
  return Array.from({ length: n }, (_, i) => pyTuple(lists.map((l) => l[i])));
}

/** dbt's diff_of_two_dicts: dict_a minus dict_b, keys and values compared case-insensitively. */
function diffOfTwoDicts(a: Record<string, unknown[]>, b: Record<string, unknown[]>): Record<string, unknown[]> {
  const lowered = new Map(Object.entries(b ?? {}).map(([k, v]) => [k.toLowerCase(), (v ?? []).map((x) => String(x).toLowerCase())]));
  const out: Record<string, unknown[]> = {};
  for (const [k, values] of Object.entries(a ?? {})) {
    const other = lowered.get(k.toLowerCase());
    if (!other) out[k] = values;
    else {
      const diff = (values ?? []).filter((v) => !other.includes(String(v).toLowerCase()));
      if (diff.length > 0) out[k] = diff;
    }
  }
  return out;
}

const nameOf = (x: unknown) => String((x as { name?: unknown; unique_id?: unknown } | null)?.unique_id ?? (x as { name?: unknown } | null)?.name ?? x);

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
    // The rest of dbt's exceptions namespace: each raises dbt's message.
    missing_config: pyFunction(([model, name]) => compilerError(`Model '${nameOf(model)}' does not define a required config parameter '${String(name)}'.`)),
    missing_materialization: pyFunction(([model, adapterType]) =>
      compilerError(`No materialization '${String((model as { config?: { materialized?: unknown } })?.config?.materialized ?? '')}' was found for adapter ${String(adapterType)}! (searched types 'default' and '${String(adapterType)}')`),
    ),
    missing_relation: pyFunction(([relation]) => compilerError(`Relation ${String(relation)} not found!`)),
    raise_ambiguous_alias: pyFunction(([a, b, duped]) =>
      compilerError(`dbt found two resources with the database representation "${String(duped ?? '')}". dbt cannot create two resources with identical database representations. To fix this, change the configuration of one of these resources: ${nameOf(a)}, ${nameOf(b)}`),
    ),
    raise_ambiguous_catalog_match: pyFunction(([id]) => compilerError(`dbt found two relations in your warehouse with similar database identifiers for ${String(id)}. dbt is unable to determine which relation to use.`)),
    raise_cache_inconsistent: pyFunction(([msg]) => compilerError(`Cache inconsistency detected: ${String(msg)}`)),
    raise_dataclass_not_dict: pyFunction(([obj]) => compilerError(`The object ("${String(obj)}") was used as a dictionary. This capability has been removed from objects of this type.`)),
    raise_dep_not_found: pyFunction(([node, description, pkg]) => compilerError(`Error while parsing ${String(description)}.\nThe required package "${String(pkg)}" was not found. Is the package installed?\nHint: You may need to run \`dbt deps\`. (${nameOf(node)})`)),
    raise_duplicate_patch_name: pyFunction(([patch, path]) => compilerError(`dbt found two schema.yml entries for the same resource named ${nameOf(patch)}. Resources and their associated columns may only be described a single time. (${String(path)})`)),
    raise_duplicate_resource_name: pyFunction(([a, b]) => compilerError(`dbt found two resources with the name "${nameOf(a)}". Since these resources have the same name, dbt will be unable to find the correct resource (${nameOf(a)}, ${nameOf(b)}).`)),
    raise_invalid_property_yml_version: pyFunction(([path, issue]) => compilerError(`The yml property file at ${String(path)} is invalid because ${String(issue)}. Please consult the documentation for more information on yml property file syntax.`)),
    relation_wrong_type: pyFunction(([relation, expected]) =>
      compilerError(`Trying to create ${String(expected)} ${String(relation)}, but it currently exists as a ${String((relation as { type?: unknown })?.type ?? 'relation')}. Either drop ${String(relation)} manually, or run dbt with \`--full-refresh\` and dbt will drop it for you.`),
    ),
    warn_snapshot_timestamp_data_types: pyFunction(([snapshotType, sourceType]) => {
      if (String(snapshotType) !== String(sourceType)) logger.warn(`Data type of snapshot table timestamp columns (${String(snapshotType)}) doesn't match derived column 'updated_at' (${String(sourceType)}). Please update snapshot config 'updated_at'.`);
      return '';
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
      if (args[1] ?? kwargs.info) jinjaInfoOf(logger)(msg);
      else logger.debug(msg);
      return '';
    }),
    print: pyFunction((args) => {
      if (input.executing) printedOf(logger)(secrets.redact(pyStr(args[0])));
      return '';
    }),
    exceptions,
    modules: pythonModules,
    tojson: pyFunction((args, kwargs) => {
      try {
        return pyToJson(args[0], undefined, Boolean(kwargs.sort_keys ?? args[2]));
      } catch {
        return fallbackOf(args, kwargs, 1, 'default').value ?? null;
      }
    }),
    fromjson: pyFunction((args, kwargs) => {
      try {
        return JSON.parse(String(args[0]));
      } catch {
        return fallbackOf(args, kwargs, 1, 'default').value ?? null;
      }
    }),
    // dbt's toyaml/fromyaml are PyYAML's safe_dump (sort_keys=False unless asked) and safe_load (YAML 1.1), with `default` on an error.
    toyaml: pyFunction((args, kwargs) => {
      try {
        return pyToYaml(args[0], Boolean(kwargs.sort_keys ?? args[2] ?? false));
      } catch {
        return fallbackOf(args, kwargs, 1, 'default').value ?? null;
      }
    }),
    fromyaml: pyFunction((args, kwargs) => {
      try {
        return pyFromYaml(String(args[0]));
      } catch {
        return fallbackOf(args, kwargs, 1, 'default').value ?? null;
      }
    }),
    local_md5: pyFunction(([s]) => createHash('md5').update(String(s)).digest('hex')),
    zip: pyFunction((args, kwargs) => zipLists(args) ?? kwargs.default ?? null),
    zip_strict: pyFunction((args) => zipLists(args) ?? compilerError(`zip_strict: an argument is not iterable`)),
    set: pyFunction((args, kwargs) => (isIterable(args[0]) ? pySet(args[0]) : (kwargs.default ?? args[1] ?? null))),
    set_strict: pyFunction(([xs]) => (isIterable(xs) ? pySet(xs) : compilerError(`set_strict: '${xs === null || xs === undefined ? 'NoneType' : typeof xs}' object is not iterable`))),
    diff_of_two_dicts: pyFunction(([a, b]) => diffOfTwoDicts(a as Record<string, unknown[]>, b as Record<string, unknown[]>)),
    // dbt's debug() opens a debugger only with DBT_MACRO_DEBUGGING; otherwise it renders nothing.
    debug: pyFunction(() => ''),
    thread_id: input.threadId ?? (input.executing ? 'Thread-1' : 'MainThread'),
    invocation_args_dict: invocationArgsDict(input.flags),
    dbt_metadata_envs: metadataEnvs(input.env),
    invocation_id: input.invocationId,
    // An aware UTC datetime, as dbt's (`run_started_at.strftime(...)`, `.astimezone(...)`).
    run_started_at: pyDateTimeFromJs(input.runStartedAt),
    flags: jinjaFlags(input.flags),
    target: input.target,
    project_name: input.projectName,
    dbt_version: DBT_VERSION,
  };
}
