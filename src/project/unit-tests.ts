import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledNode, UnitTestDefinition } from '../manifest/types.js';
import { csvDictRows } from './csv-dict-rows.js';
import { blankNode } from './node-defaults.js';
import type { RefIndex } from './resolve-refs.js';
import { forVersion, unitTestEntry } from './unit-test-entry.js';
import { inputTarget } from './unit-test-input.js';
import { mergeConfig } from './config-merge.js';
import { overRoot, type ProjectLayers } from './project-layers.js';
import { isRecord } from '../util/yaml.js';

type UnitTestDecl = Record<string, unknown> & { __file: string; __line?: number; __path?: string; __package?: string };
type Fixture = { rows?: unknown; format: 'dict' | 'csv' | 'sql'; fixture?: string | null };

/** What buildUnitTests needs from the rest of the parse besides the declarations. */
export interface UnitTestScope {
  /** The dbt_project.yml `unit_tests:` configs of a unit test with this fqn, declared in package `pkg` (project-layers.ts). */
  layersFor?: (pkg: string, fqn: string[]) => ProjectLayers;
  /** manifest.disabled: a disabled unit test's entry goes here, under its id. */
  disabled?: Record<string, unknown[]>;
}

/**
 * dbt 1.8 `unit_tests:` entries as unit_test nodes depending on the model
 * they test. A unit test of a versioned model becomes one node per version
 * it covers (every version, or those `versions: {include | exclude}` leave),
 * with dbt's ids `unit_test.<pkg>.<model>.<name>_v<version>`. `fixture:`
 * files are read here, from `<test-path>/fixtures/` of every test path (sub
 * folders too), into the fixture's `rows` as dbt does, so a missing one is
 * a parse error naming the YAML file and line. Its config is dbt's
 * (ContextConfig): the package's dbt_project.yml `unit_tests:` by fqn, its
 * own `config:` over that, and, for a package's test, the root project's
 * over both. A disabled one (by either) is not a node: as dbt's
 * add_disabled, its entry goes to manifest.disabled, unversioned, after
 * the same fixture checks; its model need not exist.
 */
export function buildUnitTests(
  decls: UnitTestDecl[],
  rootName: string,
  index: RefIndex,
  nodes: ReadonlyMap<string, CompiledNode>,
  errors: TsdbtError[],
  testPaths: readonly string[],
  /** A package's root folder by name (fixture files are read from the tested model's package). */
  rootOf: (pkg: string) => string,
  scope: UnitTestScope = {},
): Record<string, CompiledNode> {
  const out: Record<string, CompiledNode> = {};
  let versionsOf: Map<string, CompiledNode[]> | undefined;
  for (const d of decls) {
    if (typeof d.name !== 'string' || typeof d.model !== 'string') {
      errors.push(new TsdbtError('YAML_SCHEMA', "Each unit test needs 'name:' and 'model:'", { file: d.__file, line: d.__line, hint: 'Write `- name: test_x\\n  model: my_model\\n  given: [...]\\n  expect: {rows: [...]}`.' }));
      continue;
    }
    const model = index.resolveRef({ name: d.model }, rootName);
    // dbt: the package, the YAML file's folders under its model path, the model, the test.
    const pkg = model?.package_name ?? d.__package ?? rootName;
    const fqn = [pkg, ...d.__file.split('/').slice(1, -1), d.model, d.name];
    const config = unitTestConfig(d, pkg, fqn, scope);
    const enabled = config.enabled !== false;
    if (!model) {
      // dbt looks the model up only for an enabled test (process_models_for_unit_test).
      if (enabled) errors.push(modelNotFound(d, pkg, index, scope.disabled));
      else if (scope.disabled) disabledEntry(d, { pkg, fqn, config, model: undefined, rootOf, testPaths, index, rootName, errors, disabled: scope.disabled });
      continue;
    }
    if (!enabled) {
      if (scope.disabled) disabledEntry(d, { pkg, fqn, config, model, rootOf, testPaths, index, rootName, errors, disabled: scope.disabled });
      continue;
    }
    const def = definitionOf(d);
    try {
      for (const f of [...def.given, def.expect]) readFixture(f, d, rootOf(model.package_name), testPaths);
      readSeedInputs(def, d, index, rootName, rootOf);
      versionsOf ??= modelVersions(nodes);
      const uniqueId = `unit_test.${model.package_name}.${d.model}.${d.name}`;
      const entry = unitTestEntry(d, { def, uniqueId, packageName: model.package_name, fqn, config, schema: model.schema });
      const tags = entry.config.tags;
      for (const target of testedVersions(d, model, versionsOf)) {
        const suffix = target.version === null || target.version === undefined ? '' : `_v${String(target.version)}`;
        const node = blankNode({
          unique_id: `${uniqueId}${suffix}`,
          resource_type: 'unit_test',
          package_name: model.package_name,
          name: d.name,
          path: d.__file,
          original_file_path: d.__file,
          fqn: fqn.slice(),
          raw_code: '',
        });
        node.unit_test = def;
        node.description = typeof d.description === 'string' ? d.description : '';
        node.depends_on.nodes = [target.unique_id];
        node.attached_node = target.unique_id;
        if (suffix) node.version = target.version;
        node.config.materialized = 'unit';
        node.tags = tags.slice();
        node.config.tags = node.tags;
        node.config.meta = entry.config.meta;
        node.meta = entry.config.meta;
        node.manifest_entry = forVersion(entry, target, node.unique_id, suffix !== '');
        out[node.unique_id] = node;
      }
    } catch (e) {
      if (!(e instanceof TsdbtError)) throw e;
      errors.push(e);
    }
  }
  return out;
}

