import { TsdbtError } from '../errors/tsdbt-error.js';
import { isRecord } from '../util/yaml.js';

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

  get(name: string, pkg: string, fallback: { given: boolean; value?: unknown }, nodeName?: string): unknown {
    const vars = this.visibleTo(pkg);
    if (Object.prototype.hasOwnProperty.call(vars, name)) return vars[name];
    if (fallback.given) return fallback.value;
    throw new TsdbtError('VAR_MISSING', `Required var '${name}' not found in config${nodeName ? ` (rendering ${nodeName})` : ''}`, {
      hint: `Define it under \`vars:\` in dbt_project.yml, pass --vars '{${name}: ...}', or give var() a default: var('${name}', 'default').`,
    });
  }
}

/** The values of secret env vars, so logs and errors can redact them. */
export class SecretRegistry {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    if (value && value.length >= 3) this.values.add(value);
  }

  addFromEnv(env: Record<string, string | undefined>): void {
    for (const [k, v] of Object.entries(env)) if (k.startsWith('DBT_ENV_SECRET_')) this.add(v);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.values) out = out.split(secret).join('*****');
    return out;
  }
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
