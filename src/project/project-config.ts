import { join } from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { isRecord, parseYaml } from '../util/yaml.js';
import { inputExists, readInput } from '../util/input-log.js';

/** dbt_project.yml, normalised. Paths are relative to `root`. */
export interface ProjectConfig {
  root: string;
  /** Path of dbt_project.yml, relative to the invocation's project dir, for errors. */
  file: string;
  name: string;
  version: string;
  profile: string | null;
  configVersion: number;
  modelPaths: string[];
  macroPaths: string[];
  seedPaths: string[];
  testPaths: string[];
  analysisPaths: string[];
  snapshotPaths: string[];
  docsPaths: string[] | null;
  /** `asset-paths`: folders docs generate copies into the target folder (images the docs' markdown shows). */
  assetPaths: string[];
  targetPath: string;
  packagesInstallPath: string;
  cleanTargets: string[];
  /** `vars:` — global keys, and per-package maps under a package name. */
  vars: Record<string, unknown>;
  requireDbtVersion: string[];
  onRunStart: string[];
  onRunEnd: string[];
  quoting: Record<string, unknown>;
  dispatch: { macro_namespace: string; search_order: string[] }[];
  /** `restrict-access: true`: its protected models can be referenced only from within it (and private ones only from their group there). */
  restrictAccess: boolean;
  /** `flags:`, dbt's project flags (behaviour flags such as skip_nodes_if_on_run_start_fails among them). */
  flags?: Record<string, unknown>;
  /** Config trees, keyed by resource type (`models`, `seeds`, `snapshots`, `data_tests`, `sources`, `unit_tests`, `exposures`, `analyses`). */
  configTrees: Record<string, Record<string, unknown>>;
  /** The same trees as written, Jinja unrendered: what dbt records as a node's `unrendered_config` (and state:modified compares). */
  unrenderedConfigTrees: Record<string, Record<string, unknown>>;
  /** `query-comment:` as written (unrendered: rendered when a connection is used); undefined when absent, null when written empty. */
  queryComment?: unknown;
  /** Where each top-level key was written, for errors. */
  keyLines: Record<string, number>;
}

/** Renders one YAML string value that contains Jinja (env_var, var). */
export type YamlValueRenderer = (text: string, file: string, line: number | undefined) => unknown;

const CONFIG_TREE_KEYS = ['models', 'seeds', 'snapshots', 'data_tests', 'tests', 'sources', 'unit_tests', 'exposures', 'analyses', 'metrics', 'semantic_models', 'saved_queries'];
/**
 * Top-level keys dbt leaves unrendered at load time (its project renderer's
 * rule): run hooks and query-comment are rendered when they run, `vars:` when
 * var() reads them, in the caller's context.
 */
const UNRENDERED_TOP_LEVEL = new Set(['on-run-start', 'on-run-end', 'query-comment', 'vars']);
/** Model/seed/snapshot/test hooks, at any depth of a config tree, are rendered when they run. */
const UNRENDERED_HOOKS = new Set(['pre-hook', 'post-hook', 'pre_hook', 'post_hook']);
const KNOWN_TOP_LEVEL = new Set([
  'name', 'version', 'profile', 'config-version', 'model-paths', 'source-paths', 'macro-paths', 'seed-paths', 'data-paths',
  'test-paths', 'analysis-paths', 'snapshot-paths', 'docs-paths', 'asset-paths', 'target-path', 'log-path',
  'packages-install-path', 'modules-path', 'clean-targets', 'vars', 'require-dbt-version', 'on-run-start', 'on-run-end',
  'quoting', 'dispatch', 'query-comment', 'restrict-access', 'flags', 'dbt-cloud', ...CONFIG_TREE_KEYS,
]);

