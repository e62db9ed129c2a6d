import { redactIn } from '../util/redact.js';

/**
 * Secret handling for `tsdbt deps`.
 *
 * dbt treats every environment variable whose name starts with
 * `DBT_ENV_SECRET_` as a secret (git tokens in package URLs, mostly). Their
 * values must never reach a log line, an error message or package-lock.yml,
 * so everything deps prints goes through `scrubSecrets` first.
 */

export const SECRET_ENV_PREFIX = 'DBT_ENV_SECRET_';

/** The values of all non-empty `DBT_ENV_SECRET_*` variables in `env`. */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith(SECRET_ENV_PREFIX) && value) out.push(value);
  }
  // Longest first, so a secret containing another is replaced whole.
  return out.sort((a, b) => b.length - a.length);
}

/** Replace every secret value in `text` with `*****`. */
export function scrubSecrets(text: string, env: NodeJS.ProcessEnv = process.env): string {
  return redactIn(text, secretValues(env));
}
