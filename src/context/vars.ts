import { TsdbtError } from '../errors/tsdbt-error.js';
import { isRecord } from '../util/yaml.js';
import { redactIn } from '../util/redact.js';

/**
 * `var()` lookup with dbt's precedence: --vars on the command line, then
 * the root project's vars (package-scoped `vars: {pkg: {x: ...}}` before
 * global ones), then the package's own dbt_project.yml vars.
 */
export class VarResolver {
  constructor(
    private readonly cliVars: Record<string, unknown>,
    private readonly rootProject: string,
    private readonly rootVars: Record<string, unknown>,
    /** Each package's own dbt_project.yml `vars:`. */
    private readonly packageVars: Record<string, Record<string, unknown>>,
  ) {}

  /**
   * The merged vars visible to nodes of `pkg`, as dbt merges them: the
   * package's own dbt_project.yml (global keys, then its `vars: {pkg: {...}}`),
   * then the root project's (global, then scoped to `pkg`), then --vars; a
   * later layer wins.
   */
  visibleTo(pkg: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (pkg !== this.rootProject) Object.assign(out, ...this.layersOf(this.packageVars[pkg] ?? {}, pkg));
    Object.assign(out, ...this.layersOf(this.rootVars, pkg));
    Object.assign(out, this.cliVars);
    return out;
  }

  /** One project's vars for `pkg`: every key (a scoped block is a var too, as in dbt), then the block scoped to `pkg`. */
  private layersOf(vars: Record<string, unknown>, pkg: string): Record<string, unknown>[] {
    const scoped = vars[pkg];
    return isRecord(scoped) ? [vars, scoped] : [vars];
  }

  /** dbt's `var.has_var(name)`: whether `name` is a var visible to nodes of `pkg` (a default given to var() does not count). */
  has(name: string, pkg: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.visibleTo(pkg), name);
  }

  get(name: string, pkg: string, fallback: { given: boolean; value?: unknown }, nodeName?: string): unknown {
    const vars = this.visibleTo(pkg);
    if (Object.prototype.hasOwnProperty.call(vars, name)) return vars[name];
    if (fallback.given) return fallback.value;
    throw new TsdbtError('VAR_MISSING', `Required var '${name}' not found in config${nodeName ? ` (rendering ${nodeName})` : ''}`, {
      hint: `Define it under \`vars:\` in dbt_project.yml, pass --vars '{${name}: ...}', or give var() a default: var('${name}', 'default').`,
    });
  }
}

/**
 * What marks a secret, as dbt 1.10 marks it: an environment variable, or a
 * `--vars` key, whose name starts with this.
 */
export const SECRET_PREFIX = 'DBT_ENV_SECRET';

/** The values of secrets (env vars, secret `--vars`, profile passwords), so logs, errors and artifacts can redact them. */
export class SecretRegistry {
  private readonly values = new Set<string>();
  private sorted: string[] | undefined;

  add(value: string | undefined): void {
    if (value && value.length >= 3 && !this.values.has(value)) {
      this.values.add(value);
      this.sorted = undefined;
    }
  }

  addFromEnv(env: Record<string, string | undefined>): void {
    for (const [k, v] of Object.entries(env)) if (k.startsWith(SECRET_PREFIX)) this.add(v);
  }

  /** The `--vars` whose names mark them secret (dbt scrubs these from run_results.json and its var errors). */
  addFromVars(vars: Record<string, unknown>): void {
    for (const v of secretVarValues(vars)) this.add(v);
  }

  redact(text: string): string {
    this.sorted ??= longestFirst(this.values);
    return redactIn(text, this.sorted);
  }

  /** `value` with every secret (and each of `extra`) replaced inside its strings, keys too, however deep; other values kept as they are. */
  redactValue(value: unknown, extra: Iterable<string> = []): unknown {
    const secrets = longestFirst([...this.values, ...extra]);
    return secrets.length === 0 ? value : redactDeep(value, secrets);
  }
}

/** The non-blank string values of the `--vars` named as secrets (dbt's test: the key starts with the prefix and the value is not blank). */
export function secretVarValues(vars: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(vars)) if (k.startsWith(SECRET_PREFIX) && typeof v === 'string' && v.trim() !== '') out.push(v);
  return out;
}

function longestFirst(secrets: Iterable<string>): string[] {
  // A secret containing another is replaced whole.
  return [...new Set(secrets)].sort((a, b) => b.length - a.length);
}

function redactDeep(value: unknown, secrets: string[]): unknown {
  if (typeof value === 'string') return redactIn(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redactIn(k, secrets)] = redactDeep(v, secrets);
    return out;
  }
  return value;
}

/** `env_var('X', 'default')`: a missing var without a default is an error naming it. */
export function lookupEnvVar(env: Record<string, string | undefined>, name: string, fallback: { given: boolean; value?: unknown }): unknown {
  const v = env[name];
  if (v !== undefined) return v;
  if (fallback.given) return fallback.value;
  throw new TsdbtError('ENV_VAR_MISSING', `Env var required but not provided: '${name}'`, {
    hint: `Set ${name} in the environment, or give a default: env_var('${name}', 'default').`,
  });
}