export function loadProjectConfig(root: string, render: YamlValueRenderer, displayFile = 'dbt_project.yml'): ProjectConfig {
  const path = join(root, 'dbt_project.yml');
  if (!inputExists(path)) {
    throw new TsdbtError('PROJECT_NOT_FOUND', `No dbt_project.yml found in ${root}`, {
      hint: 'Run tsdbt from a dbt project directory or pass --project-dir.',
    });
  }
  const parsed = parseYaml(readInput(path), displayFile);
  if (!isRecord(parsed.value)) {
    throw new TsdbtError('PROJECT_INVALID', 'dbt_project.yml must be a mapping of keys to values', { file: displayFile, line: 1 });
  }
  const raw = renderTree(parsed.value, (text, key) => render(text, displayFile, parsed.keyLine(parsed.value, key))) as Record<string, unknown>;
  const line = (key: string) => parsed.keyLine(parsed.value, key);
  const fail = (key: string, message: string, hint: string): never => {
    throw new TsdbtError('PROJECT_INVALID', message, { file: displayFile, line: line(key), hint });
  };

  const name = raw.name;
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    fail('name', `dbt_project.yml: 'name' must be a valid identifier (letters, digits, underscores), got ${JSON.stringify(name ?? null)}`, "Set e.g. `name: my_project`.");
  }
  const strings = (key: string, fallback: string[], ...aliases: string[]): string[] => {
    for (const k of [key, ...aliases]) {
      const v = raw[k];
      if (v === undefined || v === null) continue;
      if (typeof v === 'string') return [v];
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
      fail(k, `dbt_project.yml: '${k}' must be a list of strings`, `Write e.g. \`${k}: ["${fallback[0] ?? 'path'}"]\`.`);
    }
    return fallback;
  };
  const keyLines: Record<string, number> = {};
  for (const k of Object.keys(raw)) {
    const l = line(k);
    if (l !== undefined) keyLines[k] = l;
  }
  const configTrees: Record<string, Record<string, unknown>> = {};
  const unrenderedConfigTrees: Record<string, Record<string, unknown>> = {};
  for (const k of CONFIG_TREE_KEYS) {
    const v = raw[k];
    if (v === undefined || v === null) continue;
    if (!isRecord(v)) fail(k, `dbt_project.yml: '${k}' must be a mapping`, `Nest configs under the project name, e.g. \`${k}:\\n  ${String(name)}:\\n    +materialized: view\`.`);
    configTrees[k === 'tests' ? 'data_tests' : k] = { ...(configTrees[k === 'tests' ? 'data_tests' : k] ?? {}), ...(v as Record<string, unknown>) };
    const written = (parsed.value as Record<string, unknown>)[k];
    if (isRecord(written)) unrenderedConfigTrees[k === 'tests' ? 'data_tests' : k] = { ...(unrenderedConfigTrees[k === 'tests' ? 'data_tests' : k] ?? {}), ...written };
  }
  const dispatchRaw = raw.dispatch ?? [];
  if (!Array.isArray(dispatchRaw)) fail('dispatch', "dbt_project.yml: 'dispatch' must be a list", 'Write `dispatch:\\n  - macro_namespace: dbt_utils\\n    search_order: [my_project, dbt_utils]`.');
  const dispatch = (dispatchRaw as unknown[]).map((d) => {
    if (!isRecord(d) || typeof d.macro_namespace !== 'string' || !Array.isArray(d.search_order)) {
      return fail('dispatch', "dbt_project.yml: each 'dispatch' entry needs macro_namespace and search_order", 'Write `- macro_namespace: dbt_utils\\n  search_order: [my_project, dbt_utils]`.');
    }
    return { macro_namespace: d.macro_namespace, search_order: (d.search_order as unknown[]).map(String) };
  });
  const hooks = (key: string): string[] => {
    const v = raw[key];
    if (v === undefined || v === null) return [];
    return (Array.isArray(v) ? v : [v]).map(String);
  };
  const req = raw['require-dbt-version'];
  const cv = raw['config-version'];
  if (cv !== undefined && cv !== 2) fail('config-version', `dbt_project.yml: config-version ${String(cv)} is not supported`, 'Use `config-version: 2` (dbt >= 0.17).');
  const vars = raw.vars === undefined || raw.vars === null ? {} : raw.vars;
  if (!isRecord(vars)) fail('vars', "dbt_project.yml: 'vars' must be a mapping", 'Write `vars:\\n  my_var: value`.');
  return {
    root,
    file: displayFile,
    name: name as string,
    version: raw.version === undefined ? '1.0.0' : String(raw.version),
    profile: typeof raw.profile === 'string' ? raw.profile : null,
    configVersion: 2,
    modelPaths: strings('model-paths', ['models'], 'source-paths'),
    macroPaths: strings('macro-paths', ['macros']),
    seedPaths: strings('seed-paths', ['seeds'], 'data-paths'),
    testPaths: strings('test-paths', ['tests']),
    analysisPaths: strings('analysis-paths', ['analyses']),
    snapshotPaths: strings('snapshot-paths', ['snapshots']),
    docsPaths: raw['docs-paths'] === undefined ? null : strings('docs-paths', []),
    assetPaths: strings('asset-paths', []),
    targetPath: typeof raw['target-path'] === 'string' ? raw['target-path'] : 'target',
    packagesInstallPath: typeof raw['packages-install-path'] === 'string' ? raw['packages-install-path'] : typeof raw['modules-path'] === 'string' ? raw['modules-path'] : 'dbt_packages',
    cleanTargets: strings('clean-targets', ['target', 'dbt_packages']),
    vars: vars as Record<string, unknown>,
    requireDbtVersion: req === undefined || req === null ? [] : (Array.isArray(req) ? req : [req]).map(String),
    onRunStart: hooks('on-run-start'),
    onRunEnd: hooks('on-run-end'),
    quoting: isRecord(raw.quoting) ? raw.quoting : {},
    dispatch,
    restrictAccess: raw['restrict-access'] === true,
    flags: isRecord(raw.flags) ? raw.flags : {},
    configTrees,
    unrenderedConfigTrees,
    ...('query-comment' in raw ? { queryComment: raw['query-comment'] ?? null } : {}),
    keyLines,
  };
}

/** Unknown top-level keys of dbt_project.yml, for a warning with the nearest known key. */
export function unknownProjectKeys(config: ProjectConfig): string[] {
  return Object.keys(config.keyLines).filter((k) => !KNOWN_TOP_LEVEL.has(k));
}

/** Render every string containing Jinja, except what dbt renders later (hooks, vars, query-comment). */
function renderTree(value: unknown, render: (text: string, topKey: string) => unknown, topKey = '', key = ''): unknown {
  if (topKey === key && UNRENDERED_TOP_LEVEL.has(key)) return value;
  if (UNRENDERED_HOOKS.has(key.replace(/^[+ ]+/, ''))) return value;
  if (typeof value === 'string') return value.includes('{{') || value.includes('{%') ? render(value, topKey) : value;
  if (Array.isArray(value)) return value.map((v) => renderTree(v, render, topKey, ''));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderTree(v, render, topKey || k, k);
    return out;
  }
  return value;
}
