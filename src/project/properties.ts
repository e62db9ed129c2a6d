import { readFileSync } from 'node:fs';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { ColumnInfo } from '../manifest/types.js';
import { findFiles, type FoundFile } from '../util/files.js';
import { PrefetchedYaml, type YamlWorkerSpawn } from '../util/prefetched-yaml.js';
import { releaseEarlyYamlWorker } from '../util/early-yaml-worker.js';
import type { ProjectConfig } from './project-config.js';
import { renderEntryInPlace } from './schema-yaml-render.js';
import { tableFreshness, tableLoadedAtField, tableLoadedAtQuery, tagList, type MergedFreshness } from './source-precedence.js';
import { isRecord, parseYaml, withLines, type ParsedYaml } from '../util/yaml.js';
import { setKey } from '../util/yaml-block.js';

/** A generic test as declared in properties YAML, before it becomes a node. */
export interface TestDecl {
  /** As written: `unique`, `accepted_values`, `dbt_utils.accepted_range`. */
  testName: string;
  args: Record<string, unknown>;
  config: Record<string, unknown>;
  /** `name:` given by the user (dbt 1.9 custom test names). */
  customName?: string;
  /** `description:` of the test entry (dbt 1.9+), kept out of the arguments. */
  description?: string;
  columnName: string | null;
  /** The tags of the column the test is on (its `tags:` and `config: {tags}`); the test node carries them. */
  columnTags?: string[];
  target: { kind: 'model' | 'seed' | 'snapshot' | 'source'; name: string; sourceName?: string; version?: string | number | null };
  file: string;
  line?: number;
  package: string;
}

/** Description, columns, config and tests for one named resource, from properties YAML. */
export interface ResourcePatch {
  name: string;
  description: string;
  columns: Record<string, ColumnInfo>;
  config: Record<string, unknown>;
  meta: Record<string, unknown>;
  tags: string[];
  file: string;
  line?: number;
  versions?: { v: string | number; config?: Record<string, unknown>; columns?: unknown[] }[];
  latestVersion?: string | number | null;
  /** Raw dict, for keys only some resource types read (snapshots: relation, ...). */
  raw: Record<string, unknown>;
  /** Snapshots only: the line of a key of the entry, or of its `config:` (for errors about YAML snapshots). */
  keyLine?: (key: string, inConfig?: boolean) => number | undefined;
}

export interface SourceTableDecl {
  sourceName: string;
  name: string;
  description: string;
  sourceDescription: string;
  identifier: string;
  database: string | null;
  schema: string;
  loader: string;
  loadedAtField: string | null;
  /** dbt 1.10's loaded_at_query (source-precedence.ts), unrendered: rendered when freshness is checked. */
  loadedAtQuery: string | null;
  /** The source's `database:` and `schema:` as written, before rendering (dbt's unrendered_database/schema), else null. */
  unrenderedDatabase: string | null;
  unrenderedSchema: string | null;
  /** dbt 1.10's merge of the four levels (source-precedence.ts); 'unset' when none sets thresholds. */
  freshness: MergedFreshness | null | 'unset';
  quoting: Record<string, unknown>;
  /** The table's `external:` as written (rendered), for source-external.ts. */
  external: unknown;
  columns: Record<string, ColumnInfo>;
  meta: Record<string, unknown>;
  sourceMeta: Record<string, unknown>;
  tags: string[];
  config: Record<string, unknown>;
  file: string;
  line?: number;
  package: string;
}

export interface PropertiesIndex {
  models: Map<string, ResourcePatch>;
  seeds: Map<string, ResourcePatch>;
  snapshots: Map<string, ResourcePatch>;
  analyses: Map<string, ResourcePatch>;
  macros: Map<string, ResourcePatch>;
  sources: SourceTableDecl[];
  exposures: (Record<string, unknown> & { __file: string; __line?: number })[];
  unitTests: (Record<string, unknown> & { __file: string; __line?: number; __path?: string; __package?: string })[];
  /** `groups:` entries (dbt 1.5+), with where they were written. */
  groups: (Record<string, unknown> & { __file: string; __line?: number; __package: string })[];
  tests: TestDecl[];
}

