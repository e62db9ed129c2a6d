import { DependencyGraph } from '../graph/dependency-graph.js';
import { parseSelection } from '../graph/parse-selection.js';
import { chooseSpec } from '../graph/select-nodes.js';
import { projectSelectors } from './project-selectors.js';
import type { MethodName, SelectionSpec } from '../graph/selection-spec.js';
import type { GraphMember, Manifest } from '../manifest/types.js';
import { deepFreeze } from '../util/deep-freeze.js';

/**
 * The selection index the parse cache keeps beside its body: each graph
 * member (enabled nodes, unit tests, sources, exposures, the semantic
 * layer's resources) with only what building the graph, the selector
 * methods of INDEX_METHODS and `ls`'s selector/name/path outputs read.
 * At 10,000 models it is 7 MB against the body's 98 MB, so `ls` with nothing changed
 * reads it instead of the whole parse.
 */
export interface SelectionIndex {
  projectName: string;
  /** Every repeated string (map names, resource types, packages, paths, tags, fqn parts), once. */
  strings: string[];
  /** Every distinct rest of a row (see Row), once: 40,000 members have a handful (frozen when read, isSelectionIndex). */
  rests: Record<string, unknown>[];
  /** One row per member, in the manifest's order (see Row). */
  members: Row[];
}

/**
 * [map, unique_id, resource_type, name, package_name, original_file_path,
 * patch_path (-1: none), fqn (-1: the name), tags, depends_on.nodes (a
 * number: another row), the rest (0: none; k: `rests[k - 1]`)]; small numbers are
 * indexes into `strings`. At 10,000 models, a third of the size of the members as objects.
 */
type Row = [number, string, number, string, number, number, number, number[], number[], (number | string)[] | null, number];

/** The manifest maps holding graph members, in buildGraph's order. */
const MAPS = ['nodes', 'unit_tests', 'sources', 'exposures', 'semantic_models', 'metrics', 'saved_queries'] as const;

/** Fields kept as they are, in `the rest`, when a member has them. */
const REST = ['version', 'latest_version', 'source_name', 'access'];

/**
 * The selector methods the index answers, and of `config` only
 * `config.materialized` (which it keeps: selectors.yml often picks or leaves
 * out views by it); any other (config.<other>:, state:, result:,
 * source_status:) needs the whole parse.
 */
const INDEX_METHODS = new Set<MethodName>(['fqn', 'tag', 'path', 'file', 'package', 'resource_type', 'source', 'exposure', 'metric', 'semantic_model', 'saved_query', 'test_name', 'test_type', 'group', 'access', 'version']);
const INDEX_CONFIG_KEYS = new Set(['materialized']);

type Member = GraphMember & Record<string, unknown>;

export function selectionIndex(m: Manifest): SelectionIndex {
  const strings: string[] = [];
  const ids = new Map<string, number>();
  const str = (s: string): number => {
    let i = ids.get(s);
    if (i === undefined) ids.set(s, (i = strings.push(s) - 1));
    return i;
  };
  const rests: Record<string, unknown>[] = [];
  const restIds = new Map<string, number>();
  const kept: [number, Member][] = [];
  MAPS.forEach((map, mapIndex) => {
    for (const member of Object.values((m[map] ?? {}) as Record<string, Member>)) {
      // buildGraph leaves disabled members out.
      if (member.unique_id === undefined || (member.config as { enabled?: boolean } | undefined)?.enabled === false) continue;
      kept.push([mapIndex, member]);
    }
  });
  const rowOf = new Map(kept.map(([, member], i) => [member.unique_id, i]));
  const members = kept.map(([map, member]): Row => {
    const rest: Record<string, unknown> = {};
    for (const k of REST) if (k in member) rest[k] = member[k];
    const meta = member.test_metadata as { name: string } | undefined;
    if (meta !== undefined) rest.test_metadata = { name: meta.name };
    const config = member.config as Record<string, unknown> | undefined;
    if (config) {
      const kept: Record<string, unknown> = { group: config.group, access: config.access };
      for (const k of INDEX_CONFIG_KEYS) if (k in config) kept[k] = config[k];
      rest.config = kept;
    }
    let restId = 0;
    if (Object.keys(rest).length) {
      // Built in one order for every member: equal JSON, equal rests as the index stores them (read back from JSON).
      const key = JSON.stringify(rest);
      restId = restIds.get(key) ?? 0;
      if (restId === 0) restIds.set(key, (restId = rests.push(rest)));
    }
    const deps = (member.depends_on as { nodes?: string[] } | undefined);
    const patch = member.patch_path as string | null | undefined;
    return [
      map,
      member.unique_id,
      str(member.resource_type),
      member.name,
      str(member.package_name),
      str(member.original_file_path),
      typeof patch === 'string' ? str(patch) : patch === null ? -2 : -1,
      ((member.fqn as string[] | undefined) ?? []).map((p) => (p === member.name ? -1 : str(p))),
      ((member.tags as string[] | undefined) ?? []).map(str),
      deps ? (deps.nodes ?? []).map((id) => rowOf.get(id) ?? id) : null,
      restId,
    ];
  });
  return { projectName: m.metadata.project_name, strings, rests, members };
}

