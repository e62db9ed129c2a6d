import { TsdbtError } from '../errors/tsdbt-error.js';
import type { ExtractConfig, ValueRef } from './config-types.js';

/** The environment variable that overrides every config's base_url (after --url). */
export const URL_ENV = 'TSDBT_EXTRACT_URL';

/** Base URL: `--url`, then TSDBT_EXTRACT_URL, then the config's own env var, then base_url. */
export function resolveBaseUrl(config: ExtractConfig, url: string | undefined, env: Record<string, string | undefined>): string {
  const s = config.source;
  const chosen = url ?? env[URL_ENV] ?? (s.base_url_env ? env[s.base_url_env] : undefined) ?? s.base_url;
  if (!chosen) {
    throw new TsdbtError('EXTRACT_CONFIG', 'No base URL for the extract source', {
      file: config.file,
      hint: `Set source.base_url in extract.yml, pass --url, or set ${URL_ENV}${s.base_url_env ? ` or ${s.base_url_env}` : ''}.`,
    });
  }
  try {
    const u = new URL(chosen);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new TsdbtError('EXTRACT_CONFIG', `The base URL '${chosen.replace(/\/\/[^@/]*@/, '//')}' is not an http(s) URL`, {
      file: config.file,
      hint: 'Write it as http://host:port or https://host/path.',
    });
  }
  return chosen;
}

export interface ResolvedAuth {
  headers: Record<string, string>;
  /** Added to every request's query (api_key in the query). */
  query: Record<string, string>;
  /** Values never to print. */
  secrets: string[];
  /** What to say on a 401. */
  hint: string;
}

function resolveRef(ref: ValueRef, what: string, config: ExtractConfig, env: Record<string, string | undefined>): string {
  if (ref.env_var) {
    const v = env[ref.env_var];
    if (v !== undefined && v !== '') return v;
    if (ref.default !== undefined) return ref.default;
    throw new TsdbtError('ENV_VAR_MISSING', `The environment variable ${ref.env_var} (the ${what} for source.auth) is not set`, {
      file: config.file,
      hint: `Set ${ref.env_var}, or give auth a default.`,
    });
  }
  return ref.value ?? ref.default ?? '';
}

function describeRef(ref: ValueRef, env: Record<string, string | undefined>): string {
  if (!ref.env_var) return 'the literal in extract.yml';
  const set = env[ref.env_var] !== undefined && env[ref.env_var] !== '';
  return `env var ${ref.env_var} (${set ? 'set' : 'not set, so the default from extract.yml was used'})`;
}

/** Headers (or query params) for source.auth: Basic user:password (password empty by default), Bearer token, or an API key. */
export function resolveAuth(config: ExtractConfig, env: Record<string, string | undefined>): ResolvedAuth {
  const a = config.source.auth;
  if (!a) return { headers: {}, query: {}, secrets: [], hint: 'The server wants credentials: add source.auth to extract.yml.' };
  if (a.type === 'basic') {
    const user = resolveRef(a.username, 'username', config, env);
    const pass = a.password ? resolveRef(a.password, 'password', config, env) : '';
    const token = Buffer.from(`${user}:${pass}`).toString('base64');
    return {
      headers: { authorization: `Basic ${token}` },
      query: {},
      secrets: [user, pass, token].filter((x) => x.length > 0),
      hint: `Check the API key: the Basic auth username comes from ${describeRef(a.username, env)}.`,
    };
  }
  if (a.type === 'api_key') {
    const key = resolveRef(a.value, 'API key', config, env);
    return {
      headers: a.location === 'header' ? { [a.name.toLowerCase()]: key } : {},
      query: a.location === 'query' ? { [a.name]: key } : {},
      secrets: [key],
      hint: `Check the API key: it comes from ${describeRef(a.value, env)}.`,
    };
  }
  const token = resolveRef(a.token, 'token', config, env);
  return {
    headers: { authorization: `Bearer ${token}` },
    query: {},
    secrets: [token],
    hint: `Check the token: it comes from ${describeRef(a.token, env)}.`,
  };
}
