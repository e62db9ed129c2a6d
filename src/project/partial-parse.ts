import { sep } from 'node:path';
import type { ContextFactory } from '../context/context-factory.js';
import type { MacroRegistry } from '../context/macro-registry.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode, Manifest } from '../manifest/types.js';
import { assignNames, fillParentChildMaps, nodeParseScope, observedParse, resolveDeps, resolveDescriptions, type NodeFileRecord, type ParseInput } from './parse.js';
import type { ProjectConfig } from './project-config.js';
import { RefIndex } from './resolve-refs.js';
import { readSqlNodeFile } from './sql-node-files.js';
import type { ParseReads } from './partial-parse-reads.js';
import type { RenderEntry } from './partial-parse-memo.js';

/** A finished parse as a parse cache keeps it. */
export interface CachedParse {
  manifest: Manifest;
  nodeFiles: NodeFileRecord[];
  /** All warnings: the first `warningsBefore`, then each nodeFiles record's, then the rest. */
  warnings: string[];
  warningsBefore: number;
  /** What the parse read outside node files (absent: a cache written before this was recorded). */
  wideReads?: ParseReads;
  /** Node file renders kept for the next parse (renderFileKey → render). */
  renders?: Record<string, RenderEntry>;
}

/**
 * dbt's partial parsing for the common edit: model, analysis and singular
 * test files whose text changed (nothing added or deleted, no macro, YAML
 * or project file changed). Each is parsed again with the properties patch
 * it had, named, and its refs resolved; the cached manifest takes it in
 * place. Anything that could reach another node (a new name, alias, schema,
 * access, group, enabled state, version, a unit test on it, an error) is
 * returned as the reason a full parse is needed, and `cached` is then left
 * half-updated: the caller must discard it.
 */
export function reparseChangedNodeFiles(cached: CachedParse, changed: readonly string[], input: ParseInput, contexts: ContextFactory, registry: MacroRegistry): string | undefined {
  const { manifest } = cached;
  const after = cached.warnings.slice(cached.warningsBefore + cached.nodeFiles.reduce((n, r) => n + r.warnings.length, 0));
  const root = input.packages.find((p) => p.kind === 'root')!.config;
  const byFile = new Map<string, NodeFileRecord[]>();
  for (const r of cached.nodeFiles) {
    const list = byFile.get(r.file);
    if (list) list.push(r);
    else byFile.set(r.file, [r]);
  }
  const unitTestParents = new Set(Object.values(manifest.unit_tests).flatMap((u) => u.depends_on?.nodes ?? []));
  const restricting = new Set(input.packages.filter((p) => p.config.restrictAccess).map((p) => p.config.name));
  let refIndex: RefIndex | undefined;
  for (const file of changed) {
    const records = byFile.get(file);
    if (!records || records.length !== 1) return `${file} is not a model, analysis or singular test file`;
    const rec = records[0]!;
    const old = manifest.nodes[rec.uniqueId];
    if (!rec.enabled || !old) return `${file} holds a disabled node`;
    if (unitTestParents.has(rec.uniqueId)) return `${file} has unit tests`;
    const pkg = packageOf(input, file);
    const nf = pkg && readSqlNodeFile(pkg, file);
    if (!nf || nf.configTree !== rec.configTree || nf.node.unique_id !== rec.uniqueId || old.version !== undefined && old.version !== null) return `${file} is not a model, analysis or singular test file of a known node`;
    const errors: TsdbtError[] = [];
    const warnings: string[] = [];
    const { result, reads } = observedParse(nf, rec.patch, nodeParseScope(input, contexts, errors, warnings));
    if (result !== 'parsed' || errors.length > 0) return `${file} has errors`;
    const node = nf.node;
    if (!node.config.enabled) return `${file} disables its node`;
    try {
      assignNames(node, contexts, registry, input.adapter);
    } catch (e) {
      if (e instanceof TsdbtError) return `${file} has errors`;
      throw e;
    }
    const moved = SHARED_FIELDS.find((f) => JSON.stringify(f(node)) !== JSON.stringify(f(old)));
    if (moved) return `${file} changed what other nodes see of it`;
    refIndex ??= new RefIndex(Object.values(manifest.nodes), Object.values(manifest.sources), root.name);
    const missing = resolveDeps(node, refIndex, errors, new Set(), () => nf.fileText, (p) => restricting.has(p));
    if (missing.length > 0 || errors.length > 0) return `${file} has unresolved dependencies`;
    resolveDescriptions({ [node.unique_id]: node }, {}, manifest.docs, root.name, errors);
    if (errors.length > 0) return `${file} has errors`;
    manifest.nodes[node.unique_id] = node as CompiledNode;
    rec.warnings = warnings;
    if (reads) rec.reads = reads;
    else delete rec.reads;
  }
  cached.warnings = [...cached.warnings.slice(0, cached.warningsBefore), ...cached.nodeFiles.flatMap((r) => r.warnings), ...after];
  fillParentChildMaps(manifest);
  // group_map stays as cached: no node's group changed (SHARED_FIELDS) and no groups: entry did (no YAML changed).
  return undefined;
}

/**
 * What other nodes, tests, exposures and the graph read of a node: its name
 * and relation (refs, uniqueness), access and group (ref checks),
 * materialization (ephemeral CTEs).
 */
const SHARED_FIELDS: ((n: CompiledNode) => unknown)[] = [
  (n) => [n.name, n.resource_type, n.package_name, n.version ?? null, n.latest_version ?? null],
  (n) => [n.database, n.schema, n.alias, n.relation_name ?? null],
  (n) => [n.config.access ?? null, n.config.group ?? null, n.config.materialized ?? null, n.config.enabled],
];

/** The innermost user package holding `path` (installed packages sit inside the root project). */
export function packageOf(input: ParseInput, path: string): ProjectConfig | undefined {
  return input.packages
    .filter((p) => p.kind !== 'internal' && path.startsWith(p.config.root + sep))
    .sort((a, b) => b.config.root.length - a.config.root.length)[0]?.config;
}
