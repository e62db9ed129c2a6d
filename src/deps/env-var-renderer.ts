import { TsdbtError } from '../errors/tsdbt-error.js';

/**
 * Renders one string value from packages.yml. tsdbt's CLI can plug its full
 * Jinja environment in here; the default below only understands
 * `{{ env_var('NAME') }}` and `{{ env_var('NAME', 'default') }}`, which is
 * what packages.yml files use in practice (git tokens, private hub URLs).
 */
export type PackagesRenderer = (text: string) => string;

const ENV_VAR_CALL =
  /\{\{-?\s*env_var\(\s*(?:'([^']*)'|"([^"]*)")\s*(?:,\s*(?:'([^']*)'|"([^"]*)")\s*)?\)\s*-?\}\}/g;

/**
 * Build the default renderer over `env`. Throws ENV_VAR_MISSING for an unset
 * variable without a default, and JINJA_RENDER for any other Jinja it cannot
 * evaluate (so a `{{ var('x') }}` is never silently installed as a literal).
 */
export function envVarRenderer(env: NodeJS.ProcessEnv = process.env): PackagesRenderer {
  return (text: string): string => {
    const out = text.replace(ENV_VAR_CALL, (_m, sq?: string, dq?: string, dsq?: string, ddq?: string) => {
      const name = (sq ?? dq) as string;
      const fallback = dsq ?? ddq;
      const value = env[name];
      if (value !== undefined) return value;
      if (fallback !== undefined) return fallback;
      throw new TsdbtError('ENV_VAR_MISSING', `Env var required but not provided: '${name}'`, {
        hint: `Set ${name} in the environment, or give env_var() a default: env_var('${name}', 'value').`,
      });
    });
    if (out.includes('{{') || out.includes('{%')) {
      throw new TsdbtError('JINJA_RENDER', `Cannot render ${JSON.stringify(text)}: only env_var() is supported here`, {
        hint: "Use {{ env_var('NAME') }} in packages.yml, or pass a full Jinja renderer to installDeps({ render }).",
      });
    }
    return out;
  };
}

/** True if a string value needs rendering at all; plain values are never passed to a renderer. */
export function hasJinja(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}
