import { TsdbtError } from '../errors/tsdbt-error.js';
import type { Manifest } from '../manifest/types.js';
import type { DependencyGraph } from './dependency-graph.js';
import { parseSelection, RESOURCE_TYPES } from './parse-selection.js';
import type { PreviousState } from './previous-state.js';
import { searchMethod, type MethodContext } from './selector-methods.js';
import type { SelectorDefinition } from './selectors-yaml.js';
import type { IndirectSelection, SelectionCriterion, SelectionSpec } from './selection-spec.js';

export interface SelectOptions {
  select?: string[];
  exclude?: string[];
  /** Name of a selector from selectors.yml; when set, select/exclude are ignored (as dbt). */
  selector?: string;
  selectors?: Record<string, SelectorDefinition>;
  /** Default 'eager'. A YAML criterion's own `indirect_selection` wins. */
  indirectSelection?: IndirectSelection;
  /** `--resource-type`: keep only these (intersected with defaultResourceTypes when both are set). */
  resourceTypes?: string[];
  /** `--exclude-resource-type`: leave these out of whatever the others allow. */
  excludeResourceTypes?: string[];
  /** The command's resource types (run: model; test: test, unit_test; build: ...). Undefined = all. */
  defaultResourceTypes?: string[];
  /** `--state`: what `state:`, `result:` and `source_status:` compare against. */
  state?: PreviousState;
}

export interface SelectionResult {
  selected: Set<string>;
  warnings: string[];
}

/**
 * Evaluate a selection against the graph, as dbt's node selector does:
 * methods, then graph operators, then tests attached to selected nodes per
 * the indirect selection mode, set operators, then the resource-type filter.
 *
 * With neither select nor exclude, the `default: true` YAML selector applies
 * if there is one, else everything. Throws TsdbtError 'SELECTOR_INVALID'.
 */
export function selectNodes(manifest: Manifest | undefined, graph: DependencyGraph, opts: SelectOptions): SelectionResult {
  const spec = chooseSpec(opts);
  return evaluateSelection(graph, spec, opts, manifest);
}

/** Evaluate an already-parsed spec (parse once, evaluate many times). */
export function evaluateSelection(graph: DependencyGraph, spec: SelectionSpec, opts: SelectOptions = {}, manifest?: Manifest): SelectionResult {
  const types = resourceFilter(opts);
  const evaluator = new SelectionEvaluator(graph, opts.indirectSelection ?? 'eager', { manifest, state: opts.state });
  const { direct } = evaluator.evaluate(spec);
  const kept = (id: string) => types === undefined || types.has(graph.member(id)!.resource_type);
  // The selection itself when the filter keeps all of it (no copy of tens of thousands of ids).
  let all = true;
  for (const id of direct) if (!kept(id)) { all = false; break; }
  const selected = all ? direct : new Set<string>();
  if (!all) for (const id of direct) if (kept(id)) selected.add(id);
  return { selected, warnings: evaluator.warnings };
}

/**
 * The spec a selection evaluates: the named YAML selector, else (neither
 * select nor exclude given) the `default: true` one, else select/exclude.
 * Throws TsdbtError 'SELECTOR_INVALID' for an unknown selector name.
 */
export function chooseSpec(opts: Pick<SelectOptions, 'select' | 'exclude' | 'selector' | 'selectors'>): SelectionSpec {
  const selectors = opts.selectors ?? {};
  if (opts.selector !== undefined) {
    const def = selectors[opts.selector];
    if (def === undefined) {
      const known = Object.keys(selectors);
      throw new TsdbtError('SELECTOR_INVALID', `Could not find selector named '${opts.selector}'.`, {
        hint: known.length > 0 ? `Use one of: ${known.join(', ')}.` : 'Define it under `selectors:` in selectors.yml.',
      });
    }
    return def.definition;
  }
  const given = (list?: string[]): boolean => (list ?? []).some((s) => s.trim() !== '');
  if (!given(opts.select) && !given(opts.exclude)) {
    const fallback = Object.values(selectors).find((d) => d.default);
    if (fallback) return fallback.definition;
  }
  return parseSelection({ select: opts.select, exclude: opts.exclude });
}

function resourceFilter(opts: SelectOptions): Set<string> | undefined {
  const valid = new Set<string>(RESOURCE_TYPES);
  for (const [flag, types] of [['--resource-type', opts.resourceTypes], ['--exclude-resource-type', opts.excludeResourceTypes]] as const) {
    for (const t of types ?? []) {
      if (t !== 'all' && !valid.has(t)) {
        throw new TsdbtError('SELECTOR_INVALID', `Invalid resource type '${t}' in ${flag}.`, {
          hint: `Use one of: ${[...RESOURCE_TYPES].join(', ')}, all.`,
        });
      }
    }
  }
  const explicit = opts.resourceTypes && !opts.resourceTypes.includes('all') ? new Set(opts.resourceTypes) : undefined;
  const command = opts.defaultResourceTypes ? new Set(opts.defaultResourceTypes) : undefined;
  const allowed = explicit && command ? new Set([...explicit].filter((t) => command.has(t))) : (explicit ?? command);
  const excluded = new Set(opts.excludeResourceTypes ?? []);
  if (excluded.size === 0) return allowed;
  // As dbt's resource_types minus exclude_resource_types (`all` leaves nothing).
  return new Set([...(allowed ?? RESOURCE_TYPES)].filter((t) => !excluded.has(t) && !excluded.has('all')));
}

interface Bundle {
  direct: Set<string>;
  /** Tests reached but not (yet) selected: cautious/buildable may take them once more parents join. */
  indirect: Set<string>;
}

