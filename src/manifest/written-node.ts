import { defineLazyMember, lazyMembersRead, mergedMembers } from '../util/lazy-members.js';
import type { CompiledNode } from './types.js';

/**
 * What manifest.json (and `graph` in templates, dbt's flat graph, the same
 * serialisation) holds for a node or a unit test, where that is not the
 * node tsdbt keeps. tsdbt's seeds carry members its own code reads (the
 * CSV's path, empty ref and source lists, the compiled members a run
 * adds); dbt-core 1.10's Seed has none of them, a depends_on of macros
 * only, and a group. A unit test is written as dbt's UnitTestDefinition,
 * built at parse. Members dbt writes on every node and tsdbt on none
 * (build_path, created_at, config_call_dict, unrendered_config_call_dict,
 * doc_blocks) are left out of seeds too.
 */

/** Members of a seed node that dbt's Seed does not have. */
const NOT_ON_SEEDS: ReadonlySet<string> = new Set(['language', 'refs', 'sources', 'seed_file', 'compiled_code', 'compiled_path']);

/**
 * The node as manifest.json writes it: a seed (a new object) without NOT_ON_SEEDS, with depends_on.macros only and,
 * after its meta as in dbt, its group (its config's, as dbt's ParsedNode has one); any other node itself.
 */
export function writtenNode<T>(node: T): T | Record<string, unknown> {
  const n = node as Record<string, unknown> | null | undefined;
  if (n === null || typeof n !== 'object' || n.resource_type !== 'seed') return node;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(n)) {
    if (NOT_ON_SEEDS.has(key)) continue;
    const value = n[key];
    out[key] = key === 'depends_on' && value !== null && typeof value === 'object' ? { macros: (value as { macros?: unknown }).macros ?? [] } : value;
    if (key === 'meta' && !Object.hasOwn(n, 'group')) out.group = (n.config as { group?: unknown } | undefined)?.group ?? null;
  }
  return out;
}

/** Whether the node with unique id `id` may be written otherwise than as it is kept (writtenNode): a seed (`seed.<package>.<name>`). */
export function writtenOtherwise(id: string): boolean {
  return id.startsWith('seed.');
}

/**
 * `nodes` as manifest.json writes them: the object itself when none is written
 * otherwise, else each such node's writtenNode in its place. When nodes are
 * read as used (util/lazy-members.ts), a view that reads one only when it is
 * looked up.
 */
export function writtenNodes<T>(nodes: Record<string, T>): Record<string, T | Record<string, unknown>> {
  const lazy = lazyMembersRead(nodes) !== undefined;
  let written: Record<string, T | Record<string, unknown>> | undefined;
  for (const id of Object.keys(nodes)) {
    if (!writtenOtherwise(id)) continue;
    written ??= {};
    if (lazy) defineLazyMember(written, id, () => writtenNode(nodes[id]!));
    else written[id] = writtenNode(nodes[id]!);
  }
  return written ? mergedMembers<T | Record<string, unknown>>(nodes, written) : nodes;
}

/** writtenNode of a node given as the JSON text it is kept as (the parse cache's bytes), as JSON text. */
export function writtenNodeJson(json: string): string {
  const node = JSON.parse(json) as unknown;
  const written = writtenNode(node);
  return written === node ? json : JSON.stringify(written);
}

/** manifest.json's `unit_tests`: each unit test's dbt entry (a node without one, e.g. read from another manifest, as it is). */
export function writtenUnitTests<T>(unitTests: T): T | Record<string, unknown> {
  if (unitTests === null || typeof unitTests !== 'object') return unitTests;
  const out: Record<string, unknown> = {};
  for (const [id, node] of Object.entries(unitTests)) out[id] = (node as CompiledNode | undefined)?.manifest_entry ?? node;
  return out;
}

/** The manifest as manifest.json writes it (a shallow copy, its nodes and unit tests as written: writtenNodes, writtenUnitTests). */
export function writtenManifest<T extends { nodes?: Record<string, unknown>; unit_tests?: unknown }>(manifest: T): T {
  const out = { ...manifest };
  if (manifest.nodes) out.nodes = writtenNodes(manifest.nodes) as T['nodes'];
  if (manifest.unit_tests) out.unit_tests = writtenUnitTests(manifest.unit_tests);
  return out;
}
