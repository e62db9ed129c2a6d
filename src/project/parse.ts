import { isRecord } from '../util/yaml.js';
import { recordValues } from '../util/record-values.js';
import { trimmedList, withItem } from '../util/exact-list.js';
import { DBT_VERSION } from './dbt-version.js';
import type { AdapterInfo } from '../adapters/base/adapter-info.js';
import { ContextFactory, type ContextShared } from '../context/context-factory.js';
import { MacroRegistry } from '../context/macro-registry.js';
import { newCapture, type ParseCapture } from '../context/parse-context.js';
import { TsdbtError, TsdbtErrorList } from '../errors/tsdbt-error.js';
import { callJinja, type JinjaEnvironment } from '../jinja/index.js';
import type { CompiledNode, Doc, Exposure, Macro, Manifest, NodeConfig, RefCall, SourceLocation, SourceTable } from '../manifest/types.js';
import type { YamlWorkerSpawn } from '../util/prefetched-yaml.js';
import type { ReadState } from '../util/file-states.js';
import { CONFIG_KEYS, nearestKey, nearestKnownKey, normaliseConfigKey } from './config-keys.js';
import { mergeConfig, updateConfig, type ConfigLayer } from './config-merge.js';
import { overRoot, projectLayers, type ConfigTrees, type ProjectLayers } from './project-layers.js';
import { findGenericTest } from './find-generic-test.js';
import { genericTestNode, renderGenericTestForParse } from './generic-tests.js';
import { TestConfigPool } from './test-config-pool.js';
import { fillModelAttributes } from './model-attributes.js';
import { validateModelContract } from './contract-validation.js';
import { applyModelVersion } from './model-versions.js';
import { propertyValueRenderer, renderConfigLayer } from './render-properties.js';
import { refAccessError } from './ref-access.js';
import { readMacroFiles } from './macro-files.js';
import { renderNodeHooksForParse } from './node-hooks.js';
import { defaultAliasName, defaultDatabaseName, defaultSchemaName } from './naming.js';
import { defaultConfig, finaliseConfig } from './node-defaults.js';
import { packageRoots, type LoadedPackage } from './packages.js';
import { emptyProperties, prefetchProperties, readProperties, type PropertiesIndex, type ResourcePatch } from './properties.js';
import { lineOfCall, RefIndex } from './resolve-refs.js';
import { staticParse, type Literal, type StaticVarReader } from './static-parse.js';
import { readPythonModel } from './python-model.js';
import { prefetchNodeFiles, readNodeFiles, type NodeFile } from './sql-node-files.js';
import { fillGroupMap } from './group-map.js';
import { fillParentChildMaps } from './parent-child-maps.js';
import { fastPaths } from '../util/fast-paths.js';
import { withListingScope } from '../util/files.js';
import { buildSources } from './sources.js';
import { buildExposures } from './exposures.js';
import { buildUnitTests } from './unit-tests.js';
import { finishSnapshotConfig } from './snapshot-config.js';
import { checkMicrobatchConfig } from './microbatch-config.js';
import { missingRelationError, yamlSnapshotFiles } from './yaml-snapshots.js';
import { checkResourceNames, checkResourceUniqueness } from './resource-uniqueness.js';
import { foreignKeyConstraints, foreignKeyTarget } from './foreign-key-targets.js';
import type { ParseObserver, ParseReads } from './partial-parse-reads.js';
import { renderFileKey, type RenderMemo } from './partial-parse-memo.js';
import type { RenderShare } from './render-share.js';

export { fillParentChildMaps } from './parent-child-maps.js';

export interface ParseInput {
  packages: LoadedPackage[];
  env: JinjaEnvironment;
  adapter: AdapterInfo;
  shared: Omit<ContextShared, 'env' | 'registry' | 'adapter' | 'dispatch' | 'projectName'>;
  /** Set when the parse will be cached: records what each node file read (its `shared.onMacroCall` and env reads report here). */
  observer?: ParseObserver;
  /** Set when a cached parse exists: node file renders it kept, reused where nothing they read changed. */
  memo?: RenderMemo;
  /** Starts the worker that may parse the properties files meanwhile (util/prefetched-yaml.ts); none: parsed here. */
  yamlWorker?: YamlWorkerSpawn;
  /**
   * Given: filled with the state of each model, analysis, singular test and
   * snapshot file as the parse read it (util/file-states.ts ReadState), by
   * absolute path: a cold parse's cache takes those files' rows from here.
   */
  nodeFileStates?: Map<string, ReadState>;
  /** Set when a worker thread renders a share of the node files (render-share.ts). */
  renderShare?: RenderShare;
}

export interface ParseResult {
  manifest: Manifest;
  registry: MacroRegistry;
  contexts: ContextFactory;
  warnings: string[];
  /** What each SQL/YAML node file became, in parse order (what a partial parse re-parses from); empty unless the input had an observer (a parse that will be cached). */
  nodeFiles: NodeFileRecord[];
  /** `warnings` = the first `warningsBefore`, each nodeFiles record's, then the rest. */
  warningsBefore: number;
  /** With an observer: what the parse read outside node files (generic tests, naming macros, properties). */
  wideReads?: ParseReads;
}

/** One node a node file produced: where it came from, the properties patch it took, its warnings. */
export interface NodeFileRecord {
  uniqueId: string;
  /** Absolute path of the file (YAML snapshots: of their properties file). */
  file: string;
  configTree: NodeFile['configTree'];
  patch?: ResourcePatch;
  warnings: string[];
  /** false: the node is disabled (kept in manifest.disabled). */
  enabled: boolean;
  /** With an observer: the macros its parse ran and the env vars it read. */
  reads?: ParseReads;
}

/** What parsing one node needs besides its file: contexts, config trees, where problems go. */
export interface NodeParseScope {
  input: ParseInput;
  contexts: ContextFactory;
  useStaticParser: boolean;
  /** The node's dbt_project.yml configs (project-layers.ts): its package's, applied first, and the root's, last. */
  layersFor: (pkgName: string, tree: string, resourceType: string, fqn: string[], trees?: ConfigTrees) => ProjectLayers;
  errors: TsdbtError[];
  warnings: string[];
}

