import type { ContextFactory } from '../context/context-factory.js';
import type { JinjaEnvironment, RenderContext } from '../jinja/index.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { ConfigLayer } from './config-merge.js';

/** Hooks are rendered when they run, never when properties are read. */
const LATE_KEYS = new Set(['pre_hook', 'post_hook', 'pre-hook', 'post-hook']);

const contextsByFactory = new WeakMap<ContextFactory, Map<string, RenderContext>>();

function contextFor(contexts: ContextFactory, pkg: string): RenderContext {
  let perPackage = contextsByFactory.get(contexts);
  if (!perPackage) {
    perPackage = new Map();
    contextsByFactory.set(contexts, perPackage);
  }
  let context = perPackage.get(pkg);
  if (!context) {
    context = { vars: contexts.base(pkg, false) };
    perPackage.set(pkg, context);
  }
  return context;
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
  const context = contextFor(contexts, pkg);
  const render = (v: unknown): unknown => {
    if (typeof v === 'string') return v.includes('{{') || v.includes('{%') ? env.renderNative(v, file, context) : v;
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
      return env.renderNative(text, file, contextFor(contexts, pkg));
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
