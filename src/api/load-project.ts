import { randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import type { AdapterInfo } from '../adapters/base/adapter-info.js';
import { setAgateFileBase } from '../adapters/base/agate-json.js';
import { jinjaInfoOf, printedOf, secretEnvVarLocationError, type Logger } from '../context/base-context.js';
import { lookupEnvVar, SecretRegistry } from '../context/vars.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { JinjaEnvironment, pyFunction } from '../jinja/index.js';
import { checkRequiredDbtVersion } from '../project/dbt-version.js';
import { loadPackages, type LoadedPackage } from '../project/packages.js';
import { checkPackagesInstalled } from '../project/installed-packages.js';
import { loadProfile, type ResolvedProfile } from '../project/profiles.js';
import { loadProjectConfig, type ProjectConfig, type YamlValueRenderer } from '../project/project-config.js';
import { isRecord, parseYaml } from '../util/yaml.js';
import { envReads, inputExists, logInputs, readInput, type InputLog } from '../util/input-log.js';
import { adapterPlugin, profileSchemas } from './adapter-registry.js';
import { loadOptionsKey } from './quick-start.js';
import { renderProjectSelectors } from './project-selectors.js';

export interface GlobalOptions {
  /** The invocation's id (the CLI makes one per command: its log file and events carry it); a new one when not given. */
  invocationId?: string;
  projectDir?: string;
  profilesDir?: string;
  target?: string;
  /** `--vars` as given: YAML/JSON text or an object. */
  vars?: string | Record<string, unknown>;
  threads?: number;
  env?: Record<string, string | undefined>;
  logger?: Logger;
  /** `--profile` / DBT_PROFILE: the profile to use instead of dbt_project.yml's `profile:`. */
  profile?: string;
  /** `--target-path` / DBT_TARGET_PATH: where artifacts go instead of dbt_project.yml's `target-path`. */
  targetPath?: string;
  /** `--log-path` / DBT_LOG_PATH: where dbt.log goes (for `flags.LOG_PATH`; the CLI opens the log). */
  logPath?: string;
  /** Reuse and keep the parse cache (target/partial_parse.bin): the CLI's default, off unless asked for here. */
  partialParse?: boolean;
  /** Write the JSON artifacts (manifest.json, run_results.json, sources.json): the default; false is dbt's --no-write-json. */
  writeJson?: boolean;
}

/** A project ready to parse: its config, the chosen profile target, its adapter and packages. */
export interface LoadedProject {
  projectDir: string;
  root: ProjectConfig;
  profile: ResolvedProfile;
  adapter: AdapterInfo;
  packages: LoadedPackage[];
  cliVars: Record<string, unknown>;
  env: Record<string, string | undefined>;
  secrets: SecretRegistry;
  jinja: JinjaEnvironment;
  invocationId: string;
  runStartedAt: Date;
  /** `target` as templates see it (secrets removed). */
  target: Record<string, unknown>;
  threads: number;
  logger: Logger;
  warnings: string[];
  /** Parse through the parse cache (see parse-phase). */
  partialParse: boolean;
  /** False with --no-write-json: no manifest.json, semantic_manifest.json, run_results.json or sources.json is written (the parse cache still is). */
  writeJson: boolean;
  /** profiles_dir, log_path, target_path as dbt 1.10's flags hold them, and write_json when off (pathFlags): merged into every phase's flags. */
  pathFlags: Record<string, string | boolean | null>;
  /** What the load read (quick-start.ts proves a later load would give the same project from it). */
  reads: LoadReads;
  /** selectors.yml's text (null: none), read with the load: the parse keeps its selectors in the manifest, and the parse cache is keyed on it. */
  selectorsText: string | null;
}

/**
 * The inputs of a load besides its options: the files it read or probed,
 * the environment variables it read by name, and whether any template it
 * rendered could give another value from the same inputs (the `random` filter).
 */
export interface LoadReads {
  /** The options loaded with (quick-start.ts loadOptionsKey). */
  options: string;
  files: InputLog;
  env: Record<string, string | null>;
  impure: boolean;
}

const SECRET_FIELDS = new Set(['password', 'private_key', 'private_key_passphrase', 'token', 'oauth_client_secret', 'passphrase', 'passcode']);

/** The string values under secret-sounding keys (secret, key_id, token, password, connection_string...) anywhere in a profile value. */
function secretStringsIn(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(secretStringsIn);
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => (typeof x === 'string' ? (/secret|token|password|key|connection_string|credential/i.test(k) && x.length > 0 ? [x] : []) : secretStringsIn(x)));
}