/**
 * load → parse: every package's macros, properties and SQL files into a
 * Manifest. Errors are collected across files and thrown together, so one
 * run reports every broken file.
 */
export function parseProject(input: ParseInput): ParseResult {
  // Each folder listed once for the SQL, YAML, CSV and Markdown files looked for in it (a fast path: the same files).
  return fastPaths() ? withListingScope(() => parseProjectFiles(input)) : parseProjectFiles(input);
}

function parseProjectFiles(input: ParseInput): ParseResult {
  const root = input.packages.find((p) => p.kind === 'root')!.config;
  const registry = emptyRegistry(input);
  const errors: TsdbtError[] = [];
  const warnings: string[] = [];
  const docs: Record<string, Doc> = {};
  const props = emptyProperties();
  const userPackages = input.packages.filter((p) => p.kind !== 'internal');

  // The properties files are listed now and (when a worker is given and they are large) parsed on a worker while macros are read here.
  const propertiesPrefetch = prefetchProperties(userPackages.map((p) => p.config), input.yamlWorker);
  // The SQL files too, read on a worker in a large project.
  const nodeFilesPrefetch = prefetchNodeFiles(userPackages.map((p) => p.config), input.nodeFileStates);
  for (const p of input.packages) readMacroFiles(p.config, input.env, registry, docs, errors);
  input.memo?.begin(registry);
  const contexts = parseContexts(input, registry);
  const scope = nodeParseScope(input, contexts, errors, warnings);

  const packageProps = new Map<string, PropertiesIndex>();
  for (const p of userPackages) {
    const c = p.config;
    const own = emptyProperties();
    readProperties(propertiesPrefetch.files.get(c)!, c.name, own, errors, propertyValueRenderer(contexts, input.env, c.name), warnings, propertiesPrefetch.parsed);
    packageProps.set(c.name, own);
    mergeIndex(props, own);
  }
  propertiesPrefetch.parsed?.close();

  // A Map, not a Record, while parsing: at 40,000 nodes a dictionary-mode object costs
  // ~10x a Map to fill and to list (Object.values sorts its keys each time).
  const nodes = new Map<string, CompiledNode>();
  const nodeFiles: NodeFileRecord[] = [];
  const warningsBefore = warnings.length;
  const disabled: Record<string, unknown[]> = {};
  const fileOfNode = new Map<string, NodeFile>();
  /** Nodes whose file failed to render: refs to them would only echo that error. */
  const failedNames = new Set<string>();
  /** `<package>:<resource type>:<name>` of each properties entry some file matched. */
  const patched = new Set<string>();
  for (const p of userPackages) {
    const pkgProps = packageProps.get(p.config.name)!;
    for (const nf of [...readNodeFiles(p.config, input.env, errors, nodeFilesPrefetch), ...yamlSnapshotFiles(p.config, pkgProps.snapshots, errors)]) {
      const node = nf.node;
      const patch = applyModelVersion(pkgProps, node) ?? patchFor(pkgProps, node);
      if (patch) patched.add(`${p.config.name}:${node.resource_type}:${patch.name}`);
      const warnStart = warnings.length;
      const { result: outcome, reads } = observedParse(nf, patch, scope);
      if (outcome === 'failed') failedNames.add(node.name);
      if (outcome !== 'parsed') continue;
      // (Only a parse that will be cached needs these: each holds its patch, and so the properties, alive.)
      if (input.observer) nodeFiles.push({ uniqueId: node.unique_id, file: `${nf.root}/${node.original_file_path}`, configTree: nf.configTree, patch, warnings: warnings.slice(warnStart), enabled: Boolean(node.config.enabled), ...(reads && { reads }) });
      if (!node.config.enabled) {
        (disabled[node.unique_id] ??= []).push(node);
        continue;
      }
      const prev = nodes.get(node.unique_id);
      if (prev) {
        errors.push(new TsdbtError('DUPLICATE_NODE', `Two ${node.resource_type}s are named '${node.name}': ${prev.original_file_path} and ${node.original_file_path}`, {
          file: node.original_file_path,
          line: nf.lineOffset + 1,
          hint: 'dbt requires unique names per resource type within a package: rename one of the files (or set an alias).',
        }));
        continue;
      }
      nodes.set(node.unique_id, node);
      fileOfNode.set(node.unique_id, nf);
    }
  }

  // dbt warns about properties entries that describe nothing (their tests are disabled, see below).
  for (const [pkgName, own] of packageProps) {
    for (const [section, kind] of [['models', 'model'], ['seeds', 'seed'], ['snapshots', 'snapshot']] as const) {
      for (const patch of own[section].values()) {
        // A snapshot defined in YAML (`relation:`) has no file to match.
        if (kind === 'snapshot' && patch.raw.relation !== undefined) continue;
        if (patched.has(`${pkgName}:${kind}:${patch.name}`)) continue;
        const noRelation = kind === 'snapshot' ? missingRelationError(patch) : undefined;
        if (noRelation) errors.push(noRelation);
        else warnings.push(`${patch.file}: Did not find matching node for patch with name '${patch.name}' in the '${section}' section.`);
      }
    }
  }
  const sources = buildSources(props.sources, input.adapter, root, (pkg, fqn) => scope.layersFor(pkg, 'sources', 'sources', fqn), warnings, disabled);
  // Generic tests from properties YAML.
  const rootsByPackage = packageRoots(input.packages);
  /** The test macro per (declaring package, test name): thousands of tests share a few. */
  const testMacros = new Map<string, Macro | undefined>();
  const testConfigs = new TestConfigPool(fastPaths());
  const namingBuiltIn = new Map<string, boolean>();
  const namesBuiltIn = (pkg: string): boolean => {
    let builtIn = namingBuiltIn.get(pkg);
    if (builtIn === undefined) namingBuiltIn.set(pkg, (builtIn = NAMING_MACROS.every((name) => internalMacro(registry, name, pkg))));
    return builtIn;
  };
  for (const decl of props.tests) {
    // (Its config is set below, or the node dropped: no default config made for nothing.)
    const testNode = genericTestNode(decl, PENDING_CONFIG);
    const layers = scope.layersFor(decl.package, 'data_tests', 'data_tests', testNode.fqn);
    let config = layers.own;
    try {
      config = mergeConfig(config, renderConfigLayer(decl.config, decl.file, decl.package, contexts, input.env));
    } catch (e) {
      if (!(e instanceof TsdbtError)) throw e;
      errors.push(e.withLocation({ file: decl.file, line: decl.line }));
      continue;
    }
    warnUnknownKeys(decl.config, 'data_tests', decl.file, warnings);
    const merged = overRoot(config, layers.root);
    const unrendered = scope.layersFor(decl.package, 'data_tests', 'data_tests', testNode.fqn, 'unrenderedConfigTrees');
    testNode.unrendered_config = overRoot(updateConfig(unrendered.own, decl.config), unrendered.root, updateConfig);
    const model = decl.target.kind === 'source' ? null : decl.target.name;
    // (Lists at their exact length, here and below: util/exact-list.ts.)
    if (model) testNode.refs = withItem(testNode.refs, locatedRef({ name: model, package: null, version: decl.target.version ?? null }, { file: decl.file, line: decl.line ?? 1 }));
    else testNode.sources = withItem(testNode.sources, [decl.target.sourceName!, decl.target.name]);
    for (const v of Object.values(decl.args)) collectArgDeps(v, testNode, decl.file, decl.line);
    const macroName = decl.testName.includes('.') ? decl.testName.split('.')[1]! : decl.testName;
    const testMacroKey = `${decl.package}\0${decl.testName}`;
    if (!testMacros.has(testMacroKey)) testMacros.set(testMacroKey, findGenericTest(registry, decl.testName, decl.package));
    const macro = testMacros.get(testMacroKey);
    if (!macro) {
      const known = registry.all().filter((m) => m.name.startsWith('test_')).map((m) => m.name.slice(5));
      const near = nearestKey(macroName, known);
      errors.push(new TsdbtError('TEST_NOT_FOUND', `Unknown generic test '${decl.testName}' on ${decl.target.kind} '${decl.target.name}'${decl.columnName ? `, column '${decl.columnName}'` : ''}`, {
        file: decl.file,
        line: decl.line,
        hint: near ? `Did you mean '${near}'?` : `Define it with {% test ${macroName}(model, column_name) %} in tests/generic/ or macros/, or install the package that provides it.`,
      }));
      continue;
    }
    testNode.depends_on.macros = withItem(testNode.depends_on.macros, macro.unique_id);
    // Built-in test macros set no config; dbt itself skips rendering not_null/unique.
    const builtIn = registry.internalPackages.includes(macro.package_name);
    // (Shared only where no template of a user's sees the node at parse: its macro and the naming macros dbt's own.)
    testNode.config = builtIn && namesBuiltIn(decl.package) ? testConfigs.config(merged) : finaliseConfig('test', merged);
    if (!builtIn) {
      try {
        const capture = renderGenericTestForParse(testNode, macro, contexts, input.env);
        if (capture.configCalls.length > 0) {
          config = capture.configCalls.reduce(mergeConfig, config);
          testNode.config = finaliseConfig('test', overRoot(config, layers.root));
        }
        const known = new Set(testNode.refs.map((r) => `${r.package ?? ''}.${r.name}.${r.version ?? ''}`));
        for (const r of capture.refs) if (!known.has(`${r.package ?? ''}.${r.name}.${r.version ?? ''}`)) testNode.refs.push(withAt(r, decl.file, decl.line ?? 1));
        for (const s of capture.sources) if (!testNode.sources.some(([a, b]) => a === s[0] && b === s[1])) testNode.sources.push(s);
      } catch (e) {
        if (!(e instanceof TsdbtError)) throw e;
        errors.push(e.withLocation({ file: decl.file, line: decl.line }));
        continue;
      }
    }
    // The column's tags and the test's own (inline `tags:`, `config: {tags: ...}`) sorted, as dbt's
    // test builder does, then tags from dbt_project.yml appended: tag:x selects the test.
    const ownTags = [...(decl.columnTags ?? []), ...tagList(decl.config.tags)];
    // (Most tests have no tags at all: skip building the sets for nothing.)
    testNode.tags = ownTags.length === 0 && testNode.config.tags.length === 0 ? [] : [...new Set([...[...new Set(ownTags)].sort(), ...testNode.config.tags])];
    // A disabled test is kept in manifest.disabled, as dbt's add_test_node does.
    if (!testNode.config.enabled) {
      (disabled[testNode.unique_id] ??= []).push(testNode);
      continue;
    }
    if (nodes.has(testNode.unique_id)) continue; // the same test declared twice: dbt keeps one
    nodes.set(testNode.unique_id, testNode);
  }

  // Names: schema, alias, database, relation_name; a disabled node's too, as dbt names every node before it sorts
  // the disabled ones out (manifest.disabled holds their relations).
  // (Disabled sources are named by their properties, as enabled ones.)
  const disabledNodes = (Object.values(disabled).flat() as CompiledNode[]).filter((n) => (n.resource_type as string) !== 'source');
  for (const node of [...nodes.values(), ...disabledNodes]) {
    try {
      assignNames(node, contexts, registry, input.adapter);
    } catch (e) {
      if (e instanceof TsdbtError) errors.push(e.withLocation({ file: node.original_file_path }));
      else throw e;
    }
  }

  checkResourceUniqueness(nodes.values(), errors, warnings);
  checkResourceNames(nodes.values(), root.flags, errors, warnings);

  // A snapshot: the index is built on its first lookup, and the loop below removes nodes.
  const refIndex = new RefIndex([...nodes.values()], Object.values(sources), root.name);
  const restricting = new Set(input.packages.filter((p) => p.config.restrictAccess).map((p) => p.config.name));
  const restrictsAccess = (pkg: string) => restricting.has(pkg);
  // Source calls are located in the text they were written in (a snapshot block's file, a YAML snapshot's relation: line).
  const textOf = (node: CompiledNode) => fileOfNode.get(node.unique_id)?.fileText ?? node.raw_code;
  const disabledNames = new Set(disabledNodes.filter((n) => n.resource_type !== 'test').map((n) => n.name));
  const disabledSources = new Set((Object.values(disabled).flat() as SourceTable[]).filter((n) => n.resource_type === 'source').map((n) => `${n.source_name}.${n.name}`));
  // Deleting the entry being visited is safe in a Map's iteration: the rest are still visited, in order.
  for (const node of nodes.values()) {
    const missing = resolveDeps(node, refIndex, errors, failedNames, textOf, restrictsAccess);
    if (missing.length === 0) continue;
    // dbt disables a test whose ref/source target does not exist (a warning,
    // not an error): e.g. tests declared on a model that has no SQL file.
    node.config = { ...node.config, enabled: false };
    nodes.delete(node.unique_id);
    (disabled[node.unique_id] ??= []).push(node);
    // A ref to a disabled model disables the test silently, as in dbt; a disabled source warns as dbt's
    // InvalidDisabledTargetInTestNode does; a target that exists nowhere warns that it was not found.
    for (const m of missing) {
      if (m.source && disabledSources.has(m.source)) warnings.push(`Test '${node.unique_id}' (${node.original_file_path}) depends on a source named '${m.source}' which is disabled`);
    }
    const notFound = missing.filter((m) => !(m.ref && disabledNames.has(m.ref)) && !(m.source && disabledSources.has(m.source)));
    if (notFound.length) warnings.push(`${node.original_file_path}: test '${node.name}' depends on ${notFound.map((m) => m.text).join(', ')}, which was not found; the test is disabled.`);
  }
  const exposures: Record<string, Exposure> = buildExposures(props.exposures, root.name, refIndex, errors);
  const unitTests = buildUnitTests(props.unitTests, root.name, refIndex, nodes, errors, root.testPaths, (pkg) => rootsByPackage.get(pkg) ?? root.root, {
    layersFor: (pkg, fqn) => scope.layersFor(pkg, 'unit_tests', 'unit_tests', fqn),
    disabled,
  });
  for (const u of Object.values(unitTests)) nodes.set(u.unique_id, u);

  resolveDescriptions(nodes, sources, docs, root.name, errors);
  if (errors.length > 0) throw errors.length === 1 ? errors[0]! : new TsdbtErrorList(dedupe(errors));

  const manifest: Manifest = {
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json',
      dbt_version: DBT_VERSION,
      generated_at: new Date().toISOString(),
      invocation_id: input.shared.invocationId,
      project_name: root.name,
      adapter_type: input.adapter.type,
      env: {},
    },
    nodes: nodeRecord(nodes),
    sources,
    macros: Object.fromEntries(registry.all().map((m) => [m.unique_id, withMacroPatch(m, props.macros.get(m.name))])),
    docs,
    exposures,
    metrics: {},
    groups: manifestGroups(props.groups, errors),
    selectors: {},
    disabled,
    unit_tests: unitTests,
    parent_map: {},
    child_map: {},
    group_map: {},
    semantic_models: {},
    saved_queries: {},
  };
  fillParentChildMaps(manifest);
  fillGroupMap(manifest);
  return { manifest, registry, contexts, warnings, nodeFiles, warningsBefore, wideReads: input.observer?.wide() };
}

