import { join, relative } from 'node:path';
import { createRequire } from 'node:module';
import type { AnySchema, ValidateFunction } from 'ajv';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { isRecord, parseYaml } from '../util/yaml.js';
import { inputExists, readInput } from '../util/input-log.js';
import { nearestKey } from './config-keys.js';
import { certainlyValid } from './profile-quick-check.js';
import { profileSearchDirs } from './profile-search.js';
import type { YamlValueRenderer } from './project-config.js';

/** The chosen target of the chosen profile, rendered and validated. */
export interface ResolvedProfile {
  profileName: string;
  targetName: string;
  /** The output's fields (type, schema, threads, path / account ...), env_vars rendered. */
  credentials: Record<string, unknown>;
  type: string;
  threads: number;
  /** Where profiles.yml was found. */
  file: string;
}

export interface ProfileLookup {
  profileName: string;
  projectDir: string;
  profilesDir?: string;
  target?: string;
  env: Record<string, string | undefined>;
  /** JSON schema of each adapter type's output fields (from the adapter registry). */
  schemas: Record<string, AnySchema>;
  render: YamlValueRenderer;
  warn?: (message: string) => void;
}

const validators = new WeakMap<object, ValidateFunction>();
let ajv: { compile(schema: AnySchema): ValidateFunction } | undefined;

/**
 * ajv, loaded on first use: a target certainlyValid accepts never needs it.
 * The profile schemas are tsdbt's own (tests check them against the JSON
 * Schema meta-schema), so they are not checked again on every run.
 */
function compile(schema: AnySchema): ValidateFunction {
  if (!ajv) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
  }
  return ajv.compile(schema);
}

export function loadProfile(lookup: ProfileLookup): ResolvedProfile {
  const dirs = profileSearchDirs(lookup.projectDir, lookup.profilesDir, lookup.env);
  const dir = dirs.find((d) => inputExists(join(d, 'profiles.yml')));
  if (!dir) {
    throw new TsdbtError('PROFILE_NOT_FOUND', `Could not find profiles.yml (looked in ${dirs.join(', ')})`, {
      hint: `Create profiles.yml with a profile named '${lookup.profileName}', or pass --profiles-dir / set DBT_PROFILES_DIR.`,
    });
  }
  const path = join(dir, 'profiles.yml');
  const rel = relative(lookup.projectDir, path);
  const display = rel.startsWith('..') ? path : rel;
  const parsed = parseYaml(readInput(path), display);
  const all = parsed.value;
  if (!isRecord(all) || !isRecord(all[lookup.profileName])) {
    const names = isRecord(all) ? Object.keys(all).filter((k) => k !== 'config') : [];
    const near = nearestKey(lookup.profileName, names);
    throw new TsdbtError('PROFILE_NOT_FOUND', `Profile '${lookup.profileName}' not found in ${display}`, {
      file: display,
      hint: near
        ? `Did you mean '${near}'? The profile name comes from \`profile:\` in dbt_project.yml.`
        : `Add a profile named '${lookup.profileName}' (profiles found: ${names.join(', ') || 'none'}).`,
    });
  }
  const profile = all[lookup.profileName] as Record<string, unknown>;
  const outputs = profile.outputs;
  const profileLine = parsed.keyLine(all, lookup.profileName);
  if (!isRecord(outputs)) {
    throw new TsdbtError('PROFILE_INVALID', `Profile '${lookup.profileName}' has no 'outputs:'`, {
      file: display,
      line: profileLine,
      hint: 'Add `outputs:` with at least one target, e.g. `dev: {type: duckdb, path: dev.duckdb}`.',
    });
  }
  const rawTarget = lookup.target ?? profile.target;
  const targetName = typeof rawTarget === 'string' ? String(lookup.render(rawTarget, display, parsed.keyLine(profile, 'target'))) : undefined;
  if (!targetName) {
    throw new TsdbtError('TARGET_NOT_FOUND', `Profile '${lookup.profileName}' names no default target`, {
      file: display,
      line: profileLine,
      hint: 'Add `target: dev` to the profile or pass --target.',
    });
  }
  const output = outputs[targetName];
  if (!isRecord(output)) {
    throw new TsdbtError('TARGET_NOT_FOUND', `Target '${targetName}' not found in profile '${lookup.profileName}'`, {
      file: display,
      line: parsed.keyLine(profile, 'outputs'),
      hint: `Valid targets: ${Object.keys(outputs).join(', ')}.`,
    });
  }
  const credentials: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(output)) {
    const line = parsed.keyLine(output, k);
    credentials[k] = renderDeep(v, (text) => lookup.render(text, display, line));
  }
  const type = credentials.type;
  const outputLine = parsed.keyLine(outputs, targetName);
  if (typeof type !== 'string') {
    throw new TsdbtError('PROFILE_INVALID', `Target '${targetName}' of profile '${lookup.profileName}' has no 'type'`, {
      file: display,
      line: outputLine,
      hint: 'Add e.g. `type: duckdb`.',
    });
  }
  const schema = lookup.schemas[type];
  if (!schema) {
    throw new TsdbtError('PROFILE_INVALID', `Target '${targetName}' uses adapter type '${type}', which tsdbt does not support`, {
      file: display,
      line: parsed.keyLine(output, 'type'),
      hint: `Supported types: ${Object.keys(lookup.schemas).join(', ')}.`,
    });
  }
  validateCredentials(schema, credentials, { display, targetName, line: (k) => parsed.keyLine(output, k) ?? outputLine, warn: lookup.warn });
  const threads = credentials.threads === undefined ? 1 : Number(credentials.threads);
  return { profileName: lookup.profileName, targetName, credentials, type, threads: Number.isFinite(threads) && threads > 0 ? threads : 1, file: display };
}

