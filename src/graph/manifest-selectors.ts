import { isRecord } from '../util/yaml.js';

/**
 * manifest.json's `selectors`: each entry of selectors.yml as written,
 * keyed by its name, its `definition` in the normalised form dbt-core 1.10
 * stores there (SelectorDict): a CLI-style string becomes a criterion map
 * (`'tag:nightly+'` → `{method: 'tag', value: 'nightly', children: true}`),
 * a one-key map `{tag: nightly}` becomes `{method, value}`, union and
 * intersection lists are normalised item by item, `{exclude: [...]}` keeps
 * its key with its items normalised, and `{method: selector, value: x}` is
 * replaced by selector x's normalised definition. Anything else is kept as
 * written. `list` is selectors.yml's `selectors:` list, already checked by
 * loadSelectorsYaml (selectors-yaml.ts).
 */
export function manifestSelectors(list: readonly unknown[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const raw = new Map<string, Record<string, unknown>>();
  for (const entry of list) if (isRecord(entry) && typeof entry.name === 'string') raw.set(entry.name, entry);
  const resolving = new Set<string>();
  const definitionOf = (name: string): unknown => {
    const done = out[name];
    if (done) return done.definition;
    const entry = raw.get(name);
    // loadSelectorsYaml reports an unknown or looping reference before this runs.
    if (!entry || resolving.has(name)) return undefined;
    resolving.add(name);
    out[name] = { ...entry, definition: normalise(entry.definition, definitionOf) };
    resolving.delete(name);
    return out[name]!.definition;
  };
  for (const name of raw.keys()) definitionOf(name);
  // The file's order, whichever selector a reference made first.
  return Object.fromEntries([...raw.keys()].map((name) => [name, out[name]!]));
}

type Lookup = (name: string) => unknown;

function normalise(definition: unknown, lookup: Lookup): unknown {
  if (typeof definition === 'string') return criterionOf(definition);
  if (!isRecord(definition)) return definition;
  if ('union' in definition) return setOf('union', definition, lookup);
  if ('intersection' in definition) return setOf('intersection', definition, lookup);
  return mapOf(definition, lookup);
}

/** `{union: [...]}` or `{intersection: [...]}`: only that key, each item normalised (strings as criteria). */
function setOf(kind: 'union' | 'intersection', definition: Record<string, unknown>, lookup: Lookup): Record<string, unknown> {
  const items = Array.isArray(definition[kind]) ? (definition[kind] as unknown[]) : [];
  return { [kind]: items.map((item) => (isRecord(item) ? normalise(item, lookup) : typeof item === 'string' ? criterionOf(item) : item)) };
}

/**
 * A map: its first key decides, as in dbt. A list under it has each item
 * normalised; `exclude` keeps only that key; a single key `k: v` becomes
 * `{method: k, value: v}`; `method: selector` first is the named selector's
 * definition; any other map is kept as written.
 */
function mapOf(definition: Record<string, unknown>, lookup: Lookup): unknown {
  const keys = Object.keys(definition);
  const key = keys[0];
  if (key === undefined) return definition;
  let value = definition[key];
  if (Array.isArray(value)) value = value.map((item) => normalise(item, lookup));
  if (key === 'exclude') return { exclude: value };
  if (keys.length === 1) return { method: key, value };
  if (key === 'method' && value === 'selector') return lookup(String(definition.value));
  return definition;
}

/** dbt's selection spec pattern: `@`, `<n>+`, `method[.arg]:`, the value, `+<n>`. */
const SPEC = /^(?<childrens_parents>@)?(?<parents>(?<parents_depth>\d*)\+)?(?:(?<method>[\w.]+):)?(?<value>.*?)(?<children>\+(?<children_depth>\d*))?$/;

/**
 * A CLI-style selection as a criterion map (dbt's dict_from_single_spec):
 * the parts given, in dbt's order, with `@` and each `+` as true and the
 * depths as written (strings); the method defaults to `path` for a value
 * with a slash, `file` for a .sql, .py or .csv name, else `fqn`.
 */
export function criterionOf(raw: string): Record<string, unknown> {
  // `.` matches no line break in dbt's pattern either.
  const m = raw.includes('\n') || raw.includes('\r') ? null : SPEC.exec(raw);
  if (!m) return { error: 'Invalid selector spec' };
  const g = m.groups as Record<string, string | undefined>;
  const value = g.value ?? '';
  const method = g.method ?? (value.includes('/') ? 'path' : /\.(sql|py|csv)$/i.test(value) ? 'file' : 'fqn');
  const out: Record<string, unknown> = {};
  const put = (key: string, v: unknown) => {
    if (v !== undefined && v !== '') out[key] = v;
  };
  put('childrens_parents', g.childrens_parents ? true : undefined);
  put('parents', g.parents ? true : undefined);
  put('parents_depth', g.parents_depth);
  put('method', method);
  put('value', value);
  put('children', g.children ? true : undefined);
  put('children_depth', g.children_depth);
  return out;
}