/**
 * A generic test node's config until its own is worked out (never read or
 * written: the node is dropped if that fails). A test's default config, not
 * `{}`: the same hidden class as every test config, so V8 keeps one field type.
 */
const PENDING_CONFIG: NodeConfig = defaultConfig('test');

/** The manifest's `nodes`: every parsed node but the unit tests (they have their own member), in parse order. */
function nodeRecord(nodes: Map<string, CompiledNode>): Record<string, CompiledNode> {
  const out: Record<string, CompiledNode> = {};
  for (const [id, n] of nodes) if (n.resource_type !== 'unit_test') out[id] = n;
  return out;
}

/** The contexts a parse renders in, over `registry` (macros already read). */
export function parseContexts(input: ParseInput, registry: MacroRegistry): ContextFactory {
  const root = input.packages.find((p) => p.kind === 'root')!.config;
  const userPackages = input.packages.filter((p) => p.kind !== 'internal');
  const dispatch = Object.fromEntries(root.dispatch.map((d) => [d.macro_namespace, d.search_order]));
  return new ContextFactory({
    ...input.shared,
    env: input.env,
    registry,
    adapter: input.adapter,
    dispatch: { searchOrder: dispatch, adapterChain: input.adapter.adapterChain },
    projectName: root.name,
    runtimeConfig: {
      project_name: root.name,
      version: root.version,
      dependencies: Object.fromEntries(userPackages.map((p) => [p.config.name, { project_name: p.config.name, name: p.config.name, version: p.config.version }])),
    },
  });
}

