import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode, Exposure, GraphMember, Manifest, SourceTable } from '../manifest/types.js';
import type { DependencyGraph } from './dependency-graph.js';
import { fnmatch, hasWildcard, pathGlob } from './fnmatch.js';
import type { FreshnessEntry, PreviousState } from './previous-state.js';
import type { MethodName, SelectionCriterion } from './selection-spec.js';
import { StateComparer } from './state-methods.js';

/** What the state-aware methods (`state:`, `result:`, `source_status:`) compare against. */
export interface MethodContext {
  manifest?: Manifest;
  state?: PreviousState;
  /** One comparer per selection (it caches the changed macros). */
  comparer?: StateComparer;
}

/**
 * The vertices a criterion's method matches directly (before graph
 * operators), following dbt-core's selector methods: which resources each
 * method looks at, wildcard rules and value comparison.
 */
export function searchMethod(graph: DependencyGraph, criterion: SelectionCriterion, ctx: MethodContext = {}): Set<string> {
  const method = resolveDefaultMethod(graph, criterion);
  const test = MATCHERS[method](criterion.value, criterion.methodArgs, graph, ctx);
  const out = new Set<string>();
  for (const [id, member] of graph.entries()) if (test(member)) out.add(id);
  return out;
}

type Matcher = (member: GraphMember) => boolean;
type MatcherFactory = (value: string, args: string[], graph: DependencyGraph, ctx: MethodContext) => Matcher;

/** The --state artifacts a state-aware method needs; missing ones are a usage error saying what to pass. */
function requireState(ctx: MethodContext, method: string): PreviousState & { manifestNow: Manifest } {
  if (!ctx.state || !ctx.manifest) {
    throw new TsdbtError('STATE_REQUIRED', `The '${method}:' selector needs a comparison state, and no --state was given`, {
      hint: "Pass --state <dir> (or set DBT_STATE) with the target/ folder of the run to compare against, e.g. '--state prod-artifacts'.",
    });
  }
  return { ...ctx.state, manifestNow: ctx.manifest };
}

const isSource = (m: GraphMember): m is SourceTable => m.resource_type === 'source';
const isExposure = (m: GraphMember): m is Exposure => m.resource_type === 'exposure';
const SEMANTIC_TYPES = new Set<string>(['metric', 'semantic_model', 'saved_query']);
/** Nodes in dbt's sense: everything but sources, exposures and the semantic layer's resources (unit tests included). */
const isNode = (m: GraphMember): m is CompiledNode => !isSource(m) && !isExposure(m) && !SEMANTIC_TYPES.has(m.resource_type);

/** `metric:name`, `semantic_model:pkg.name`, `saved_query:name` (wildcards allowed), as exposure: matches. */
const semanticMatcher = (kind: string): MatcherFactory => (value) => {
  const parts = value.split('.');
  const [pkg, name] = parts.length === 1 ? ['*', parts[0]!] : [parts[0]!, parts[1]!];
  return (m) => m.resource_type === kind && fnmatch(m.package_name, pkg) && fnmatch(m.name, name);
};

