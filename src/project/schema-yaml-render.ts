/** A path from a properties entry down to a value: keys and list indices. */
type Keypath = readonly (string | number)[];

/** Keys rendered later, not when the properties file is read (descriptions in process_docs, tests by the test builder). */
const LATER = new Set(['tests', 'data_tests', 'description', 'loaded_at_query']);

/**
 * dbt's rule for the keys of a models/seeds/snapshots/analyses entry (and of a
 * source table, a macro argument) that are left unrendered: descriptions,
 * tests, `loaded_at_query`, config hooks, version and column descriptions.
 */
function isLateKey(k: Keypath): boolean {
  if (k.length >= 1 && LATER.has(String(k[0]))) return true;
  if (k.length === 2 && LATER.has(String(k[1]))) return true;
  if (k.length >= 2 && k[0] === 'config' && ['pre_hook', 'post_hook', 'loaded_at_query'].includes(String(k[1]))) return true;
  if (k.length === 5 && k[4] === 'description') return true;
  if (k.length >= 3 && ['columns', 'dimensions', 'measures', 'entities'].includes(String(k[0])) && ['tests', 'data_tests', 'description'].includes(String(k[2]))) return true;
  return false;
}

/** Whether dbt renders the value at `keypath` of an entry under the top-level `key` when it reads the file. */
export function rendersAtParse(key: string, keypath: Keypath): boolean {
  if (keypath.length === 0) return true;
  const first = String(keypath[0]);
  if (key === 'sources') {
    if (first === 'description' || first === 'loaded_at_query') return false;
    if (first === 'config' && keypath[1] === 'loaded_at_query') return false;
    return !(first === 'tables' && isLateKey(keypath.slice(2)));
  }
  if (key === 'macros' && first === 'arguments') return !isLateKey(keypath.slice(1));
  // A YAML snapshot's `relation:` is read statically (yaml-snapshots), which explains `{{ }}` there better than a render would.
  if (key === 'snapshots' && first === 'relation') return false;
  return !isLateKey(keypath);
}

const hasJinja = (s: string) => s.includes('{{') || s.includes('{%') || s.includes('{#');

/**
 * Renders, in place, the strings of one properties entry (a model, a source,
 * ...) that dbt renders when it reads a properties file: every value except
 * those `rendersAtParse` leaves for later (`database: "{{ var('db') }}"`, a
 * column's `data_type: "{{ 'int' if target.type == 'x' else 'integer' }}"`).
 * Maps and lists keep their identity, so YAML line lookups still work.
 */
export function renderEntryInPlace(key: string, entry: Record<string, unknown>, render: (text: string) => unknown): void {
  walkEntry({ key, render, path: [] }, entry);
}

/**
 * renderEntryInPlace's walk: the entry's key, its render and the path to the
 * value visited. Module functions over this, not closures made per entry:
 * the bundle (esbuild keepNames) names each closure it makes with a
 * defineProperty that turns its properties into a dictionary (two per model
 * entry, 20,000 at 10,000 models).
 */
interface EntryWalk {
  key: string;
  render: (text: string) => unknown;
  path: (string | number)[];
}

function visitValue(w: EntryWalk, container: Record<string | number, unknown>, k: string | number, v: unknown): void {
  if (typeof v === 'string') {
    if (hasJinja(v)) {
      w.path.push(k);
      if (rendersAtParse(w.key, w.path)) container[k] = w.render(v);
      w.path.pop();
    }
  } else if (v !== null && typeof v === 'object') {
    w.path.push(k);
    walkEntry(w, v as Record<string | number, unknown>);
    w.path.pop();
  }
}

function walkEntry(w: EntryWalk, container: Record<string | number, unknown> | unknown[]): void {
  if (Array.isArray(container)) for (let i = 0; i < container.length; i++) visitValue(w, container as unknown as Record<number, unknown>, i, container[i]);
  else for (const k in container) visitValue(w, container, k, container[k]);
}
