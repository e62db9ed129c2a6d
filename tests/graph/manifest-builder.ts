/**
 * A tiny hand-rolled manifest builder for graph tests: only the fields the
 * graph and selector read are meaningful, the rest get neutral defaults.
 */
import type {
  CompiledNode,
  Exposure,
  Manifest,
  NodeConfig,
  RefCall,
  SourceTable,
} from '../../src/manifest/types.js';

type NodeKind = 'model' | 'seed' | 'snapshot' | 'analysis';

export interface NodeOpts {
  /** Names of models/seeds/snapshots this node refs, e.g. ['stg_a'] or [{name:'stg_a', line: 4}]. */
  refs?: (string | { name: string; line?: number; package?: string })[];
  /** Sources as 'source.table'. */
  sources?: string[];
  tags?: string[];
  config?: Partial<NodeConfig>;
  /** Path under the resource folder, default `<name>.sql`. */
  path?: string;
  package?: string;
  version?: number;
  patchPath?: string;
}

export interface TestOpts {
  /** Names (models/seeds/snapshots) or `source:raw.commits` the test depends on. */
  on: string[];
  /** Generic test name (not_null, relationships...); omit for a singular test. */
  generic?: string;
  tags?: string[];
  config?: Partial<NodeConfig>;
  path?: string;
}

const FOLDERS: Record<NodeKind, string> = { model: 'models', seed: 'seeds', snapshot: 'snapshots', analysis: 'analyses' };

export class ManifestBuilder {
  private readonly manifest: Manifest;
  private readonly byName = new Map<string, string>();

  constructor(readonly project = 'proj') {
    this.manifest = {
      metadata: {
        dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json',
        dbt_version: '1.9.0',
        generated_at: '2024-01-01T00:00:00Z',
        invocation_id: 'test',
        project_name: project,
        adapter_type: 'duckdb',
        env: {},
      },
      nodes: {},
      sources: {},
      macros: {},
      docs: {},
      exposures: {},
      metrics: {},
      groups: {},
      selectors: {},
      disabled: {},
      unit_tests: {},
      parent_map: {},
      child_map: {},
      group_map: {},
      semantic_models: {},
      saved_queries: {},
    };
  }

  model(name: string, opts: NodeOpts = {}): this {
    return this.node('model', name, opts);
  }
  seed(name: string, opts: NodeOpts = {}): this {
    return this.node('seed', name, { ...opts, path: opts.path ?? `${name}.csv` });
  }
  snapshot(name: string, opts: NodeOpts = {}): this {
    return this.node('snapshot', name, opts);
  }
  analysis(name: string, opts: NodeOpts = {}): this {
    return this.node('analysis', name, opts);
  }

  node(kind: NodeKind, name: string, opts: NodeOpts = {}): this {
    const pkg = opts.package ?? this.project;
    const path = opts.path ?? `${name}.sql`;
    const folder = FOLDERS[kind];
    const id = `${kind}.${pkg}.${name}${opts.version !== undefined ? `.v${opts.version}` : ''}`;
    const dirs = path.split('/').slice(0, -1);
    const fqn = [pkg, ...dirs, name, ...(opts.version !== undefined ? [`v${opts.version}`] : [])];
    const refs: RefCall[] = (opts.refs ?? []).map((r) => {
      const ref = typeof r === 'string' ? { name: r } : r;
      return {
        name: ref.name,
        package: 'package' in ref ? ref.package : undefined,
        at: 'line' in ref && ref.line !== undefined ? { file: `${folder}/${path}`, line: ref.line } : undefined,
      };
    });
    const node = this.baseNode(kind, id, name, pkg, path, `${folder}/${path}`, fqn, opts.tags, opts.config);
    node.refs = refs;
    node.version = opts.version ?? null;
    node.patch_path = opts.patchPath ?? null;
    node.sources = (opts.sources ?? []).map((s) => s.split('.') as [string, string]);
    node.depends_on.nodes = [
      ...refs.map((r) => this.resolve(r.name)),
      ...(opts.sources ?? []).map((s) => this.resolve(`source:${s}`)),
    ];
    this.manifest.nodes[id] = node;
    this.byName.set(name, id);
    return this;
  }

  source(sourceName: string, table: string, opts: { tags?: string[]; file?: string; package?: string } = {}): this {
    const pkg = opts.package ?? this.project;
    const id = `source.${pkg}.${sourceName}.${table}`;
    const file = opts.file ?? 'models/sources.yml';
    const src: SourceTable = {
      unique_id: id,
      resource_type: 'source',
      package_name: pkg,
      name: table,
      path: file,
      original_file_path: file,
      fqn: [pkg, ...file.split('/').slice(1, -1), sourceName, table],
      description: '',
      tags: opts.tags ?? [],
      meta: {},
      source_name: sourceName,
      source_description: '',
      loader: '',
      identifier: table,
      database: null,
      schema: sourceName,
      relation_name: `"${sourceName}"."${table}"`,
      loaded_at_field: null,
      freshness: null,
      quoting: {},
      columns: {},
      config: { enabled: true },
      source_meta: {},
    };
    this.manifest.sources[id] = src;
    this.byName.set(`source:${sourceName}.${table}`, id);
    return this;
  }