const MATCHERS: Record<MethodName, MatcherFactory> = {
  // dbt's fqn method searches every member but sources (exposures, metrics, semantic models, saved queries and unit tests too).
  fqn: (value) => (m) => !isSource(m) && Array.isArray(m.fqn) && fqnMatches(m.fqn, value, isNode(m) && (m as CompiledNode).version != null),

  tag: (value) => (m) => (m.tags ?? []).some((t) => fnmatch(t, value)),

  path: (value) => {
    const re = pathGlob(normalisePath(value));
    return (m) => {
      if (memberPaths(m).some((p) => re.test(p))) return true;
      const patch = (m as { patch_path?: string | null }).patch_path;
      return typeof patch === 'string' && re.test(normalisePath(patch.replace(/^[^:]*:\/\//, '')));
    };
  },

  file: (value) => (m) => {
    const base = m.original_file_path.split(/[\\/]/).pop() ?? '';
    const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
    return fnmatch(base, value) || fnmatch(stem, value);
  },

  package: (value, _args, graph) => {
    const target = value === 'this' ? graph.projectName : value;
    return (m) => fnmatch(m.package_name, target);
  },

  config: (value, args) => {
    // Test severity compares case-insensitively (error == ERROR), as in dbt.
    const caseless = args.length === 1 && args[0] === 'severity';
    return (m) => {
      if (isExposure(m) || SEMANTIC_TYPES.has(m.resource_type)) return false;
      const found = descend((m as CompiledNode | SourceTable).config, args);
      if (!found.ok) return false;
      const v = found.value;
      return Array.isArray(v) ? v.some((item) => configEquals(item, value, caseless)) : configEquals(v, value, caseless);
    };
  },

  resource_type: (value) => (m) => m.resource_type === value,

  source: (value) => {
    const parts = value.split('.');
    const [pkg, src, table] =
      parts.length === 1 ? ['*', parts[0]!, '*'] : parts.length === 2 ? ['*', parts[0]!, parts[1]!] : [parts[0]!, parts[1]!, parts[2]!];
    return (m) => isSource(m) && fnmatch(m.package_name, pkg) && fnmatch(m.source_name, src) && fnmatch(m.name, table);
  },

  exposure: (value) => {
    const parts = value.split('.');
    const [pkg, name] = parts.length === 1 ? ['*', parts[0]!] : [parts[0]!, parts[1]!];
    return (m) => isExposure(m) && fnmatch(m.package_name, pkg) && fnmatch(m.name, name);
  },

  metric: semanticMatcher('metric'),
  semantic_model: semanticMatcher('semantic_model'),
  saved_query: semanticMatcher('saved_query'),

  test_name: (value) => (m) => {
    if (m.resource_type === 'unit_test') return fnmatch(m.name, value);
    const meta = (m as CompiledNode).test_metadata;
    return m.resource_type === 'test' && meta !== undefined && fnmatch(meta.name, value);
  },

  test_type: (value) => (m) => {
    if (value === 'unit') return m.resource_type === 'unit_test';
    if (m.resource_type !== 'test') return false;
    const generic = (m as CompiledNode).test_metadata !== undefined;
    if (value === 'generic' || value === 'schema') return generic;
    if (value === 'singular') return !generic;
    return true; // 'data': generic and singular
  },

  group: (value) => (m) => isNode(m) && m.config.group === value,

  access: (value) => (m) =>
    m.resource_type === 'model' && ((m as { access?: unknown }).access ?? (m as CompiledNode).config.access ?? 'protected') === value,

  state: (value, _args, graph, ctx) => {
    const state = requireState(ctx, 'state');
    ctx.comparer ??= new StateComparer(state.manifestNow, ctx.state!, graph.projectName);
    return ctx.comparer.matcher(value);
  },

  result: (value, _args, _graph, ctx) => {
    const state = requireState(ctx, 'result');
    if (state.results === null) {
      throw new TsdbtError('STATE_REQUIRED', `'result:${value}' needs run_results.json in the state folder ${state.path}, and there is none`, {
        hint: 'Copy run_results.json of the run to compare against next to its manifest.json in the --state folder.',
      });
    }
    const ids = new Set(state.results.filter((r) => r.status === value).map((r) => r.unique_id));
    return (m) => ids.has(m.unique_id);
  },

  source_status: (value, _args, _graph, ctx) => {
    const state = requireState(ctx, 'source_status');
    if (state.sources === null) {
      throw new TsdbtError('STATE_REQUIRED', `'source_status:${value}' needs sources.json in the state folder ${state.path}, and there is none`, {
        hint: "Run 'tsdbt source freshness' for the state run and keep its target/sources.json in the --state folder.",
      });
    }
    if (state.sourcesCurrent === null) {
      throw new TsdbtError('STATE_REQUIRED', `'source_status:${value}' needs the current target's sources.json, and there is none`, {
        hint: "Run 'tsdbt source freshness' first: it writes target/sources.json.",
      });
    }
    const fresher = fresherSources(state.sources, state.sourcesCurrent);
    return (m) => fresher.has(m.unique_id);
  },

  version: (value) => (m) => {
    if (m.resource_type !== 'model') return false;
    const { version, latest_version: latest } = m as CompiledNode;
    if (value === 'none') return version == null;
    if (version == null || latest == null) return false;
    const cmp = compareVersions(version, latest);
    return value === 'latest' ? cmp === 0 : value === 'prerelease' ? cmp > 0 : cmp < 0;
  },
};

/**
 * Sources whose newest row is later now than in the state run (or that had
 * no freshness result then); a source whose freshness errored in either
 * run is left out, as dbt does.
 */
function fresherSources(before: readonly FreshnessEntry[], now: readonly FreshnessEntry[]): Set<string> {
  const loadedAt = (list: readonly FreshnessEntry[]) => {
    const out = new Map<string, number>();
    for (const r of list) if (r.max_loaded_at != null) out.set(r.unique_id, Date.parse(r.max_loaded_at));
    return out;
  };
  const errored = new Set([...before, ...now].filter((r) => r.max_loaded_at == null).map((r) => r.unique_id));
  const previous = loadedAt(before);
  const out = new Set<string>();
  for (const [id, at] of loadedAt(now)) {
    const was = previous.get(id);
    if ((was === undefined || at > was) && !errored.has(id)) out.add(id);
  }
  return out;
}

/**
 * dbt's qualified-name match: the leaf name, or a dotted prefix of the fqn
 * (with or without the package), with `*`-style wildcards matching the rest.
 */
export function fqnMatches(fqn: readonly string[], selector: string, versioned: boolean): boolean {
  if (selector === '*') return fqn.length > 0;
  const flat = flatFqn(fqn);
  return selectedBy(fqn, 0, flat.all, selector, versioned) || selectedBy(fqn, 1, flat.unscoped, selector, versioned);
}

// Flattened fqns are cached per fqn array: selection matches thousands of nodes per criterion.
const flatCache = new WeakMap<readonly string[], { all: string[]; unscoped: string[] }>();

function flatFqn(fqn: readonly string[]): { all: string[]; unscoped: string[] } {
  let hit = flatCache.get(fqn);
  if (hit === undefined) {
    const split = (parts: readonly string[]): string[] => parts.flatMap((segment) => segment.split('.'));
    hit = { all: split(fqn), unscoped: split(fqn.slice(1)) };
    flatCache.set(fqn, hit);
  }
  return hit;
}

/** dbt's is_selected_node over `fqn` from index `start` (1 = without the package). */
function selectedBy(fqn: readonly string[], start: number, flat: readonly string[], selector: string, versioned: boolean): boolean {
  if (fqn.length <= start) return false;
  if (versioned) {
    if (fqn.length - start >= 2 && fqn[fqn.length - 2] === selector) return true;
    const sel = selector.split('.');
    if (fqn.slice(Math.max(start, fqn.length - 2)).join('_') === sel.slice(-2).join('_')) return true;
  } else if (fqn[fqn.length - 1] === selector) {
    return true;
  }
  // Fast path for the common bare name: only a one-part prefix can match.
  if (!selector.includes('.') && !hasWildcard(selector)) return flat[0] === selector;
  const sel = selector.split('.');
  if (flat.length < sel.length) return false;
  for (let i = 0; i < sel.length; i += 1) {
    if (hasWildcard(sel[i]!)) return fnmatch(flat.slice(i).join('.'), sel.slice(i).join('.'));
    if (flat[i] !== sel[i]) return false;
  }
  return true;
}

/**
 * A bare value is a path when it names a directory or file of the project
 * (dbt checks the file system; the manifest's file paths stand in for it).
 */
function resolveDefaultMethod(graph: DependencyGraph, c: SelectionCriterion): MethodName {
  if (!c.defaultMethod || hasWildcard(c.value)) return c.method;
  return projectPaths(graph).has(normalisePath(c.value)) ? 'path' : c.method;
}

const pathIndex = new WeakMap<DependencyGraph, Set<string>>();
const memberPathCache = new WeakMap<GraphMember, string[]>();

/** A member's file and the directories above it, normalised (cached: the path method tests each of them). */
function memberPaths(m: GraphMember): string[] {
  let paths = memberPathCache.get(m);
  if (paths === undefined) {
    const file = normalisePath(m.original_file_path);
    paths = [file, ...parentDirs(file)];
    memberPathCache.set(m, paths);
  }
  return paths;
}

/** Every file of the graph's members and every directory above them. */
function projectPaths(graph: DependencyGraph): Set<string> {
  let paths = pathIndex.get(graph);
  if (paths === undefined) {
    paths = new Set();
    for (const [, m] of graph.entries()) for (const p of memberPaths(m)) paths.add(p);
    pathIndex.set(graph, paths);
  }
  return paths;
}

function normalisePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
}

function parentDirs(file: string): string[] {
  const parts = file.split('/');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i += 1) out.push(parts.slice(0, i).join('/'));
  return out;
}

function descend(root: unknown, keys: readonly string[]): { ok: true; value: unknown } | { ok: false } {
  let value: unknown = root;
  for (const key of keys) {
    if (value === null || typeof value !== 'object' || !(key in value)) return { ok: false };
    value = (value as Record<string, unknown>)[key];
  }
  return { ok: true, value };
}

/** Selector text vs a config value: strings exactly, booleans as true/false in any case, numbers by their text. */
function configEquals(actual: unknown, wanted: string, caseless: boolean): boolean {
  if (typeof actual === 'boolean') return wanted.toLowerCase() === String(actual);
  if (typeof actual === 'number') return String(actual) === wanted;
  if (typeof actual !== 'string') return false;
  return caseless ? actual.toUpperCase() === wanted.toUpperCase() : actual === wanted;
}

function compareVersions(a: string | number, b: string | number): number {
  const na = Number(a);
  const nb = Number(b);
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