/** A fresh registry for the packages' macros (filled by readMacroFiles or from a parse cache). */
export function emptyRegistry(input: ParseInput): MacroRegistry {
  const root = input.packages.find((p) => p.kind === 'root')!.config;
  const overrides = root.flags?.require_explicit_package_overrides_for_builtin_materializations === false;
  return new MacroRegistry(root.name, input.packages.filter((p) => p.kind === 'internal').map((p) => p.config.name), overrides);
}

export function nodeParseScope(input: ParseInput, contexts: ContextFactory, errors: TsdbtError[], warnings: string[]): NodeParseScope {
  const root = input.packages.find((p) => p.kind === 'root')!.config;
  // `--no-static-parser` (flags STATIC_PARSER false) renders every model.
  const staticFlag = input.shared.flags.static_parser ?? input.shared.flags.STATIC_PARSER;
  const layersFor = (pkgName: string, tree: string, resourceType: string, fqn: string[], trees: ConfigTrees = 'configTrees'): ProjectLayers =>
    projectLayers(root, pkgName === root.name ? root : input.packages.find((p) => p.config.name === pkgName)?.config, tree, resourceType, fqn, trees);
  return { input, contexts, useStaticParser: staticFlag !== false, layersFor, errors, warnings };
}

/** parseNodeFile with what it read recorded apart, when the parse has an observer. */
export function observedParse(nf: NodeFile, patch: ResourcePatch | undefined, scope: NodeParseScope): { result: ReturnType<typeof parseNodeFile>; reads?: ParseReads } {
  const observer = scope.input.observer;
  return observer ? observer.around(() => parseNodeFile(nf, patch, scope)) : { result: parseNodeFile(nf, patch, scope) };
}