/**
 * dbt 1.10's error for an enabled unit test whose model is not an enabled
 * model of its package (process_models_for_unit_test): a disabled model
 * included, whose unit tests dbt 1.10 does not disable for it.
 */
function modelNotFound(d: UnitTestDecl, pkg: string, index: RefIndex, disabled: Record<string, unknown[]> | undefined): TsdbtError {
  const model = String(d.model);
  const isDisabled = disabled !== undefined && Object.hasOwn(disabled, `model.${pkg}.${model}`);
  const near = index.refError({ name: model }, { name: String(d.name), file: d.__file }).hint;
  return new TsdbtError('REF_NOT_FOUND', `Unable to find model '${pkg}.${model}' for unit test '${String(d.name)}' in ${d.__file}`, {
    file: d.__file,
    line: d.__line,
    hint: isDisabled ? `Model '${model}' is disabled: disable its unit test too (\`config: {enabled: false}\`).` : near,
  });
}

/** The definition tsdbt runs from a declaration (its fixture files not read yet). */
function definitionOf(d: UnitTestDecl): UnitTestDefinition {
  const given = (Array.isArray(d.given) ? d.given : []) as Record<string, unknown>[];
  const expect = (d.expect ?? {}) as Record<string, unknown>;
  return {
    model: String(d.model),
    given: given.map((g) => ({ input: String(g.input), rows: g.rows, format: (g.format as 'dict') ?? 'dict', fixture: (g.fixture as string) ?? null })),
    expect: { rows: expect.rows, format: (expect.format as 'dict') ?? 'dict', fixture: (expect.fixture as string) ?? null },
    overrides: (d.overrides as UnitTestDefinition['overrides']) ?? undefined,
  };
}

/** The unit test's config as dbt builds it: the project's layer, its own `config:` (tags appended, meta updated), the root's layer last. */
function unitTestConfig(d: UnitTestDecl, pkg: string, fqn: string[], scope: UnitTestScope): Record<string, unknown> {
  const own = isRecord(d.config) ? d.config : {};
  const layers = scope.layersFor?.(pkg, fqn);
  if (!layers) return mergeConfig({}, own);
  return overRoot(mergeConfig(layers.own, own), layers.root);
}

interface DisabledParts {
  pkg: string;
  fqn: string[];
  config: Record<string, unknown>;
  /** The tested model, when it resolves (dbt records it in depends_on). */
  model: CompiledNode | undefined;
  rootOf: (pkg: string) => string;
  testPaths: readonly string[];
  index: RefIndex;
  rootName: string;
  errors: TsdbtError[];
  disabled: Record<string, unknown[]>;
}