export function emptyProperties(): PropertiesIndex {
  return { models: new Map(), seeds: new Map(), snapshots: new Map(), analyses: new Map(), macros: new Map(), sources: [], exposures: [], unitTests: [], groups: [], tests: [] };
}

const str = (v: unknown, fallback = ''): string => (v === undefined || v === null ? fallback : String(v));
const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** Renders one string of a properties file (natively, with target, var and env_var), located at `line`. */
export type PropertyRenderer = (text: string, file: string, line: number | undefined) => unknown;

/** A package's properties YAML files: every .yml/.yaml under its model, seed, snapshot, analysis, macro and test folders. */
export function propertiesFiles(c: ProjectConfig): FoundFile[] {
  const folders = [...new Set([...c.modelPaths, ...c.seedPaths, ...c.snapshotPaths, ...c.analysisPaths, ...c.macroPaths, ...c.testPaths])];
  return findFiles(c.root, folders, ['.yml', '.yaml']);
}

/** Packages' properties files listed and, when a worker may parse them, being parsed on it meanwhile (see prefetchProperties). */
export interface PropertiesPrefetch {
  files: Map<ProjectConfig, FoundFile[]>;
  parsed?: PrefetchedYaml;
}

/**
 * Lists the packages' properties files and, given a way to start a worker
 * (and when they are large enough, with a core to spare: PrefetchedYaml),
 * starts parsing them on it, so that readProperties, given `parsed`, finds
 * them parsed while this thread read macros. Values, lines and warnings are
 * those a parse here gives; a file the worker did not parse is parsed here.
 */
export function prefetchProperties(packages: readonly ProjectConfig[], spawn?: YamlWorkerSpawn): PropertiesPrefetch {
  const files = new Map(packages.map((c) => [c, propertiesFiles(c)]));
  const parsed = spawn && PrefetchedYaml.start([...files.values()].flatMap((list) => list.map((f) => f.absolute)), spawn);
  // The worker bin/tsdbt.js started early, when this did not take it (too little YAML, a busy machine), is not needed.
  releaseEarlyYamlWorker();
  return parsed ? { files, parsed } : { files };
}

/**
 * Read every properties YAML file of a package into `index`, collecting errors (and YAML warnings) instead of stopping.
 * `parsed`: files parsed on a worker (prefetchProperties), taken from there when it has them.
 */
export function readProperties(files: FoundFile[], pkg: string, index: PropertiesIndex, errors: TsdbtError[], render?: PropertyRenderer, warnings: string[] = [], parsed?: PrefetchedYaml): void {
  for (const file of files) {
    let y: ParsedYaml;
    try {
      const block = parsed?.take(file.absolute);
      y = block ? withLines(block, file.relativeToRoot) : parseYaml(readFileSync(file.absolute, 'utf8'), file.relativeToRoot);
    } catch (e) {
      if (e instanceof TsdbtError) errors.push(e);
      else throw e;
      continue;
    }
    warnings.push(...y.warnings);
    if (y.value === null) continue;
    if (!isRecord(y.value)) {
      errors.push(new TsdbtError('YAML_SCHEMA', 'A properties file must be a mapping (version: 2, models: ...)', { file: file.relativeToRoot, line: 1 }));
      continue;
    }
    try {
      readOne(y, file.relativeToFolder, pkg, index, errors, render);
    } catch (e) {
      if (e instanceof TsdbtError) errors.push(e);
      else throw e;
    }
  }
}

