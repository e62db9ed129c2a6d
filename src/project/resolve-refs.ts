import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode, RefCall, SourceTable } from '../manifest/types.js';
import { editDistance } from './config-keys.js';
import { foreignKeyTarget } from './foreign-key-targets.js';

/** Finds the node a ref() names, with dbt's precedence (the ref's package, the calling package, the root, any). */
/** The nodes a ref can name, by name, each read only when a ref names it (a manifest whose nodes are read lazily). */
export interface NamedNodes {
  /** Model, seed and snapshot ids by name, in the manifest's order. */
  ids: ReadonlyMap<string, readonly string[]>;
  node(id: string): CompiledNode;
}

export class RefIndex {
  private built: { byName: Map<string, CompiledNode[]>; sources: Map<string, SourceTable> } | null = null;
  private given: { nodes: Iterable<CompiledNode> | NamedNodes; sources: Iterable<SourceTable> } | null;

  /**
   * The index is built on the first lookup, by iterating `nodes` and
   * `sources` once then (many runs never call ref(); a render worker reads
   * most nodes only when it runs them): pass what they should hold at that
   * time (a snapshot, or a generator that reads the manifest then). Given
   * NamedNodes, a name's nodes are read when a ref first names it.
   */
  constructor(nodes: Iterable<CompiledNode> | NamedNodes, sources: Iterable<SourceTable>, private readonly rootPackage: string) {
    this.given = { nodes, sources };
  }

  private get byName(): Map<string, CompiledNode[]> {
    return (this.built ??= this.build()).byName;
  }

  private get sources(): Map<string, SourceTable> {
    return (this.built ??= this.build()).sources;
  }

  private named: NamedNodes | undefined;

  private build(): { byName: Map<string, CompiledNode[]>; sources: Map<string, SourceTable> } {
    const byName = new Map<string, CompiledNode[]>();
    const sources = new Map<string, SourceTable>();
    const nodes = this.given!.nodes;
    if ('ids' in nodes && 'node' in nodes) this.named = nodes;
    else {
      for (const n of nodes) {
        if (n.resource_type !== 'model' && n.resource_type !== 'seed' && n.resource_type !== 'snapshot') continue;
        const list = byName.get(n.name);
        if (list) list.push(n);
        else byName.set(n.name, [n]);
      }
    }
    for (const s of this.given!.sources) sources.set(`${s.source_name}.${s.name}`, s);
    this.given = null;
    return { byName, sources };
  }

  /** The nodes named `name` (NamedNodes: read now, once). */
  private candidatesOf(name: string): CompiledNode[] | undefined {
    const byName = this.byName;
    const found = byName.get(name);
    if (found || !this.named) return found;
    const ids = this.named.ids.get(name);
    if (!ids) return undefined;
    const nodes = ids.map((id) => this.named!.node(id));
    byName.set(name, nodes);
    return nodes;
  }

  private names(): string[] {
    const byName = this.byName;
    return this.named ? [...this.named.ids.keys()] : [...byName.keys()];
  }

  resolveRef(call: RefCall, fromPackage: string): CompiledNode | undefined {
    const candidates = this.candidatesOf(call.name);
    if (!candidates) return undefined;
    // One node of that name and no version asked for (nearly every ref): the rules below all come to that node.
    if (candidates.length === 1 && (call.version === null || call.version === undefined)) {
      const only = candidates[0]!;
      return !call.package || only.package_name === call.package ? only : undefined;
    }
    const versioned = call.version !== null && call.version !== undefined
      ? candidates.filter((c) => String(c.version) === String(call.version))
      : candidates.filter((c) => c.version === null || c.version === undefined || String(c.version) === String(c.latest_version));
    const pool = versioned.length > 0 ? versioned : candidates;
    if (call.package) return pool.find((c) => c.package_name === call.package);
    return pool.find((c) => c.package_name === fromPackage) ?? pool.find((c) => c.package_name === this.rootPackage) ?? pool[0];
  }

  resolveSource(source: string, table: string): SourceTable | undefined {
    return this.sources.get(`${source}.${table}`);
  }

  /**
   * What a foreign_key constraint's `to` names: the parent node or source
   * table for `ref()`/`source()` (an error when it matches nothing), null
   * for a relation name written out.
   */
  foreignKeyParent(to: unknown, from: CompiledNode): { node: CompiledNode } | { source: SourceTable } | null {
    const target = foreignKeyTarget(to);
    if (!target) return null;
    if ('source' in target) {
      const [s, t] = target.source;
      const source = this.resolveSource(s, t);
      if (!source) throw this.sourceError(s, t, { name: from.name, file: from.original_file_path });
      return { source };
    }
    const node = this.resolveRef(target.ref, from.package_name);
    if (!node) throw this.refError(target.ref, { name: from.name, file: from.original_file_path });
    return { node };
  }

  refError(call: RefCall, from: { name: string; file: string; line?: number }): TsdbtError {
    const near = nearest(call.name, this.names());
    const written = call.package ? `ref('${call.package}', '${call.name}')` : `ref('${call.name}')`;
    return new TsdbtError('REF_NOT_FOUND', `${written} in '${from.name}' matches no node.`, {
      file: call.at?.file ?? from.file,
      line: call.at?.line ?? from.line,
      hint: near ? `Did you mean '${near}'?` : 'Check the name, or that the model is enabled and its package installed (tsdbt deps).',
    });
  }

  sourceError(source: string, table: string, from: { name: string; file: string; line?: number }): TsdbtError {
    const names = [...this.sources.keys()];
    const near = nearest(`${source}.${table}`, names);
    return new TsdbtError('SOURCE_NOT_FOUND', `source('${source}', '${table}') in '${from.name}' matches no source table.`, {
      file: from.file,
      line: from.line,
      hint: near ? `Did you mean source('${near.split('.')[0]}', '${near.split('.').slice(1).join('.')}')?` : `Declare it under \`sources:\` in a properties YAML file.`,
    });
  }
}

function nearest(name: string, names: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const d = editDistance(name, n);
    if (d < bestD) {
      bestD = d;
      best = n;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** 1-based line of the n-th `ref(`/`source(` call naming `name` in raw code, for errors. */
export function lineOfCall(raw: string, fn: 'ref' | 'source', name: string): number | undefined {
  // One regex per function name, reset per call (a parse cache write asks this of every located ref: 10,000 at 10,000 models).
  const re = fn === 'ref' ? REF_CALL : SOURCE_CALL;
  re.lastIndex = 0;
  const quoted = `'${name}'`;
  const doubleQuoted = `"${name}"`;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw)) !== null) {
    if (m[1]!.includes(quoted) || m[1]!.includes(doubleQuoted)) {
      re.lastIndex = 0;
      // The line is one more than the newlines before the call (counted, not split into a list of lines).
      let line = 1;
      for (let at = raw.indexOf('\n'); at !== -1 && at < m.index; at = raw.indexOf('\n', at + 1)) line++;
      return line;
    }
  }
  return undefined;
}

const REF_CALL = /\bref\s*\(([^)]*)\)/g;
const SOURCE_CALL = /\bsource\s*\(([^)]*)\)/g;