/**
 * One node from its file and its properties patch: config (dbt_project.yml,
 * properties, config() calls), refs, sources and macros called. 'failed': its
 * template raised (refs to it would only echo that); 'invalid': another error.
 */
export function parseNodeFile(nf: NodeFile, patch: ResourcePatch | undefined, scope: NodeParseScope): 'parsed' | 'failed' | 'invalid' {
  const { input, contexts, errors, warnings } = scope;
  const node = nf.node;
  const projectTree = projectTreeOf(nf.configTree);
  const layers = scope.layersFor(node.package_name, projectTree, projectTree, node.fqn);
  let config = layers.own;
  if (patch) {
    try {
      config = mergeConfig(config, renderConfigLayer(patch.config, patch.file, node.package_name, contexts, input.env));
    } catch (e) {
      if (!(e instanceof TsdbtError)) throw e;
      errors.push(e.withLocation({ file: patch.file, line: patch.line }));
      return 'invalid';
    }
  }
  const capture = newCapture();
  // dbt 1.10: a Python model is a table unless its properties say otherwise (over dbt_project.yml), then its dbt.config() calls.
  const pythonTable = node.language === 'python' && patch?.config.materialized === undefined ? { materialized: 'table' } : {};
  if (node.language === 'python') {
    config = mergeConfig(config, pythonTable);
    const read = readPythonModel(node.raw_code, node.original_file_path, nf.lineOffset);
    if (read instanceof TsdbtError) {
      // 'failed': a ref to it would only echo this error.
      errors.push(read);
      return 'failed';
    }
    capture.refs.push(...read.refs);
    capture.sources.push(...read.sources);
    capture.configCalls.push(...read.configCalls);
  }
  const fast = node.language === 'python' ? null : staticCaptureOf(node, scope);
  const memo = input.memo;
  const memoFile = memo && renderFileKey(`${nf.root}/${node.original_file_path}`, node.unique_id);
  const memoKey = memo && !fast && rendersJinja(node) ? memo.key(node, config) : undefined;
  const kept = memoKey === undefined ? undefined : memo!.reuse(memoFile!, memoKey);
  // Rendered on the worker (the same render, its reads replayed here as if it had run here).
  const shared = kept || fast || !rendersJinja(node) ? undefined : input.renderShare?.take(node, input.shared);
  if (kept) Object.assign(capture, kept);
  else if (fast) {
    capture.refs.push(...fast.refs);
    capture.sources.push(...fast.sources);
    capture.configCalls.push(...fast.configCalls);
    capture.macros.push(...fast.macros);
  } else if (shared || rendersJinja(node)) {
    if (shared) Object.assign(capture, shared);
    else {
      try {
        renderAtParse(nf, scope, capture);
      } catch (e) {
        if (e instanceof TsdbtError) {
          errors.push(e.calledBy(`${node.resource_type} ${node.name}`, node.original_file_path).withLocation({ file: node.original_file_path }));
          return 'failed';
        }
        throw e;
      }
    }
    if (memoKey !== undefined) memo!.store(memoFile!, memoKey, capture);
  }
  for (const call of capture.configCalls) warnUnknownKeys(call, nf.configTree, node.original_file_path, warnings);
  if (patch) warnUnknownKeys(patch.config, nf.configTree, patch.file, warnings);
  const merged = overRoot(capture.configCalls.reduce(mergeConfig, config), layers.root);
  node.config = finaliseConfig(node.resource_type, merged);
  const badSnapshot = node.resource_type === 'snapshot' ? finishSnapshotConfig(node, nf, patch) : checkMicrobatchConfig(node, nf, patch);
  if (badSnapshot) {
    errors.push(badSnapshot);
    return 'invalid';
  }
  // What dbt records as `unrendered_config`: the project-level configs as written, then the node's own.
  const unrendered = scope.layersFor(node.package_name, projectTree, projectTree, node.fqn, 'unrenderedConfigTrees');
  node.unrendered_config = overRoot(capture.configCalls.reduce(updateConfig, updateConfig(updateConfig(unrendered.own, pythonTable), patch?.config ?? {})), unrendered.root, updateConfig);
  // The line is looked up only when an error needs it.
  node.refs = capture.refs.map((r) => withAt(r, new RefLocation(node.original_file_path, nf.fileText, r.name)));
  node.sources = capture.sources;
  node.depends_on.macros = [...capture.macros];
  // dbt renders every node's hooks but tests' when it parses (update_parsed_node_config).
  if (node.resource_type !== 'test' && node.config.pre_hook.length + node.config.post_hook.length > 0) {
    const rootDir = input.packages.find((p) => p.kind === 'root')!.config.root;
    const found = renderNodeHooksForParse(node, contexts, input.env, { file: node.original_file_path, fileText: nf.fileText, configCalls: capture.configCalls, patch, packages: input.packages, rootDir });
    if (found instanceof TsdbtError) {
      errors.push(found);
      return 'failed';
    }
    for (const r of found.refs) node.refs.push(withAt(r.call, r.file, r.line));
    node.sources.push(...found.sources);
    for (const m of found.macros) if (!node.depends_on.macros.includes(m)) node.depends_on.macros.push(m);
  }
  applyPatch(node, patch);
  fillModelAttributes(node, patch);
  // dbt 1.9: a foreign key's `to: ref()/source()` is a dependency, located at the model's properties entry.
  for (const fk of node.resource_type === 'model' ? foreignKeyConstraints(node) : []) {
    const target = foreignKeyTarget(fk.to);
    if (target && 'ref' in target) node.refs.push(withAt(target.ref, patch?.file ?? node.original_file_path, patch?.line ?? 1));
    else if (target && !node.sources.some(([a, b]) => a === target.source[0] && b === target.source[1])) node.sources.push(target.source);
  }
  if (node.config.enabled && node.resource_type === 'model') validateModelContract(node, patch, errors, warnings, nf.root);
  return 'parsed';
}