export const silentLogger: Logger = { info: () => {}, debug: () => {}, warn: () => {} };

export function parseCliVars(vars: GlobalOptions['vars']): Record<string, unknown> {
  if (vars === undefined) return {};
  if (typeof vars !== 'string') return vars;
  let parsed: unknown;
  try {
    // As dbt's yaml.safe_load of --vars: a key given twice keeps its last value.
    parsed = parseYaml(vars, '--vars').value;
  } catch (e) {
    throw new TsdbtError('USAGE', `--vars is not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`, {
      hint: `Pass a mapping, e.g. --vars '{"start_date": "2024-01-01"}'.`,
    });
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isRecord(parsed)) throw new TsdbtError('USAGE', '--vars must be a mapping of names to values', { hint: `e.g. --vars '{my_var: 1}'` });
  return parsed;
}

/** load: dbt_project.yml, profiles.yml (target chosen, env_var rendered, validated), adapter, packages. */
/** `requireInstalled: false` (debug) loads a project whose packages are not installed yet. */
export function loadProject(opts: GlobalOptions = {}, { requireInstalled = true }: { requireInstalled?: boolean } = {}): LoadedProject {
  const env = opts.env ?? process.env;
  const seen = envReads(env);
  const reads: LoadReads = { options: loadOptionsKey(opts, process.cwd()), files: {}, env: seen.read, impure: false };
  const { result, inputs } = logInputs(() => loadWith(opts, requireInstalled, env, seen.env, reads));
  reads.files = inputs;
  return result;
}