/** dbt's select_nodes_recursively: each spec yields (direct, indirect) sets. */
class SelectionEvaluator {
  readonly warnings: string[] = [];

  constructor(
    private readonly graph: DependencyGraph,
    private readonly defaultMode: IndirectSelection,
    private readonly methods: MethodContext = {},
  ) {}

  evaluate(spec: SelectionSpec): Bundle {
    if (spec.kind === 'criterion') return this.criterion(spec);
    const bundles = spec.components.map((c) => this.evaluate(c));
    const directSets = bundles.map((b) => b.direct);
    const indirectSets = bundles.map((b) => union([b.direct, b.indirect]));
    const combine = spec.kind === 'union' ? union : spec.kind === 'intersection' ? intersection : difference;
    const indirect = combine(indirectSets);
    const direct = this.incorporateIndirect(combine(directSets), indirect, spec.indirectSelection ?? this.defaultMode);
    if (spec.expectExists && direct.size === 0) {
      this.warnings.push(`The selection criterion '${spec.raw}' does not match any enabled nodes`);
    }
    return { direct, indirect };
  }

  private criterion(c: SelectionCriterion): Bundle {
    const collected = searchMethod(this.graph, c, this.methods);
    // Without graph operators the method's own set is the selection (no copy).
    const selected = c.childrensParents || c.parents || c.children ? new Set(collected) : collected;
    if (c.childrensParents) {
      const down = union([collected, this.graph.selectChildren(collected)]);
      for (const id of union([down, this.graph.selectParents(down)])) selected.add(id);
    }
    if (c.parents) for (const id of this.graph.selectParents(collected, c.parentsDepth)) selected.add(id);
    if (c.children) for (const id of this.graph.selectChildren(collected, c.childrenDepth)) selected.add(id);
    const mode = c.indirectSelection ?? this.defaultMode;
    if (mode === 'empty') return { direct: selected, indirect: new Set() };
    return this.expand(selected, mode);
  }

  /**
   * Pull in tests whose parents are selected: eager takes a test when any
   * parent is selected; cautious only when all are; buildable also when the
   * missing parents are upstream of the selection (or sources).
   */
  private expand(selected: Set<string>, mode: IndirectSelection): Bundle {
    // Every member selected (the default selection): no test is left to pull in, and none is left indirect.
    if (selected.size === this.graph.size && everyMember(this.graph, selected)) return { direct: selected, indirect: new Set() };
    // selected itself until a test joins (a selection that already holds its tests is not copied).
    let direct = selected;
    const indirect = new Set<string>();
    const buildable = mode === 'buildable' ? this.selectedAndParents(selected) : undefined;
    const take = (id: string) => {
      if (direct === selected) direct = new Set(selected);
      direct.add(id);
    };
    for (const parent of selected) {
      for (const id of this.graph.children(parent)) {
        if (direct.has(id) || indirect.has(id)) continue;
        const member = this.graph.member(id)!;
        if (member.resource_type !== 'test' && member.resource_type !== 'unit_test') continue;
        const parents = this.graph.parents(id);
        if (mode === 'eager' || parents.every((p) => selected.has(p))) take(id);
        else if (buildable && parents.every((p) => buildable.has(p))) take(id);
        else indirect.add(id);
      }
    }
    return { direct, indirect };
  }

  /** After a set operation, take indirect tests whose parents have now all been selected. */
  private incorporateIndirect(direct: Set<string>, indirect: Set<string>, mode: IndirectSelection): Set<string> {
    if (mode !== 'cautious' && mode !== 'buildable') return direct;
    const out = new Set(direct);
    const pool = mode === 'buildable' ? this.selectedAndParents(direct) : direct;
    for (const id of indirect) {
      if (out.has(id)) continue;
      if (this.graph.parents(id).every((p) => pool.has(p))) out.add(id);
    }
    return out;
  }

  private selectedAndParents(selected: Set<string>): Set<string> {
    const out = new Set(union([selected, this.graph.selectParents(selected)]));
    for (const [id, m] of this.graph.entries()) if (m.resource_type === 'source') out.add(id);
    return out;
  }
}

/** Whether every id of `ids` is a member of `graph` (with as many ids as members: the members themselves). */
function everyMember(graph: DependencyGraph, ids: Set<string>): boolean {
  for (const id of ids) if (!graph.has(id)) return false;
  return true;
}

/*
 * The set operations return one of their inputs when the result equals it
 * (one set, or nothing to add or take away): no set is changed once made,
 * and at 40,000 members each copy costs milliseconds and garbage.
 */
function union(sets: Set<string>[]): Set<string> {
  // A set given twice (a bundle's direct set is often its indirect one too) is taken once.
  const given = sets.filter((s, i) => s.size > 0 && sets.indexOf(s) === i);
  if (given.length === 0) return new Set();
  if (given.length === 1) return given[0]!;
  const out = new Set<string>(given[0]);
  for (let i = 1; i < given.length; i++) for (const v of given[i]!) out.add(v);
  return out;
}

function intersection(sets: Set<string>[]): Set<string> {
  if (sets.length === 0) return new Set();
  if (sets.length === 1) return sets[0]!;
  const [first, ...rest] = [...sets].sort((a, b) => a.size - b.size);
  const out = new Set<string>();
  for (const v of first!) if (rest.every((s) => s.has(v))) out.add(v);
  return out;
}

function difference(sets: Set<string>[]): Set<string> {
  if (sets.length === 0) return new Set();
  const [first, ...rest] = sets;
  const away = rest.filter((s) => s.size > 0);
  if (away.length === 0) return first!;
  const out = new Set<string>();
  for (const v of first!) if (!away.some((s) => s.has(v))) out.add(v);
  return out;
}
