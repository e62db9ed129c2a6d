/**
 * The manifest: the only contract between parse and execute.
 *
 * Plain, serialisable data (no functions, no class instances) so it can be
 * written as target/manifest.json and read back. Shapes follow dbt's manifest
 * v12 closely enough that tools reading dbt artifacts keep working; field
 * names are dbt's (snake_case) for that reason.
 */

export type ResourceType =
  | 'model'
  | 'seed'
  | 'snapshot'
  | 'test'
  | 'unit_test'
  | 'analysis'
  | 'operation'
  | 'source'
  | 'exposure'
  | 'macro'
  | 'sql_operation';

/** A node's config after the project hierarchy, properties YAML and config() are merged. */
export interface NodeConfig {
  enabled: boolean;
  materialized: string;
  schema?: string | null;
  database?: string | null;
  alias?: string | null;
  tags: string[];
  meta: Record<string, unknown>;
  pre_hook: Hook[];
  post_hook: Hook[];
  unique_key?: string | string[] | null;
  incremental_strategy?: string | null;
  on_schema_change?: string | null;
  full_refresh?: boolean | null;
  persist_docs: Record<string, unknown>;
  docs: { show: boolean; node_color?: string | null };
  contract: { enforced: boolean; alias_types?: boolean };
  grants: Record<string, unknown>;
  quoting: Record<string, unknown>;
  column_types: Record<string, string>;
  /** Tests: error|warn, and the thresholds. */
  severity?: string;
  warn_if?: string;
  error_if?: string;
  fail_calc?: string;
  where?: string | null;
  limit?: number | null;
  store_failures?: boolean | null;
  /** Anything else set by the user (adapter-specific keys and custom keys). */
  [key: string]: unknown;
}

export interface Hook {
  sql: string;
  transaction: boolean;
  index?: number;
}

export interface ColumnInfo {
  name: string;
  description: string;
  meta: Record<string, unknown>;
  data_type?: string | null;
  constraints: unknown[];
  quote?: boolean | null;
  tags: string[];
  /** dbt 1.10's column config: `meta` and `tags`, merged with the column's top-level ones. */
  config: { meta: Record<string, unknown>; tags: string[] };
}

/** Where in a file a thing was written (1-based line). */
export interface SourceLocation {
  file: string;
  line: number;
}

/** One `ref(...)` call as written: `ref('m')`, `ref('pkg', 'm')`, `ref('m', v=2)`. */
export interface RefCall {
  name: string;
  package?: string | null;
  version?: string | number | null;
  /** Where the call was made, for errors (not written to manifest.json). */
  at?: SourceLocation;
}

export interface SourceCall {
  source: string;
  table: string;
  at?: SourceLocation;
}

export interface DependsOn {
  nodes: string[];
  macros: string[];
}

/** Fields every resource in the graph carries. */
export interface BaseNode {
  unique_id: string;
  resource_type: ResourceType;
  package_name: string;
  name: string;
  /** Path relative to the resource folder (models/, seeds/...), as dbt writes `path`. */
  path: string;
  /** Path relative to the package root (e.g. `models/staging/stg_a.sql`). */
  original_file_path: string;
  /**
   * Seeds only: the package root, as manifest v12's Seed writes it. Other resources leave it out (v12 has no such
   * key for them); code that needs a package's folder asks the loaded project (RuntimeShared.packageRoots at run
   * time, ParseInput.packages while parsing).
   */
  root_path?: string;
  fqn: string[];
  description: string;
  tags: string[];
  meta: Record<string, unknown>;
}

export interface CompiledNode extends BaseNode {
  resource_type: 'model' | 'seed' | 'snapshot' | 'test' | 'analysis' | 'operation' | 'sql_operation' | 'unit_test';
  alias: string;
  schema: string;
  database: string | null;
  /** The relation name as rendered for this adapter, e.g. `"db"."main"."stg_a"`. */
  relation_name: string | null;
  config: NodeConfig;
  /** Config keys set in the node's own file / YAML (not inherited); dbt's `unrendered_config` is close. */
  unrendered_config: Record<string, unknown>;
  raw_code: string;
  /** 'python': a Python model (models/**.py), parsed but never run by tsdbt. */
  language: 'sql' | 'python';
  refs: RefCall[];
  sources: [string, string][];
  depends_on: DependsOn;
  columns: Record<string, ColumnInfo>;
  patch_path: string | null;
  docs: { show: boolean; node_color?: string | null };
  checksum: { name: string; checksum: string };
  compiled_code?: string;
  compiled_path?: string | null;
  /** Filled for generic tests. */
  test_metadata?: TestMetadata;
  column_name?: string | null;
  attached_node?: string | null;
  file_key_name?: string | null;
  /** Filled for seeds: absolute path of the CSV. */
  seed_file?: string;
  /** Filled for versioned models. */
  version?: string | number | null;
  latest_version?: string | number | null;
  // Models only (set by project/model-attributes.ts and model-versions.ts):
  // fields dbt's model nodes always carry, which packages read from
  // `graph.nodes` (dbt_project_evaluator reads `access`, `group`, `time_spine`).
  /** `public`, `protected` (dbt's default) or `private`; from config or properties. */
  access?: string;
  group?: string | null;
  /** Model-level constraints from properties YAML (column constraints live in `columns`). */
  constraints?: unknown[];
  /** The version's own date (versioned models), else the model's; ISO text as written. */
  deprecation_date?: string | null;
  time_spine?: unknown;
  /** The node-level contract: dbt copies config.contract here; checksum is filled when an enforced contract is checked. */
  contract?: { enforced: boolean; alias_types: boolean; checksum: string | null };
  /** Filled for unit tests. */
  unit_test?: UnitTestDefinition;
  /** Filled for unit tests: what manifest.json's `unit_tests` holds for it (project/unit-test-entry.ts). */
  manifest_entry?: UnitTestEntry;
}