/** `path`: the file's path relative to the folder it was found in (dbt's `path` of a unit test). */
function readOne(y: ParsedYaml, path: string, pkg: string, index: PropertiesIndex, errors: TsdbtError[], render?: PropertyRenderer): void {
  const doc = y.value as Record<string, unknown>;
  const file = y.file;
  // What dbt renders when it reads the file (see schema-yaml-render); false when an entry failed.
  const rendered = (key: string, entry: unknown): boolean => {
    if (!render || !isRecord(entry)) return true;
    try {
      renderEntryInPlace(key, entry, (text) => render(text, file, y.lineOf(entry)));
      return true;
    } catch (e) {
      if (!(e instanceof TsdbtError)) throw e;
      errors.push(e);
      return false;
    }
  };
  const patchesFor = (key: string, target: Map<string, ResourcePatch>, kind: TestDecl['target']['kind'] | null) => {
    for (const entry of list(doc[key])) {
      if (!isRecord(entry) || typeof entry.name !== 'string') {
        errors.push(new TsdbtError('YAML_SCHEMA', `Each entry under '${key}:' needs a 'name:'`, { file, line: y.lineOf(entry) ?? y.keyLine(doc, key) }));
        continue;
      }
      const line = y.lineOf(entry);
      if (!rendered(key, entry)) continue;
      if (target.has(entry.name)) {
        const prev = target.get(entry.name)!;
        errors.push(new TsdbtError('DUPLICATE_NODE', `${key.replace(/s$/, '')} '${entry.name}' is described twice (also in ${prev.file}:${prev.line ?? ''})`, {
          file, line, hint: 'Keep one properties entry per resource.',
        }));
        continue;
      }
      const patch: ResourcePatch = {
        name: entry.name,
        description: str(entry.description),
        columns: columnsOf(entry.columns),
        // dbt 1.10 moves a top-level `docs:` into the entry's config.
        config: isRecord(entry.docs) && !(isRecord(entry.config) && 'docs' in entry.config) ? { ...rec(entry.config), docs: entry.docs } : rec(entry.config),
        meta: rec(entry.meta),
        tags: list(entry.tags).map(String),
        file,
        line,
        versions: Array.isArray(entry.versions) ? (entry.versions as ResourcePatch['versions']) : undefined,
        latestVersion: (entry.latest_version as string | number | undefined) ?? null,
        raw: entry,
      };
      if (key === 'snapshots') patch.keyLine = (k, inConfig) => (inConfig ? y.keyLine(entry.config, k) : y.keyLine(entry, k));
      target.set(entry.name, patch);
      if (kind) collectTests(y, entry, { kind, name: entry.name }, pkg, index.tests);
    }
  };
  patchesFor('models', index.models, 'model');
  patchesFor('seeds', index.seeds, 'seed');
  patchesFor('snapshots', index.snapshots, 'snapshot');
  patchesFor('analyses', index.analyses, null);
  patchesFor('macros', index.macros, null);
  for (const source of list(doc.sources)) {
    // As dbt: the source's database and schema as written, kept before the entry is rendered.
    const written = isRecord(source) ? { database: source.database, schema: source.schema } : {};
    if (rendered('sources', source)) readSource(y, source, pkg, index, errors, written);
  }
  for (const e of list(doc.exposures)) if (isRecord(e) && rendered('exposures', e)) index.exposures.push({ ...e, __file: file, __line: y.lineOf(e) });
  for (const u of list(doc.unit_tests)) if (isRecord(u)) index.unitTests.push({ ...u, __file: file, __line: y.lineOf(u), __path: path, __package: pkg });
  for (const g of list(doc.groups)) {
    if (!isRecord(g) || typeof g.name !== 'string') {
      errors.push(new TsdbtError('YAML_SCHEMA', "Each entry under 'groups:' needs a 'name:'", { file, line: y.lineOf(g) ?? y.keyLine(doc, 'groups') }));
      continue;
    }
    if (rendered('groups', g)) index.groups.push({ ...g, __file: file, __line: y.lineOf(g), __package: pkg });
  }
}