/** loadProject, the loaders' own environment reads going through `loaderEnv` and what they render noted in `reads`. */
function loadWith(opts: GlobalOptions, requireInstalled: boolean, env: Record<string, string | undefined>, loaderEnv: Record<string, string | undefined>, reads: LoadReads): LoadedProject {
  const projectDir = resolve(opts.projectDir ?? process.cwd());
  // agate's to_json writes relative paths from the project folder, as dbt's commands run there.
  setAgateFileBase(projectDir);
  const logger = opts.logger ?? silentLogger;
  const secrets = new SecretRegistry();
  secrets.addFromEnv(env);
  const cliVars = parseCliVars(opts.vars);
  secrets.addFromVars(cliVars);
  const jinja = new JinjaEnvironment();
  const warnings: string[] = [];
  // Only profiles.yml may read DBT_ENV_SECRET_ variables (packages.yml is rendered by deps).
  let secretsAllowed = false;
  const yamlContext = {
    vars: {
      env_var: pyFunction((args, kwargs) => {
        const name = String(args[0]);
        const fallback = args.length > 1 ? { given: true, value: args[1] } : 'default' in kwargs ? { given: true, value: kwargs.default } : { given: false };
        if (name.startsWith('DBT_ENV_SECRET_') && !secretsAllowed) throw secretEnvVarLocationError(name);
        const value = lookupEnvVar(loaderEnv, name, fallback);
        if (name.startsWith('DBT_ENV_SECRET_') && typeof value === 'string') secrets.add(value);
        return value;
      }),
      var: pyFunction((args, kwargs) => {
        const name = String(args[0]);
        if (name in cliVars) return cliVars[name];
        if (args.length > 1) return args[1];
        if ('default' in kwargs) return kwargs.default;
        throw new TsdbtError('VAR_MISSING', `Required var '${name}' not found in config`, { hint: `Pass it with --vars '{${name}: ...}' or give a default.` });
      }),
    },
  };
  const render: YamlValueRenderer = (text, file, line) => {
    if (text.includes('random')) reads.impure = true;
    try {
      // Native, as dbt renders YAML values: `"{{ false }}"` is a boolean, `| as_number` a number.
      return jinja.renderNative(text, file, yamlContext);
    } catch (e) {
      if (e instanceof TsdbtError) {
        // The engine counts lines within the rendered value; point at the YAML line instead.
        const within = e.file === file && e.line !== undefined ? e.line - 1 : 0;
        e.file = file;
        e.line = line === undefined ? e.line : line + within;
      }
      throw e;
    }
  };
  // dbt renders dbt_project.yml in two passes: the profile name first (no
  // target exists yet), then everything with `target` (e.g.
  // `+materialized: "{{ 'view' if target.name == 'dev' else 'table' }}"`).
  const firstPass = loadProjectConfig(projectDir, (text, file, line) => {
    try {
      return render(text, file, line);
    } catch {
      return text;
    }
  });
  if (opts.profile) firstPass.profile = opts.profile;
  if (!firstPass.profile) {
    throw new TsdbtError('PROJECT_INVALID', "dbt_project.yml has no 'profile:'", { file: firstPass.file, line: 1, hint: 'Add `profile: <name of a profile in profiles.yml>`.' });
  }
  const profile = loadProfile({
    profileName: firstPass.profile,
    projectDir,
    profilesDir: opts.profilesDir,
    target: opts.target,
    env: loaderEnv,
    schemas: profileSchemas(),
    render: (text, file, line) => {
      secretsAllowed = true;
      try {
        return render(text, file, line);
      } finally {
        secretsAllowed = false;
      }
    },
    warn: (m) => warnings.push(m),
  });
  for (const [k, v] of Object.entries(profile.credentials)) if (SECRET_FIELDS.has(k) && typeof v === 'string') secrets.add(v);
  // dbt-duckdb's `secrets:` (CREATE SECRET parameters): its keys, tokens and passwords (not `type: s3`).
  for (const v of secretStringsIn(profile.credentials.secrets)) secrets.add(v);
  const plugin = adapterPlugin(profile.type)!;
  const adapter = plugin.info(profile.credentials, firstPass.quoting);
  adapter.runtimeConfig = { quoting: { ...firstPass.quoting }, flags: { ...(firstPass.flags ?? {}) } };
  const threads = opts.threads ?? profile.threads;
  // As dbt: `target` holds the adapter's connection keys only (plugin.targetKeys), never a credential.
  const target: Record<string, unknown> = {};
  for (const k of plugin.targetKeys) if (profile.credentials[k] !== undefined && !SECRET_FIELDS.has(k)) target[k] = profile.credentials[k];
  Object.assign(target, {
    name: profile.targetName,
    target_name: profile.targetName,
    profile_name: profile.profileName,
    type: profile.type,
    schema: adapter.schema,
    database: adapter.database,
    threads,
  });
  (yamlContext.vars as Record<string, unknown>).target = target;
  const root = loadProjectConfig(projectDir, render);
  if (opts.targetPath) root.targetPath = opts.targetPath;
  if (requireInstalled) checkPackagesInstalled(root);
  const packages = loadPackages(root, adapter.type, render);
  for (const p of packages) {
    if (p.kind !== 'internal') checkRequiredDbtVersion(p.config.name, p.config.requireDbtVersion, p.config.file, p.config.keyLines['require-dbt-version']);
  }
  const selectorsText = inputExists(join(projectDir, 'selectors.yml')) ? readInput(join(projectDir, 'selectors.yml')) : null;
  // As dbt renders selectors.yml with the project (env_var, --vars, target), here where env reads are recorded.
  renderProjectSelectors(projectDir, selectorsText, render);
  return {
    projectDir,
    root,
    profile,
    adapter,
    packages,
    cliVars,
    env,
    secrets,
    jinja,
    invocationId: opts.invocationId ?? randomUUID(),
    runStartedAt: new Date(),
    target,
    threads,
    // Lines the phases log through this logger are scrubbed of secret values, as dbt does.
    logger: {
      info: (m) => logger.info(secrets.redact(m)),
      debug: (m) => logger.debug(secrets.redact(m)),
      warn: (m) => logger.warn(secrets.redact(m)),
      jinjaInfo: (m) => jinjaInfoOf(logger)(secrets.redact(m)),
      printed: (m) => printedOf(logger)(secrets.redact(m)),
    },
    warnings,
    partialParse: opts.partialParse === true,
    writeJson: opts.writeJson !== false,
    pathFlags: pathFlags(opts, projectDir, profile.file),
    reads,
    selectorsText,
  };
}

/**
 * `flags.PROFILES_DIR`, `LOG_PATH` and `TARGET_PATH` as dbt 1.10 fills them
 * (cli/params.py, cli/flags.py): the profiles folder as given, else the one
 * profiles.yml was read from; the log folder (`--log-path` resolved, else the
 * project's `logs/`, where the CLI writes dbt.log); the target path only when
 * given (dbt has no default for the flag: None). `write_json` only when
 * --no-write-json turned it off (flags.WRITE_JSON is true by default; unset,
 * invocation_args_dict stays as it was).
 */
function pathFlags(opts: GlobalOptions, projectDir: string, profileFile: string /* relative to projectDir or absolute */): Record<string, string | boolean | null> {
  return {
    profiles_dir: opts.profilesDir ?? dirname(resolve(projectDir, profileFile)),
    log_path: resolve(projectDir, opts.logPath ?? 'logs'),
    target_path: opts.targetPath ?? null,
    ...(opts.writeJson === false ? { write_json: false } : {}),
  };
}