/** A disabled unit test's manifest.disabled entry, its fixtures read and checked first as dbt does. */
function disabledEntry(d: UnitTestDecl, p: DisabledParts): void {
  const def = definitionOf(d);
  try {
    for (const f of [...def.given, def.expect]) readFixture(f, d, p.rootOf(p.model?.package_name ?? p.pkg), p.testPaths);
    readSeedInputs(def, d, p.index, p.rootName, p.rootOf);
  } catch (e) {
    if (!(e instanceof TsdbtError)) throw e;
    p.errors.push(e);
    return;
  }
  const uniqueId = `unit_test.${p.pkg}.${def.model}.${String(d.name)}`;
  const entry = unitTestEntry(d, { def, uniqueId, packageName: p.pkg, fqn: p.fqn, config: p.config, schema: p.model?.schema ?? null });
  if (p.model) entry.depends_on = { macros: [], nodes: [p.model.unique_id] };
  (p.disabled[uniqueId] ??= []).push(entry);
}

/**
 * A `format: dict` input with neither `rows:` nor `fixture:` reads its
 * seed's rows, as dbt's parser does (UnitTestParser._load_rows_from_seed):
 * the seed's CSV as csv.DictReader reads it (text, its newlines as Python's
 * text files read them), into the definition the runner builds its CTE
 * from and the manifest entry writes. Any other input without rows is a
 * parse error, as in dbt (it names no seed).
 */
function readSeedInputs(def: UnitTestDefinition, d: UnitTestDecl, index: RefIndex, rootName: string, rootOf: (pkg: string) => string): void {
  for (const g of def.given) {
    if (g.format !== 'dict' || (g.rows !== undefined && g.rows !== null) || g.fixture) continue;
    const target = inputTarget(g.input);
    const seed = target?.kind === 'ref' ? index.resolveRef({ name: target.name, package: target.package }, rootName) : undefined;
    if (seed?.resource_type !== 'seed') {
      const named = target?.kind === 'ref' ? ` '${target.package ?? rootName}.${target.name}'` : '';
      throw new TsdbtError('UNIT_TEST_INVALID', `Unit test '${String(d.name)}' gives no rows for input ${g.input}: unable to find seed${named} (only a seed's rows are read when 'rows:' is left out)`, {
        file: d.__file,
        line: d.__line,
        hint: `Give its rows (\`rows: []\` for none), or a fixture file (\`format: csv\` and \`fixture: <name>\`).`,
      });
    }
    g.rows = seedFileRows(seed, rootOf);
  }
}

/** A seed's rows as dbt reads its CSV for a unit test. */
function seedFileRows(seed: CompiledNode, rootOf: (pkg: string) => string): Record<string, unknown>[] {
  let text: string;
  try {
    text = readFileSync(join(rootOf(seed.package_name), seed.original_file_path), 'utf8');
  } catch {
    // Gone since it was listed: no rows (the seed's own parse reports it).
    return [];
  }
  return csvDictRows(text.replace(/\r\n?/g, '\n'));
}

/** Versioned models by `<package>.<name>`, in version order as declared. */
function modelVersions(nodes: ReadonlyMap<string, CompiledNode>): Map<string, CompiledNode[]> {
  const out = new Map<string, CompiledNode[]>();
  for (const n of nodes.values()) {
    if (n.resource_type !== 'model' || n.version === null || n.version === undefined) continue;
    const key = `${n.package_name}.${n.name}`;
    out.set(key, [...(out.get(key) ?? []), n]);
  }
  return out;
}