function readSource(y: ParsedYaml, source: unknown, pkg: string, index: PropertiesIndex, errors: TsdbtError[], written: { database?: unknown; schema?: unknown }): void {
  const file = y.file;
  if (!isRecord(source) || typeof source.name !== 'string') {
    errors.push(new TsdbtError('YAML_SCHEMA', "Each entry under 'sources:' needs a 'name:'", { file, line: y.lineOf(source) }));
    return;
  }
  const sourceConfig = rec(source.config);
  for (const table of list(source.tables)) {
    if (!isRecord(table) || typeof table.name !== 'string') {
      errors.push(new TsdbtError('YAML_SCHEMA', `Each table of source '${source.name}' needs a 'name:'`, { file, line: y.lineOf(table) ?? y.lineOf(source) }));
      continue;
    }
    const tableConfig = rec(table.config);
    const query = tableLoadedAtQuery(source, table);
    if ('error' in query) {
      errors.push(new TsdbtError('YAML_SCHEMA', `${query.error} (source '${source.name}', table '${table.name}')`, { file, line: y.lineOf(table), hint: 'Keep one of loaded_at_field and loaded_at_query at each level.' }));
      continue;
    }
    const unrendered = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
    index.sources.push({
      sourceName: source.name,
      name: table.name,
      description: str(table.description),
      sourceDescription: str(source.description),
      identifier: str(table.identifier, table.name),
      database: (source.database as string | undefined) ?? null,
      schema: str(source.schema, source.name),
      loader: str(source.loader),
      loadedAtField: tableLoadedAtField(source, table),
      loadedAtQuery: query.query,
      unrenderedDatabase: unrendered(written.database),
      unrenderedSchema: unrendered(written.schema),
      freshness: tableFreshness(source, table),
      quoting: { ...rec(source.quoting), ...rec(table.quoting) },
      external: table.external ?? null,
      columns: columnsOf(table.columns),
      // As dbt 1.10's calculate_meta/tags_from_raw_target: source, source config, table, table config; tags as a sorted set.
      meta: { ...rec(source.meta), ...rec(sourceConfig.meta), ...rec(table.meta), ...rec(tableConfig.meta) },
      sourceMeta: { ...rec(source.meta), ...rec(sourceConfig.meta) },
      tags: [...new Set([source.tags, sourceConfig.tags, table.tags, tableConfig.tags].flatMap(tagList))].sort(),
      config: { ...sourceConfig, ...tableConfig },
      file,
      line: y.lineOf(table),
      package: pkg,
    });
    collectTests(y, table, { kind: 'source', name: table.name, sourceName: source.name }, pkg, index.tests);
  }
}

function columnsOf(raw: unknown): Record<string, ColumnInfo> {
  const out: Record<string, ColumnInfo> = {};
  for (const c of list(raw)) {
    if (!isRecord(c) || c.name === undefined) continue;
    const name = String(c.name);
    const { meta, tags } = columnMetaAndTags(c);
    out[name] = {
      name,
      description: str(c.description),
      meta,
      data_type: (c.data_type as string | undefined) ?? null,
      constraints: list(c.constraints),
      quote: (c.quote as boolean | undefined) ?? null,
      tags,
      config: { meta, tags },
    };
  }
  return out;
}

/**
 * A column's meta and tags as dbt 1.10 merges them: `config: {meta, tags}`
 * over the top-level `meta:`/`tags:` (a single tag may be a string).
 */
function columnMetaAndTags(c: Record<string, unknown>): { meta: Record<string, unknown>; tags: string[] } {
  return { meta: { ...rec(c.meta), ...rec(rec(c.config).meta) }, tags: columnTags(c) };
}

/** A column's tags: `tags:` then `config: {tags}`, each once (most columns have none). */
function columnTags(c: Record<string, unknown>): string[] {
  const own = c.tags;
  const inConfig = isRecord(c.config) ? c.config.tags : undefined;
  if ((own === undefined || own === null) && (inConfig === undefined || inConfig === null)) return [];
  const tagList = (v: unknown) => (typeof v === 'string' ? [v] : list(v).map(String));
  return [...new Set([...tagList(own), ...tagList(inConfig)])];
}

/** Tests on the resource itself and on each of its columns; both `tests:` and `data_tests:` spellings. */
function collectTests(y: ParsedYaml, entry: Record<string, unknown>, target: TestDecl['target'], pkg: string, out: TestDecl[]): void {
  addTests(y, entry, null, [], target, pkg, out);
  // A column's tags (top-level and config) reach every test on that column, as in dbt.
  for (const c of list(entry.columns)) if (isRecord(c) && c.name !== undefined) addTests(y, c, String(c.name), columnTags(c), target, pkg, out);
}

/**
 * The tests of one holder (the resource or one of its columns) onto `out`. A
 * module function, not a closure per entry: the bundle (esbuild keepNames)
 * names each closure it makes with a defineProperty that turns its
 * properties into a dictionary (10,000 at 10,000 models).
 */
