import type { ContextFactory } from '../context/context-factory.js';
import type { JinjaEnvironment, RenderContext } from '../jinja/index.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { readsOnly, type PureVocabulary } from '../jinja/pure-template.js';
import { fastPaths } from '../util/fast-paths.js';
import type { ConfigLayer } from './config-merge.js';

/** Hooks are rendered when they run, never when properties are read. */
const LATE_KEYS = new Set(['pre_hook', 'post_hook', 'pre-hook', 'post-hook']);

/** A package's properties context, and the values of its pure strings rendered so far (see renderValue). */
interface PackageRenders {
  context: RenderContext;
  /** Text → the value its first render gave (a scalar), and whether the text is pure (asked when it comes again). */
  values: Map<string, { value: string | number | boolean | null; pure?: boolean }>;
}

const contextsByFactory = new WeakMap<ContextFactory, Map<string, PackageRenders>>();

function rendersFor(contexts: ContextFactory, pkg: string): PackageRenders {
  let perPackage = contextsByFactory.get(contexts);
  if (!perPackage) {
    perPackage = new Map();
    contextsByFactory.set(contexts, perPackage);
  }
  let renders = perPackage.get(pkg);
  if (!renders) {
    renders = { context: { vars: contexts.base(pkg, false) }, values: new Map() };
    perPackage.set(pkg, renders);
  }
  return renders;
}

/**
 * What a properties string may use to be rendered once per package and text:
 * var() (a package's vars are fixed for the parse, and this context renders no
 * var value: no renderIn), target, literals, operators and filters of their
 * arguments alone. env_var (recorded for partial parsing), macros, modules,
 * run_started_at and anything else render every time.
 */
const PURE: PureVocabulary = {
  names: new Set(['var', 'target']),
  callable: new Set(['var']),
  filters: new Set(['as_bool', 'as_number', 'as_native', 'as_text', 'lower', 'upper', 'trim', 'string', 'int', 'float', 'default', 'd', 'replace', 'length']),
  tests: new Set(['none', 'defined', 'undefined', 'string', 'number', 'boolean', 'true', 'false']),
};

/**
 * One properties string of package `pkg` rendered natively in the package's
 * context. A text that reads only PURE and gave a scalar (Tuva writes the same
 * `enabled: "{{ var('x', true) | as_bool }}"` on ~900 tests and the same
 * schema expression on ~1,100 models) is rendered once per package: the same
 * render in the same context gives the same value and records nothing. A
 * render that raised is not kept (each file's render raises its own error).
 */
function renderValue(contexts: ContextFactory, env: JinjaEnvironment, pkg: string, text: string, file: string): unknown {
  const renders = rendersFor(contexts, pkg);
  if (!fastPaths()) return env.renderNative(text, file, renders.context);
  const kept = renders.values.get(text);
  // Purity is asked only of a text met again (parsing it costs as much as a render, and most texts come once).
  if (kept && (kept.pure ??= readsOnly(text, PURE))) return kept.value;
  const value = env.renderNative(text, file, renders.context);
  if (!kept && (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) renders.values.set(text, { value });
  return value;
}

/**
 * A `config:` block from properties YAML rendered as dbt renders properties
 * files: every string holding Jinja is rendered natively with target, var and
 * env_var (`column_types: {pct: "{{ 'double' if target.type == 'duckdb' else
 * 'float' }}"}`, `enabled: "{{ target.name == 'prod' }}"` → a boolean);
 * hooks are left for when they run. Returns the layer itself when nothing
 * needs rendering.
 */
export function renderConfigLayer(layer: ConfigLayer, file: string, pkg: string, contexts: ContextFactory, env: JinjaEnvironment): ConfigLayer {
  if (!hasJinja(layer)) return layer;
  const render = (v: unknown): unknown => {
    if (typeof v === 'string') return v.includes('{{') || v.includes('{%') ? renderValue(contexts, env, pkg, v, file) : v;
    if (Array.isArray(v)) return v.map(render);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, render(x)]));
    return v;
  };
  const out: ConfigLayer = {};
  for (const [k, v] of Object.entries(layer)) out[k] = LATE_KEYS.has(k) ? v : render(v);
  return out;
}

/**
 * Renders one string of a properties file of package `pkg` natively, as dbt's
 * schema YAML renderer does (target, var, env_var); an error points at the
 * entry's line.
 */
export function propertyValueRenderer(contexts: ContextFactory, env: JinjaEnvironment, pkg: string): (text: string, file: string, line: number | undefined) => unknown {
  return (text, file, line) => {
    try {
      return renderValue(contexts, env, pkg, text, file);
    } catch (e) {
      if (e instanceof TsdbtError) {
        e.file = file;
        if (line !== undefined) e.line = line;
      }
      throw e;
    }
  };
}

function hasJinja(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('{{') || v.includes('{%');
  if (Array.isArray(v)) return v.some(hasJinja);
  if (v !== null && typeof v === 'object') return Object.values(v).some(hasJinja);
  return false;
}
