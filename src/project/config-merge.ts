import { isRecord } from '../util/yaml.js';
import { trimmedList } from '../util/exact-list.js';
import { plainCopy } from '../util/plain-copy.js';
import { APPEND_KEYS, CONFIG_KEYS, normaliseConfigKey, UPDATE_KEYS } from './config-keys.js';

export type ConfigLayer = Record<string, unknown>;

/** Merge `patch` over `base` with dbt's rules: tags and hooks append, dict-valued keys update, the rest replace. */
export function mergeConfig(base: ConfigLayer, patch: ConfigLayer): ConfigLayer {
  const out: ConfigLayer = plainCopy(base);
  const keys = Object.keys(patch);
  for (let i = 0; i < keys.length; i++) {
    const rawKey = keys[i]!;
    const value = patch[rawKey];
    const key = normaliseConfigKey(rawKey);
    if (value === undefined) continue;
    if (APPEND_KEYS.has(key)) {
      const prev = asList(out[key]);
      const next = asList(value);
      out[key] = key === 'tags' ? uniqueConcat(prev, next) : [...prev, ...next];
    } else if (UPDATE_KEYS.has(key) && isRecord(value) && isRecord(out[key])) {
      out[key] = { ...(out[key] as Record<string, unknown>), ...value };
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * `patch` over `base` as dbt builds a node's `unrendered_config`: each key
 * replaces (no appended tags or hooks, no merged dicts), so a level's
 * column_types or meta stands alone, as in dbt's manifest (state:modified
 * compares it).
 */
export function updateConfig(base: ConfigLayer, patch: ConfigLayer): ConfigLayer {
  const out: ConfigLayer = plainCopy(base);
  for (const rawKey of Object.keys(patch)) if (patch[rawKey] !== undefined) out[normaliseConfigKey(rawKey)] = patch[rawKey];
  return out;
}

/**
 * `[...new Set([...a, ...b])]` (the same values, SameValueZero, first
 * places kept) without the Set and the two spreads for the few tags a config
 * has (every model's `config(tags=...)` merges some).
 */
function uniqueConcat(a: readonly unknown[], b: readonly unknown[]): unknown[] {
  if (a.length + b.length > 16) return [...new Set([...a, ...b])];
  const out: unknown[] = [];
  for (let i = 0; i < a.length; i++) if (!out.includes(a[i])) out.push(a[i]);
  for (let i = 0; i < b.length; i++) if (!out.includes(b[i])) out.push(b[i]);
  // At its exact length: a model's unrendered_config keeps it (util/exact-list.ts).
  return trimmedList(out);
}

function asList(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/**
 * The configs a dbt_project.yml tree (e.g. the `models:` mapping) applies to
 * a node with this fqn, from least to most specific. A key is a config when it
 * starts with `+`, or is a known config key of the resource type whose value
 * is not a mapping (as dbt, a mapping without `+` is always a path: a seed
 * or folder named `tags`, `docs` or `meta`); otherwise it names a sub-folder
 * (or the node itself, for the last fqn part).
 */
export function configFromTree(tree: Record<string, unknown> | undefined, resourceType: string, fqn: readonly string[], merge = mergeConfig): ConfigLayer {
  if (!tree) return {};
  const known = CONFIG_KEYS[resourceType] ?? CONFIG_KEYS.models!;
  let result: ConfigLayer = {};
  let level: Record<string, unknown> | undefined = tree;
  for (let depth = 0; level !== undefined; depth++) {
    const layer: ConfigLayer = {};
    // The next level is found among the keys walked here: looking an fqn part up by name costs more (it is
    // not an interned string: V8 hashes it and searches its string table, at every level of every node).
    const part = depth < fqn.length ? fqn[depth]! : undefined;
    let next: unknown;
    const keys = Object.keys(level);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const value = level[key];
      if (key === part) next = value;
      if (key.startsWith('+') || (!isRecord(value) && known.has(normaliseConfigKey(key)))) {
        layer[key] = value;
      }
    }
    result = merge(result, layer);
    level = isRecord(next) ? next : undefined;
  }
  return result;
}