export interface TestMetadata {
  name: string;
  namespace: string | null;
  kwargs: Record<string, unknown>;
}

export interface UnitTestDefinition {
  model: string;
  given: { input: string; rows?: unknown; format: 'dict' | 'csv' | 'sql'; fixture?: string | null }[];
  expect: { rows?: unknown; format: 'dict' | 'csv' | 'sql'; fixture?: string | null };
  overrides?: { macros?: Record<string, unknown>; vars?: Record<string, unknown>; env_vars?: Record<string, unknown> };
}

/** A fixture of a unit test as manifest v12 writes it: its rows as dbt reads them (CSV as rows of text, fixture files read). */
export interface UnitTestFixtureEntry {
  rows: unknown;
  format: string;
  fixture: string | null;
}

/**
 * A unit test as manifest v12's UnitTestDefinition writes it (dbt-core 1.10's
 * members, in its order). Built at parse (project/unit-test-entry.ts) and kept
 * on the unit test's node; the node itself is what tsdbt selects and runs.
 */
export interface UnitTestEntry {
  model: string;
  given: (UnitTestFixtureEntry & { input: string })[];
  expect: UnitTestFixtureEntry;
  name: string;
  resource_type: 'unit_test';
  package_name: string;
  /** Relative to the folder its properties file was found in. */
  path: string;
  original_file_path: string;
  unique_id: string;
  fqn: string[];
  description: string;
  overrides: { macros: Record<string, unknown>; vars: Record<string, unknown>; env_vars: Record<string, unknown> } | null;
  depends_on: { macros: string[]; nodes: string[] };
  config: { tags: string[]; meta: Record<string, unknown>; enabled: boolean; [key: string]: unknown };
  /** sha256 of the definition (dbt's build_unit_test_checksum): what state:modified compares. */
  checksum: string;
  /** The tested model's schema. */
  schema: string | null;
  /** When parse built it, in seconds since the epoch. */
  created_at: number;
  versions: { include: unknown[] | null; exclude: unknown[] | null } | null;
  /** The tested version, for a unit test of a versioned model. */
  version: string | number | null;
}

export interface SourceTable extends BaseNode {
  resource_type: 'source';
  source_name: string;
  source_description: string;
  loader: string;
  identifier: string;
  database: string | null;
  schema: string;
  relation_name: string;
  loaded_at_field: string | null;
  /** dbt 1.10: SQL returning the newest load time, rendered when freshness is checked (instead of a loaded_at_field). */
  loaded_at_query?: string | null;
  freshness: unknown;
  quoting: Record<string, unknown>;
  /** dbt's ExternalTable (source-external.ts), null without `external:`. */
  external?: Record<string, unknown> | null;
  columns: Record<string, ColumnInfo>;
  config: { enabled: boolean; [key: string]: unknown };
  source_meta: Record<string, unknown>;
  patch_path?: string | null;
  /** The source's database and schema as written, before rendering (dbt compares them for state:modified). */
  unrendered_database?: string | null;
  unrendered_schema?: string | null;
}

export interface Exposure extends BaseNode {
  resource_type: 'exposure';
  type: string;
  owner: { name?: string; email?: string };
  maturity?: string | null;
  url?: string | null;
  label?: string | null;
  refs: RefCall[];
  sources: [string, string][];
  depends_on: DependsOn;
  config: { enabled: boolean; [key: string]: unknown };
}

export interface MacroArgument {
  name: string;
  type?: string | null;
  description: string;
}

export interface Macro {
  unique_id: string;
  resource_type: 'macro';
  package_name: string;
  name: string;
  path: string;
  original_file_path: string;
  macro_sql: string;
  description: string;
  meta: Record<string, unknown>;
  arguments: MacroArgument[];
  depends_on: { macros: string[] };
  patch_path?: string | null;
}

/** A `{% docs %}` block, as manifest v12's Documentation (its members in dbt's order). */
export interface Doc {
  name: string;
  resource_type: 'doc';
  package_name: string;
  /** Relative to the folder it was found in, as a node's `path`. */
  path: string;
  original_file_path: string;
  unique_id: string;
  block_contents: string;
}

export interface ManifestMetadata {
  dbt_schema_version: string;
  dbt_version: string;
  generated_at: string;
  invocation_id: string;
  project_name: string;
  adapter_type: string;
  env: Record<string, string>;
}

export interface Manifest {
  metadata: ManifestMetadata;
  nodes: Record<string, CompiledNode>;
  sources: Record<string, SourceTable>;
  macros: Record<string, Macro>;
  docs: Record<string, Doc>;
  exposures: Record<string, Exposure>;
  metrics: Record<string, unknown>;
  groups: Record<string, unknown>;
  selectors: Record<string, unknown>;
  disabled: Record<string, unknown[]>;
  unit_tests: Record<string, CompiledNode>;
  parent_map: Record<string, string[]>;
  child_map: Record<string, string[]>;
  /** Each group's name and the unique ids of its nodes (project/group-map.ts). */
  group_map: Record<string, string[]>;
  semantic_models: Record<string, unknown>;
  saved_queries: Record<string, unknown>;
}

/** Any resource that can appear in the graph. */
export type GraphMember = CompiledNode | SourceTable | Exposure;