function validateCredentials(
  schema: AnySchema,
  credentials: Record<string, unknown>,
  ctx: { display: string; targetName: string; line: (key: string) => number | undefined; warn?: (m: string) => void },
): void {
  if (certainlyValid(schema, credentials) === true) return;
  let validate = validators.get(schema as object);
  if (!validate) {
    validate = compile(schema);
    validators.set(schema as object, validate);
  }
  if (validate(credentials)) return;
  for (const err of validate.errors ?? []) {
    if (err.keyword === 'required') {
      const missing = (err.params as { missingProperty: string }).missingProperty;
      throw new TsdbtError('PROFILE_INVALID', `Target '${ctx.targetName}' is missing required field '${missing}'`, {
        file: ctx.display,
        line: ctx.line('type'),
        hint: `Add \`${missing}:\` to the '${ctx.targetName}' output.`,
      });
    }
    if (err.keyword === 'additionalProperties') {
      const extra = (err.params as { additionalProperty: string }).additionalProperty;
      const props = Object.keys(((schema as { properties?: object }).properties ?? {}) as object);
      const near = nearestKey(extra, props);
      ctx.warn?.(`${ctx.display}:${ctx.line(extra) ?? ''}: unknown field '${extra}' in target '${ctx.targetName}'${near ? ` (did you mean '${near}'?)` : ''}`);
      continue;
    }
    const key = err.instancePath.replace(/^\//, '').split('/')[0] ?? '';
    throw new TsdbtError('PROFILE_INVALID', `Target '${ctx.targetName}': field '${key}' ${err.message ?? 'is invalid'}`, {
      file: ctx.display,
      line: ctx.line(key),
      hint: `Fix '${key}' in the '${ctx.targetName}' output.`,
    });
  }
}

function renderDeep(value: unknown, render: (text: string) => unknown): unknown {
  if (typeof value === 'string') return value.includes('{{') || value.includes('{%') ? render(value) : value;
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, render));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, render)]));
  return value;
}