/** What a lone `{{ this.<part> }}` may read and the static parser pass over (see staticCaptureOf). */
const RELATION_PARTS: ReadonlySet<string> = new Set(['name', 'identifier', 'schema', 'database', 'table']);

const hasJinja = (raw: string) => raw.includes('{{') || raw.includes('{%');
/** Whether the node's file is a template to render (a Python model never is: see python-model.ts). */
const rendersJinja = (node: CompiledNode) => node.language !== 'python' && hasJinja(node.raw_code);

/**
 * A node file's parse-time capture read without rendering, or null: render it.
 * dbt reads a model statically only when ref/source/config are its own (no macro overrides
 * them) and the static parser is on; otherwise it renders, recording every macro called.
 * tsdbt also reads a model whose other calls are `dbt.type_string()` and the like
 * (ContextFactory.parseTimeMacroCall), recording those macros as the render does,
 * lone `{{ var() }}`s of Jinja values (ContextFactory.parseTimeVarRender) and `{{ this.name }}`.
 */
export function staticCaptureOf(node: CompiledNode, scope: NodeParseScope): ReturnType<typeof staticParse> {
  const { contexts } = scope;
  if (!scope.useStaticParser || overridesParseBuiltins(contexts, node.package_name)) return null;
  const pkg = node.package_name;
  const readVar = staticVarReader(contexts, pkg);
  if (!fastPaths()) return staticParse(node.raw_code, readVar);
  return staticParse(node.raw_code, readVar, {
    macro: (ns, name) => contexts.parseTimeMacroCall(pkg, ns, name),
    loneVar: staticVarReader(contexts, pkg, true),
    // At parse `this` is the node's relation (a macro named `this` would replace it): its parts read without effect.
    member: (name, attr) => name === 'this' && RELATION_PARTS.has(attr) && !contexts.shadowingMacros(pkg).has('this'),
  });
}

/** Whether the node's file needs rendering at parse (Jinja that the static parser cannot read). */
export function rendersAtParse(node: CompiledNode, scope: NodeParseScope): boolean {
  return rendersJinja(node) && staticCaptureOf(node, scope) === null;
}

/** Renders a node file's template at parse into `capture` (throws what the template raises). */
export function renderAtParse(nf: NodeFile, scope: NodeParseScope, capture: ParseCapture): void {
  const { input, contexts } = scope;
  const node = nf.node;
  const { context } = contexts.forParse(node, capture);
  // dbt renders a node's own template at parse with its capturing Undefined: a call or
  // attribute on an undefined name (a macro no installed package defines) yields Undefined
  // there and fails only when the node is compiled.
  input.env.render(input.env.compile(nf.lineOffset > 0 ? '\n'.repeat(nf.lineOffset) + node.raw_code : node.raw_code, node.original_file_path), context, true);
}

/** A macro's description and argument docs from a `macros:` properties entry. */
function withMacroPatch(m: Macro, patch: ResourcePatch | undefined): Macro {
  if (!patch) return m;
  const args = Array.isArray(patch.raw.arguments) ? (patch.raw.arguments as Record<string, unknown>[]) : [];
  return {
    ...m,
    description: patch.description,
    meta: patch.meta,
    patch_path: `${m.package_name}://${patch.file}`,
    arguments: args.length ? args.map((a) => ({ name: String(a.name), type: (a.type as string | undefined) ?? null, description: String(a.description ?? '') })) : m.arguments,
  };
}

/**
 * A ref call with where it was written. `at` is not enumerable: it serves
 * errors (cycles, unknown refs) and stays out of manifest.json without a
 * copy.
 */
export function withAt(call: RefCall, at: SourceLocation): RefCall;
export function withAt(call: RefCall, file: string, line: number): RefCall;
export function withAt(call: RefCall, fileOrAt: string | SourceLocation, line?: number): RefCall {
  // A copy without `at` (as `{ at, ...rest }` would make, without its slow runtime path).
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(call) as (keyof RefCall)[]) if (key !== 'at') rest[key] = call[key];
  return locatedRef(rest as unknown as RefCall, typeof fileOrAt === 'string' ? { file: fileOrAt, line: line! } : fileOrAt);
}

/** withAt for a ref call made here (no copy: 30,000 generic tests each make one). */
function locatedRef(call: RefCall, at: SourceLocation): RefCall {
  return Object.defineProperty(call, 'at', { value: at, enumerable: false, writable: true, configurable: true });
}

/**
 * Where a model's `ref('<name>')` is: the line is looked up in the file's text
 * on first read (only an error needs it). Not a literal with a getter closing
 * over parseNodeFile's scope: each such literal kept its own hidden class and
 * that whole scope alive, ~4-6 KB a model at 10,000 models. Here every
 * instance shares one class and one getter, and holds just the text and name;
 * to a reader (and a deep equality) it is `{ file, line }`.
 */
class RefLocation implements SourceLocation {
  readonly file: string;
  declare readonly line: number;
  #text: string | undefined;
  #refName: string;
  #line = 1;

  constructor(file: string, text: string, refName: string) {
    this.file = file;
    this.#text = text;
    this.#refName = refName;
    Object.defineProperty(this, 'line', { get: RefLocation.lineOf, enumerable: true, configurable: true });
  }

  private static lineOf(this: RefLocation): number {
    if (this.#text !== undefined) {
      this.#line = lineOfCall(this.#text, 'ref', this.#refName) ?? 1;
      this.#text = undefined;
    }
    return this.#line;
  }
}

