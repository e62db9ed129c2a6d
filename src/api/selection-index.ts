import { parseSelection, type SelectionSpec } from '../graph/index.js';
import type { MethodName } from '../graph/index.js';
import type { GraphMember, Manifest } from '../manifest/types.js';

/**
 * The selection index the parse cache keeps beside its body: each graph
 * member (enabled nodes, unit tests, sources, exposures, the semantic
 * layer's resources) with only what building the graph, the selector
 * methods of INDEX_METHODS and `ls`'s selector/name/path outputs read.
 * At 10,000 models it is a tenth of the body, so `ls` with nothing changed
 * reads it instead of the whole parse.
 */
export interface SelectionIndex {
  projectName: string;
  /** Each member's manifest map (see MAPS) and its slim entry, in the manifest's order. */
  members: [MapName, Partial<GraphMember>][];
}

/** The manifest maps holding graph members, in buildGraph's order. */
const MAPS = ['nodes', 'unit_tests', 'sources', 'exposures', 'semantic_models', 'metrics', 'saved_queries'] as const;
type MapName = (typeof MAPS)[number];

/** Member fields copied as they are. */
const KEPT = ['unique_id', 'resource_type', 'name', 'package_name', 'original_file_path', 'patch_path', 'fqn', 'tags', 'version', 'latest_version', 'source_name', 'access'];

/** The selector methods the index answers; any other (config:, state:, result:, source_status:) needs the whole parse. */
const INDEX_METHODS = new Set<MethodName>(['fqn', 'tag', 'path', 'file', 'package', 'resource_type', 'source', 'exposure', 'metric', 'semantic_model', 'saved_query', 'test_name', 'test_type', 'group', 'access', 'version']);

export function selectionIndex(m: Manifest): SelectionIndex {
  const members: SelectionIndex['members'] = [];
  for (const map of MAPS) {
    for (const member of Object.values((m[map] ?? {}) as Record<string, GraphMember>)) {
      const config = (member as { config?: Record<string, unknown> }).config;
      // buildGraph leaves disabled members out.
      if (member.unique_id === undefined || config?.enabled === false) continue;
      const slim: Record<string, unknown> = {};
      for (const k of KEPT) if (k in member) slim[k] = (member as unknown as Record<string, unknown>)[k];
      const deps = (member as { depends_on?: { nodes?: string[] } }).depends_on;
      if (deps) slim.depends_on = { nodes: deps.nodes ?? [] };
      const meta = (member as { test_metadata?: { name: string } }).test_metadata;
      if (meta !== undefined) slim.test_metadata = { name: meta.name };
      if (config) slim.config = { group: config.group, access: config.access };
      members.push([map, slim as Partial<GraphMember>]);
    }
  }
  return { projectName: m.metadata.project_name, members };
}

/**
 * A manifest holding only the index's members and fields: enough for
 * buildGraph, selectNodes with INDEX_METHODS and `ls`'s selector, name and
 * path outputs. Never write it or hand it to anything else.
 */
export function indexManifest(index: SelectionIndex): Manifest {
  const maps: Record<string, Record<string, unknown>> = Object.fromEntries(MAPS.map((k) => [k, {}]));
  for (const [map, member] of index.members) maps[map]![member.unique_id!] = member;
  return { metadata: { project_name: index.projectName }, ...maps, macros: {}, docs: {}, groups: {}, selectors: {}, disabled: {}, parent_map: {}, child_map: {} } as unknown as Manifest;
}

/** True when evaluating `select`/`exclude` reads nothing but what the index keeps. */
export function indexAnswers(select: string[] | undefined, exclude: string[] | undefined): boolean {
  const methods = new Set<MethodName>();
  const walk = (s: SelectionSpec): void => {
    if (s.kind === 'criterion') methods.add(s.method);
    else s.components.forEach(walk);
  };
  walk(parseSelection({ select, exclude }));
  return [...methods].every((m) => INDEX_METHODS.has(m));
}