/** Whether `value`, read from a parse cache, is shaped as a SelectionIndex; its rests are frozen (rows share them). */
export function isSelectionIndex(value: unknown): value is SelectionIndex {
  const index = value as SelectionIndex | null;
  if (!index || typeof index !== 'object' || !Array.isArray(index.members) || !Array.isArray(index.strings) || !Array.isArray(index.rests)) return false;
  for (const rest of index.rests) deepFreeze(rest);
  return true;
}

/** A row's member: its fields as the manifest has them, without depends_on. */
function memberOfRow([, uid, type, name, pkg, file, patch, fqn, tags, , restId]: Row, s: string[], rests: Record<string, unknown>[]): Record<string, unknown> {
  const member: Record<string, unknown> = {
    unique_id: uid,
    resource_type: s[type],
    name,
    package_name: s[pkg],
    original_file_path: s[file],
    patch_path: patch >= 0 ? s[patch] : patch === -2 ? null : undefined,
    fqn: fqn.map((p) => (p === -1 ? name : s[p])),
    tags: tags.map((t) => s[t]),
  };
  // Not a spread of `rest || {}`: at 40,000 members the spread was a third of this loop.
  if (restId) Object.assign(member, rests[restId - 1]);
  return member;
}

/**
 * A manifest holding only the index's members and fields: enough for
 * buildGraph, selectNodes with INDEX_METHODS and `ls`'s selector, name and
 * path outputs. Never write it or hand it to anything else.
 */
export function indexManifest(index: SelectionIndex): Manifest {
  const { strings: s, rests, members } = index;
  const maps: Record<string, Record<string, unknown>>[] = MAPS.map(() => ({}));
  for (const row of members) {
    const member = memberOfRow(row, s, rests);
    const deps = row[9];
    if (deps) member.depends_on = { nodes: deps.map((d) => (typeof d === 'number' ? members[d]![1] : d)) };
    const [map, uid] = row;
    maps[map]![uid] = member;
  }
  return { metadata: { project_name: index.projectName }, ...Object.fromEntries(MAPS.map((k, i) => [k, maps[i]])), macros: {}, docs: {}, groups: {}, selectors: {}, disabled: {}, parent_map: {}, child_map: {}, group_map: {} } as unknown as Manifest;
}

/**
 * true: the index's members form a DAG buildGraph would accept: every
 * parent another row, no unique id twice, no cycle (sources' depends_on is
 * not read, as buildGraph does not). Kahn's count over row positions,
 * without building the graph (a `parse` with nothing changed only checks).
 */
export function indexIsAcyclic(index: SelectionIndex): boolean {
  const { strings: s, members: rows } = index;
  const n = rows.length;
  const sourceType = s.indexOf('source');
  const indegree = new Uint32Array(n);
  const childCounts = new Uint32Array(n + 1);
  const ids = new Set<string>();
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    ids.add(row[1]);
    const deps = row[9];
    if (!deps || row[2] === sourceType) continue;
    for (const d of deps) {
      if (typeof d !== 'number' || !(d >= 0 && d < n)) return false;
      childCounts[d + 1]!++;
    }
    indegree[i] = deps.length;
  }
  if (ids.size !== n) return false;
  // Children by parent, in one array (offsets from the counts).
  for (let i = 0; i < n; i++) childCounts[i + 1]! += childCounts[i]!;
  const children = new Uint32Array(childCounts[n]!);
  const fill = childCounts.slice(0, n);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    const deps = row[9];
    if (!deps || row[2] === sourceType) continue;
    for (const d of deps as number[]) children[fill[d]!++] = i;
  }
  const ready: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) ready.push(i);
  for (let k = 0; k < ready.length; k++) {
    const p = ready[k]!;
    for (let c = childCounts[p]!; c < childCounts[p + 1]!; c++) if (--indegree[children[c]!]! === 0) ready.push(children[c]!);
  }
  return ready.length === n;
}

/**
 * The graph buildGraph would make of indexManifest(index), built from the
 * rows directly: members as indexManifest makes them but without
 * depends_on (the graph holds the edges), no manifest maps, parents by row.
 * Throws where buildGraph would (a cycle, a parent that is not a member)
 * and on a unique id given twice.
 */