/** The manifest's `groups`, keyed `group.<package>.<name>`, from properties `groups:` entries. */
function manifestGroups(decls: PropertiesIndex['groups'], errors: TsdbtError[]): Record<string, unknown> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const g of decls) {
    const { __file, __line, __package, name, owner, description, config } = g;
    const uniqueId = `group.${__package}.${String(name)}`;
    if (out[uniqueId]) {
      errors.push(new TsdbtError('DUPLICATE_NODE', `group '${String(name)}' is defined twice (also in ${String(out[uniqueId]!.original_file_path)})`, { file: __file, line: __line, hint: 'Keep one definition per group.' }));
      continue;
    }
    const cfg = isRecord(config) ? config : {};
    out[uniqueId] = {
      name,
      resource_type: 'group',
      package_name: __package,
      path: __file.split('/').slice(1).join('/') || __file,
      original_file_path: __file,
      unique_id: uniqueId,
      owner: isRecord(owner) ? owner : {},
      description: typeof description === 'string' ? description : null,
      config: { meta: isRecord(cfg.meta) ? cfg.meta : {} },
    };
  }
  return out;
}

function mergeIndex(into: PropertiesIndex, from: PropertiesIndex): void {
  for (const key of ['models', 'seeds', 'snapshots', 'analyses', 'macros'] as const) for (const [k, v] of from[key]) if (!into[key].has(k)) into[key].set(k, v);
  into.sources.push(...from.sources);
  into.exposures.push(...from.exposures);
  into.unitTests.push(...from.unitTests);
  into.groups.push(...from.groups);
  into.tests.push(...from.tests);
}

/**
 * The dbt_project.yml block a file's node takes its configs from. dbt 1.10
 * configures analyses from `models:` (matched on their fqn, which has an
 * `analysis` segment) and ignores an `analyses:` block.
 */
function projectTreeOf(configTree: NodeFile['configTree']): string {
  return configTree === 'analyses' ? 'models' : configTree;
}

function patchFor(props: PropertiesIndex, node: CompiledNode): ResourcePatch | undefined {
  switch (node.resource_type) {
    case 'model': return props.models.get(node.name);
    case 'seed': return props.seeds.get(node.name);
    case 'snapshot': return props.snapshots.get(node.name);
    case 'analysis': return props.analyses.get(node.name);
    default: return undefined;
  }
}

function applyPatch(node: CompiledNode, patch: ResourcePatch | undefined): void {
  // As dbt 1.10: the node's docs are its config's (project, properties and config() merged).
  const docs = node.config.docs;
  if (docs) node.docs = { show: docs.show, node_color: docs.node_color ?? null };
  node.tags = [...node.config.tags];
  node.meta = { ...(node.config.meta as Record<string, unknown>) };
  if (!patch) return;
  node.description = patch.description;
  node.columns = patch.columns;
  node.patch_path = `${node.package_name}://${patch.file}`;
  node.meta = { ...patch.meta, ...node.meta };
  if (patch.tags.length) node.tags = [...new Set([...node.tags, ...patch.tags])];
  node.config.tags = node.tags;
  if (patch.latestVersion !== undefined && patch.latestVersion !== null) node.latest_version = patch.latestVersion;
}

function warnUnknownKeys(layer: ConfigLayer, tree: string, file: string, warnings: string[]): void {
  const known = CONFIG_KEYS[tree] ?? CONFIG_KEYS.models!;
  for (const raw of Object.keys(layer)) {
    const key = normaliseConfigKey(raw);
    if (known.has(key)) continue;
    const near = nearestKnownKey(key, known);
    if (near && near !== key) warnings.push(`${file}: unknown config key '${key}' (did you mean '${near}'?)`);
  }
}

/** Test arguments such as `to: ref('customers')` make the test depend on what they name. */
function collectArgDeps(value: unknown, node: CompiledNode, file: string, line?: number): void {
  if (typeof value !== 'string') return;
  const ref = /^\s*ref\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?\)\s*$/.exec(value);
  if (ref) {
    const [pkg, name] = ref[2] ? [ref[1]!, ref[2]] : [null, ref[1]!];
    node.refs = withItem(node.refs, locatedRef({ name, package: pkg, version: null }, { file, line: line ?? 1 }));
    return;
  }
  const src = /^\s*source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*$/.exec(value);
  if (src) node.sources = withItem(node.sources, [src[1]!, src[2]!]);
}

export function assignNames(node: CompiledNode, contexts: ContextFactory, registry: MacroRegistry, adapter: AdapterInfo): void {
  // (No closures here: run once per node, and the bundle names each closure it makes, a defineProperty each.)
  const c = node.config;
  const pkg = node.package_name;
  const customSchema = (c.schema ?? null) as string | null;
  node.schema = internalMacro(registry, 'generate_schema_name', pkg) ? defaultSchemaName(adapter.schema, customSchema) : callNaming(node, contexts, registry, 'generate_schema_name', customSchema);
  node.alias = internalMacro(registry, 'generate_alias_name', pkg) ? defaultAliasName(node.name, c.alias as string | null, node.version) : callNaming(node, contexts, registry, 'generate_alias_name', c.alias);
  const db = internalMacro(registry, 'generate_database_name', pkg) ? defaultDatabaseName(adapter.database, c.database as string | null) : callNaming(node, contexts, registry, 'generate_database_name', c.database);
  node.database = db === '' ? null : db;
  // Legacy snapshot configs name the schema/database outright, bypassing generate_*_name (as dbt does).
  if (node.resource_type === 'snapshot') {
    if (typeof c.target_schema === 'string' && c.target_schema) node.schema = c.target_schema;
    if (typeof c.target_database === 'string' && c.target_database) node.database = c.target_database;
  }
  const type = node.resource_type;
  if ((type === 'model' || type === 'seed' || type === 'snapshot') && c.materialized !== 'ephemeral') {
    node.relation_name = adapter.makeRelation({ database: node.database, schema: node.schema, identifier: node.alias }).render();
  }
}

/** The macros assignNames renders for a node (a user's own may be given the node). */
const NAMING_MACROS = ['generate_schema_name', 'generate_alias_name', 'generate_database_name'] as const;

/** Whether `name` as package `pkg` sees it is missing or the built-in one (then the default is computed without rendering). */
function internalMacro(registry: MacroRegistry, name: string, pkg: string): boolean {
  const m = registry.find(name, pkg);
  return !m || registry.internalPackages.includes(m.package_name);
}