function addTests(y: ParsedYaml, holder: Record<string, unknown>, columnName: string | null, columnTags: string[], target: TestDecl['target'], pkg: string, out: TestDecl[]): void {
  for (const key of ['data_tests', 'tests']) {
    const tests = holder[key];
    list(tests).forEach((t, i) => {
      const decl = testDecl(t, columnName, target, y.file, y.itemLine(tests, i) ?? y.lineOf(t) ?? y.keyLine(holder, key), pkg);
      if (!decl) return;
      decl.columnTags = columnTags; // a fresh object: no copy needed
      out.push(decl);
    });
  }
}

/** Python's truth value of a YAML value (what dbt's test builder tests a config key's value with). */
const pyTruthy = (v: unknown): boolean => (Array.isArray(v) ? v.length > 0 : isRecord(v) ? Object.keys(v).length > 0 : Boolean(v));

/** Config keys dbt accepts written among a generic test's arguments (its builder's CONFIG_ARGS). */
const TEST_CONFIG_ARGS = new Set(['severity', 'tags', 'enabled', 'where', 'limit', 'warn_if', 'error_if', 'fail_calc', 'store_failures', 'store_failures_as', 'meta', 'database', 'schema', 'alias']);

/** Keys of a test entry's body that are not the macro's arguments as written (they move or merge first). */
const NOT_PLAIN_ARGS = new Set(['arguments', 'config', 'description', 'name']);

/**
 * One entry of `data_tests:` as dbt 1.10's test builder reads it: `arguments:`
 * merged over the other keys first; then config keys (inline or inside
 * `arguments`) move to the config, under `config:` which wins; `description`
 * and `name` are taken out; what is left are the macro's arguments.
 */
function testDecl(t: unknown, columnName: string | null, target: TestDecl['target'], file: string, line: number | undefined, pkg: string): TestDecl | undefined {
  if (typeof t === 'string') return { testName: t, args: {}, config: {}, columnName, target, file, line, package: pkg };
  if (!isRecord(t)) return undefined;
  let testName: string;
  let body: Record<string, unknown>;
  // `- name: x\n  test_name: unique` (1.9 custom-named form): the entry without test_name is the body.
  const custom = typeof t.test_name === 'string';
  if (custom) {
    testName = t.test_name as string;
    body = t;
  } else {
    testName = Object.keys(t)[0]!;
    body = rec(t[testName]);
  }
  // The body with `arguments:` merged over it, without test_name, and without config/description/name.
  // (Most bodies are plain arguments: they are read as they are.)
  let merged = body;
  let plain = !custom;
  for (const k in body) {
    if (NOT_PLAIN_ARGS.has(k)) {
      plain = false;
      break;
    }
  }
  if (!plain) {
    merged = {};
    for (const k of Object.keys(body)) if (k !== 'arguments' && !(custom && k === 'test_name')) setKey(merged, k, body[k]);
    const explicit = rec(body.arguments);
    for (const k of Object.keys(explicit)) setKey(merged, k, explicit[k]);
  }
  const config = plain ? undefined : merged.config;
  const description = plain ? undefined : merged.description;
  const name = plain ? undefined : merged.name;
  const inlineConfig: Record<string, unknown> = {};
  const args: Record<string, unknown> = {};
  const nested = rec(config);
  for (const k of Object.keys(merged)) {
    if (!plain && (k === 'config' || k === 'description' || k === 'name')) continue;
    const v = merged[k];
    if (TEST_CONFIG_ARGS.has(k)) {
      // dbt's SameKeyNestedError: a set config key both among the arguments and under `config:`.
      if (pyTruthy(v) && k in nested) {
        throw new TsdbtError('YAML_SCHEMA', `Test cannot have the same key at the top-level and in config: '${k}' of test '${testName}'`, {
          file,
          line,
          hint: `Keep '${k}' in one place, under 'config:'.`,
        });
      }
      if (v !== null && v !== undefined) inlineConfig[k] = v;
    } else args[k] = v;
  }
  return {
    testName,
    args,
    config: { ...inlineConfig, ...nested },
    customName: typeof name === 'string' ? name : undefined,
    description: typeof description === 'string' ? description : undefined,
    columnName,
    target,
    file,
    line,
    package: pkg,
  };
}