export function indexGraph(index: SelectionIndex): DependencyGraph {
  const { strings: s, rests, members: rows } = index;
  const members: GraphMember[] = new Array(rows.length);
  const parents: (number[] | null)[] = new Array(rows.length);
  const sourceType = s.indexOf('source');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    members[i] = new IndexMember(row, s, rests) as unknown as GraphMember;
    const deps = row[9];
    // buildGraph reads no sources' depends_on.
    if (!deps || row[2] === sourceType) parents[i] = null;
    else {
      for (const d of deps) if (typeof d !== 'number') throw new Error(`${row[1]} depends on ${d}, not a member`);
      parents[i] = deps as number[];
    }
  }
  return DependencyGraph.fromPositions(index.projectName, members, parents);
}

/**
 * A row read as the member memberOfRow makes of it (the same values, no
 * depends_on), each field taken from the row when read: one small object a
 * member instead of an object, two arrays and the rest's copies, most of
 * which `ls` never reads. fqn and tags are made once (fqn's array is a
 * cache key in the selector methods).
 */
class IndexMember {
  private fqnArray: string[] | undefined = undefined;
  private tagArray: string[] | undefined = undefined;
  constructor(private readonly row: Row, private readonly s: string[], private readonly rests: Record<string, unknown>[]) {}
  get unique_id(): string {
    return this.row[1];
  }
  get resource_type(): string {
    return this.s[this.row[2]]!;
  }
  get name(): string {
    return this.row[3];
  }
  get package_name(): string {
    return this.s[this.row[4]]!;
  }
  get original_file_path(): string {
    return this.s[this.row[5]]!;
  }
  get patch_path(): string | null | undefined {
    const patch = this.row[6];
    return patch >= 0 ? this.s[patch] : patch === -2 ? null : undefined;
  }
  get fqn(): string[] {
    const name = this.row[3];
    return (this.fqnArray ??= this.row[7].map((p) => (p === -1 ? name : this.s[p]!)));
  }
  get tags(): string[] {
    return (this.tagArray ??= this.row[8].map((t) => this.s[t]!));
  }
  private rest(key: string): unknown {
    const restId = this.row[10];
    return restId ? this.rests[restId - 1]![key] : undefined;
  }
  get version(): unknown {
    return this.rest('version');
  }
  get latest_version(): unknown {
    return this.rest('latest_version');
  }
  get source_name(): unknown {
    return this.rest('source_name');
  }
  get access(): unknown {
    return this.rest('access');
  }
  get test_metadata(): unknown {
    return this.rest('test_metadata');
  }
  get config(): unknown {
    return this.rest('config');
  }
}

/** Each row's map (nodes, sources, ...), unique id, resource type and name. */
export function* indexMembers(index: SelectionIndex): Generator<{ map: (typeof MAPS)[number]; unique_id: string; resource_type: string; name: string }> {
  const { strings: s, members } = index;
  for (const row of members) yield { map: MAPS[row[0]]!, unique_id: row[1], resource_type: s[row[2]]!, name: row[3] };
}

/** True when evaluating `select`/`exclude` reads nothing but what the index keeps. */
export function indexAnswers(select: string[] | undefined, exclude: string[] | undefined): boolean {
  return specAnswered(parseSelection({ select, exclude }));
}

/** Whether every method of `spec` is one the index keeps. */
function specAnswered(spec: SelectionSpec): boolean {
  const methods = new Set<MethodName>();
  let configKept = true;
  const walk = (s: SelectionSpec): void => {
    if (s.kind !== 'criterion') s.components.forEach(walk);
    else if (s.method !== 'config') methods.add(s.method);
    else if (s.methodArgs.length !== 1 || !INDEX_CONFIG_KEYS.has(s.methodArgs[0]!)) configKept = false;
  };
  walk(spec);
  return configKept && [...methods].every((m) => INDEX_METHODS.has(m));
}

/**
 * Whether the index answers a project's selection: the spec the selection
 * evaluates (a `--selector`, else selectors.yml's default selector when
 * neither `select` nor `exclude` is given, else `select`/`exclude`) uses only
 * selector methods it keeps. False for a selection or a selectors.yml that
 * does not parse, or a selector that does not exist: the selection reports it.
 */
export function indexAnswersSelection(projectDir: string, flags: { select?: string[]; exclude?: string[]; selector?: string }): boolean {
  try {
    return specAnswered(chooseSpec({ ...flags, selectors: projectSelectors(projectDir) }));
  } catch {
    return false;
  }
}