/** A project's own generate_*_name macro called for `node`. */
function callNaming(node: CompiledNode, contexts: ContextFactory, registry: MacroRegistry, macroName: string, custom: unknown): string {
  const { resolver } = contexts.forParse(node, newCapture());
  const macro = registry.find(macroName, node.package_name)!;
  return String(callJinja(resolver.bind(macro), [custom ?? null, node], {}) ?? '').trim();
}

/**
 * Fills depends_on.nodes. A missing ref/source target is an error, except in
 * a test, where (as in dbt) it only disables the test: those targets are
 * returned, described, for the caller to disable it.
 */
export function resolveDeps(
  node: CompiledNode,
  index: RefIndex,
  errors: TsdbtError[],
  failedNames: ReadonlySet<string>,
  textOf: (node: CompiledNode) => string,
  restrictsAccess: (pkg: string) => boolean,
): { text: string; ref?: string; source?: string }[] {
  // (A list, not a Set, until it is long: a node has a few parents, and 40,000 Sets were a tenth of this pass.)
  const deps: string[] = [];
  let seen: Set<string> | undefined;
  const missing: { text: string; ref?: string; source?: string }[] = [];
  const isTest = node.resource_type === 'test';
  for (const call of node.refs) {
    const target = index.resolveRef(call, node.package_name);
    if (!target) {
      if (isTest) missing.push({ text: call.package ? `ref('${call.package}', '${call.name}')` : `ref('${call.name}')`, ref: call.name });
      else if (!failedNames.has(call.name)) errors.push(index.refError(call, { name: node.name, file: node.original_file_path }));
      continue;
    }
    const denied = refAccessError(node, target, restrictsAccess);
    if (denied) errors.push(denied);
    seen = addDep(deps, seen, target.unique_id);
  }
  for (const [s, t] of node.sources) {
    const src = index.resolveSource(s, t);
    if (!src) {
      if (isTest) {
        missing.push({ text: `source('${s}', '${t}')`, source: `${s}.${t}` });
        continue;
      }
      errors.push(index.sourceError(s, t, { name: node.name, file: node.original_file_path, line: lineOfCall(textOf(node), 'source', s) }));
      continue;
    }
    seen = addDep(deps, seen, src.unique_id);
  }
  node.depends_on.nodes = trimmedList(deps);
  if (node.resource_type === 'test' && node.test_metadata) {
    // dbt attaches a generic test to the model/seed/snapshot it is declared on; a test on a source has none.
    const onSource = node.file_key_name?.startsWith('sources.') ?? false;
    node.attached_node = onSource ? null : (node.depends_on.nodes.find((d) => !d.startsWith('source.')) ?? null);
  }
  return missing;
}

/** `id` added to `deps` unless there; a Set of them (returned) once they are many. */
function addDep(deps: string[], seen: Set<string> | undefined, id: string): Set<string> | undefined {
  if (seen === undefined && deps.length > 32) seen = new Set(deps);
  if (seen ? seen.has(id) : deps.includes(id)) return seen;
  deps.push(id);
  seen?.add(id);
  return seen;
}

export function resolveDescriptions(nodes: Record<string, CompiledNode> | Map<string, CompiledNode>, sources: Record<string, SourceTable>, docs: Record<string, Doc>, rootName: string, errors: TsdbtError[]): void {
  const render = (text: string, file: string, pkg: string): string => {
    if (!text.includes('doc(')) return text;
    return text.replace(/\{\{\s*doc\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?\)\s*\}\}/g, (_m, a: string, b?: string) => {
      const [p, n] = b ? [a, b] : [null, a];
      const d = (p ? docs[`doc.${p}.${n}`] : docs[`doc.${pkg}.${n}`] ?? docs[`doc.${rootName}.${n}`]) ?? Object.values(docs).find((x) => x.name === n);
      if (!d) {
        errors.push(new TsdbtError('DOC_NOT_FOUND', `doc('${n}') matches no {% docs %} block`, { file, hint: `Add {% docs ${n} %}...{% enddocs %} to a .md file.` }));
        return '';
      }
      return d.block_contents;
    });
  };
  for (const n of nodes instanceof Map ? nodes.values() : recordValues(nodes)) {
    n.description = render(n.description, n.original_file_path, n.package_name);
    for (const c of Object.values(n.columns)) c.description = render(c.description, n.original_file_path, n.package_name);
  }
  for (const s of recordValues(sources)) {
    s.description = render(s.description, s.original_file_path, s.package_name);
    for (const c of Object.values(s.columns)) c.description = render(c.description, s.original_file_path, s.package_name);
  }
}

function dedupe(errors: TsdbtError[]): TsdbtError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = e.format();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A `tags:` value as a list (a single tag may be written as a string). */
const tagList = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : []);

/**
 * var() as the static parser may read it for a node of `packageName` (see
 * StaticVarReader): the parse-time var (a missing one is its default, else
 * none) when it is a boolean, none, an integer or a string without Jinja;
 * none of it when a macro named `var` replaces dbt's.
 */
function staticVarReader(contexts: ContextFactory, packageName: string, lone = false): StaticVarReader | undefined {
  if (contexts.shadowingMacros(packageName).has('var')) return undefined;
  const vars = contexts.shared.vars;
  return (name, fallback) => {
    const v = vars.get(name, packageName, { given: true, value: fallback });
    if (typeof v === 'string' && (v.includes('{{') || v.includes('{%') || v.includes('{#'))) return lone && contexts.parseTimeVarRender(packageName, v) ? v : undefined;
    if (typeof v === 'string') return v;
    // The default as written in the template (a literal list or dict) is what var() returns too.
    if (v === null || v === fallback || typeof v === 'boolean' || (typeof v === 'number' && Number.isSafeInteger(v))) return v as Literal;
    return undefined;
  };
}

/** A macro in the root project or the node's package named ref, source or config replaces dbt's. */
function overridesParseBuiltins(contexts: ContextFactory, packageName: string): boolean {
  const names = contexts.shadowingMacros(packageName);
  return names.has('ref') || names.has('source') || names.has('config');
}