  test(name: string, opts: TestOpts): this {
    const id = `test.${this.project}.${name}`;
    const path = opts.path ?? (opts.generic ? `${name}.sql` : `${name}.sql`);
    const file = opts.generic ? 'models/schema.yml' : `tests/${path}`;
    const node = this.baseNode('test', id, name, this.project, path, file, [this.project, name], opts.tags, {
      materialized: 'test',
      severity: 'ERROR',
      ...opts.config,
    });
    node.depends_on.nodes = opts.on.map((n) => this.resolve(n));
    node.refs = opts.on.filter((n) => !n.startsWith('source:')).map((n) => ({ name: n }));
    if (opts.generic) {
      node.test_metadata = { name: opts.generic, namespace: null, kwargs: {} };
      node.attached_node = node.depends_on.nodes[0] ?? null;
    }
    this.manifest.nodes[id] = node;
    this.byName.set(name, id);
    return this;
  }

  unitTest(name: string, model: string, opts: { tags?: string[] } = {}): this {
    const modelId = this.resolve(model);
    const id = `unit_test.${this.project}.${model}.${name}`;
    const node = this.baseNode('unit_test', id, name, this.project, 'schema.yml', 'models/schema.yml', [this.project, model, name], opts.tags, {});
    node.depends_on.nodes = [modelId];
    node.unit_test = { model, given: [], expect: { format: 'dict' } };
    this.manifest.unit_tests[id] = node;
    return this;
  }

  exposure(name: string, on: string[], opts: { tags?: string[] } = {}): this {
    const id = `exposure.${this.project}.${name}`;
    const exp: Exposure = {
      unique_id: id,
      resource_type: 'exposure',
      package_name: this.project,
      name,
      path: 'exposures.yml',
      original_file_path: 'models/exposures.yml',
      fqn: [this.project, name],
      description: '',
      tags: opts.tags ?? [],
      meta: {},
      type: 'dashboard',
      owner: { name: 'me' },
      refs: on.map((n) => ({ name: n })),
      sources: [],
      depends_on: { nodes: on.map((n) => this.resolve(n)), macros: [] },
      config: { enabled: true },
    };
    this.manifest.exposures[id] = exp;
    return this;
  }

  /** Add a dependency after the fact (for cycles): `child` refs `parent`, written at `line`. */
  addRef(child: string, parent: string, line?: number): this {
    const node = this.manifest.nodes[this.resolve(child)]!;
    node.depends_on.nodes.push(this.resolve(parent));
    node.refs.push({ name: parent, at: line !== undefined ? { file: node.original_file_path, line } : undefined });
    return this;
  }

  id(name: string): string {
    return this.resolve(name);
  }

  build(): Manifest {
    return this.manifest;
  }

  private resolve(name: string): string {
    const id = this.byName.get(name);
    // Unknown names are kept as ids so tests can provoke a dangling dependency.
    return id ?? name;
  }

  private baseNode(
    kind: CompiledNode['resource_type'],
    id: string,
    name: string,
    pkg: string,
    path: string,
    file: string,
    fqn: string[],
    tags: string[] | undefined,
    config: Partial<NodeConfig> | undefined,
  ): CompiledNode {
    const fullConfig: NodeConfig = {
      enabled: true,
      materialized: kind === 'seed' ? 'seed' : kind === 'snapshot' ? 'snapshot' : 'view',
      tags: tags ?? [],
      meta: {},
      pre_hook: [],
      post_hook: [],
      persist_docs: {},
      docs: { show: true },
      contract: { enforced: false },
      grants: {},
      quoting: {},
      column_types: {},
      ...config,
    };
    return {
      unique_id: id,
      resource_type: kind,
      package_name: pkg,
      name,
      path,
      original_file_path: file,
      fqn,
      description: '',
      tags: tags ?? [],
      meta: {},
      alias: name,
      schema: 'main',
      database: null,
      relation_name: null,
      config: fullConfig,
      unrendered_config: {},
      raw_code: '',
      language: 'sql',
      refs: [],
      sources: [],
      depends_on: { nodes: [], macros: [] },
      columns: {},
      patch_path: null,
      docs: { show: true },
      checksum: { name: 'sha256', checksum: '' },
    };
  }
}