/** The model nodes a unit test runs against: the model itself, or the versions `versions:` selects (dbt: all by default). */
function testedVersions(d: UnitTestDecl, model: CompiledNode, versionsOf: Map<string, CompiledNode[]>): CompiledNode[] {
  const raw = d.versions;
  const name = String(d.name);
  const where = { file: d.__file, line: d.__line };
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new TsdbtError('YAML_SCHEMA', `Unit test '${name}': versions must be a mapping with 'include' or 'exclude', got ${JSON.stringify(raw)}`, { ...where, hint: 'Write `versions: {include: [2]}` or `versions: {exclude: [1]}`.' });
  }
  const spec = (raw ?? {}) as Record<string, unknown>;
  const list = (key: string): string[] | undefined => {
    const v = spec[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) throw new TsdbtError('YAML_SCHEMA', `Unit test '${name}': versions.${key} must be a list of versions, got ${JSON.stringify(v)}`, { ...where, hint: `Write \`versions: {${key}: [2]}\`.` });
    return v.map(String);
  };
  const include = list('include');
  const exclude = list('exclude');
  if (include && exclude) {
    throw new TsdbtError('YAML_SCHEMA', `Unit test '${name}' sets both versions.include and versions.exclude`, { ...where, hint: 'Keep one: include lists the versions to test, exclude the versions to leave out.' });
  }
  const all = model.version === null || model.version === undefined ? [] : (versionsOf.get(`${model.package_name}.${model.name}`) ?? [model]);
  if (all.length === 0) {
    if (include?.length || exclude?.length) {
      throw new TsdbtError('UNIT_TEST_INVALID', `Unit test '${name}' should not have a versions include or exclude when referencing non-versioned model '${model.name}'`, { ...where, hint: 'Remove `versions:`, or declare versions of the model.' });
    }
    return [model];
  }
  const picked = all.filter((m) => (include ? include.includes(String(m.version)) : !exclude?.includes(String(m.version))));
  if (picked.length === 0) {
    throw new TsdbtError('UNIT_TEST_INVALID', `Unit test '${name}' referenced a version of '${model.name}' which was not found`, {
      ...where,
      hint: `Versions of '${model.name}': ${all.map((m) => String(m.version)).join(', ')}.`,
    });
  }
  return picked;
}

/**
 * A `fixture:` name read into `rows` (the file's text, CSV or SQL) from the
 * first `<test-path>/fixtures/**\/<name>.<format>` found, as dbt's fixture
 * files; a missing one names the YAML file and the line of its `fixture:`.
 */
function readFixture(f: Fixture, d: UnitTestDecl, projectRoot: string, testPaths: readonly string[]): void {
  if (!f.fixture) return;
  const name = String(f.fixture);
  const where = { file: d.__file, line: fixtureLine(join(projectRoot, d.__file), d.__line, name) ?? d.__line };
  if (f.format !== 'csv' && f.format !== 'sql') {
    throw new TsdbtError('UNIT_TEST_INVALID', `Unit test '${String(d.name)}' names fixture '${name}' with format ${String(f.format)}`, { ...where, hint: 'Fixture files need `format: csv` or `format: sql`.' });
  }
  const file = `${name}.${f.format}`;
  for (const p of testPaths) {
    const found = findFile(join(projectRoot, p, 'fixtures'), file);
    if (found) {
      f.rows = readFileSync(found, 'utf8');
      return;
    }
  }
  const dirs = testPaths.map((p) => `${p}/fixtures/`).join(', ');
  throw new TsdbtError('UNIT_TEST_INVALID', `File not found for fixture '${name}' of unit test '${String(d.name)}': no ${file} under ${dirs}`, {
    ...where,
    hint: `Create ${testPaths[0] ?? 'tests'}/fixtures/${file} (sub-folders work too), or fix the fixture name.`,
  });
}

function findFile(dir: string, base: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = findFile(full, base);
      if (inner) return inner;
    } else if (entry.name === base) return full;
  }
  return undefined;
}

/** The line of `fixture: <name>` at or after the unit test's own line (read only when reporting an error). */
function fixtureLine(path: string, from: number | undefined, name: string): number | undefined {
  let lines: string[];
  try {
    lines = readFileSync(path, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const quoted = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`\\bfixture\\s*:\\s*['"]?${quoted}['"]?\\s*(#.*)?$`);
  for (let i = Math.max(0, (from ?? 1) - 1); i < lines.length; i++) if (re.test(lines[i]!)) return i + 1;
  return undefined;
}
