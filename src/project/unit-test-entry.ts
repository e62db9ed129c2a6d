import type { CompiledNode, UnitTestDefinition, UnitTestEntry, UnitTestFixtureEntry } from '../manifest/types.js';
import { pyStrip } from '../util/py-strip.js';
import { csvFixtureRows } from './unit-test-csv.js';
import { unitTestChecksum } from './unit-test-checksum.js';

type Decl = Record<string, unknown> & { __file: string; __path?: string };

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What a unit test's entry takes besides its declaration. */
export interface EntryParts {
  /** Its definition, `fixture:` files read into `rows` (project/unit-tests.ts). */
  def: UnitTestDefinition;
  uniqueId: string;
  packageName: string;
  fqn: string[];
  /** Its config as dbt builds it (project/unit-tests.ts unitTestConfig): the YAML's own `config:` over dbt_project.yml's. */
  config: Record<string, unknown>;
  /** The schema of the model `model:` names. */
  schema: string | null;
}

/**
 * Unit test declaration `d` as dbt-core 1.10 writes it in manifest.json
 * (parser/unit_tests.py UnitTestParser): its fixtures' rows as dbt reads them
 * (CSV rows and CSV fixture files as rows of text, an empty value None; a
 * fixture file's text stripped; a dict input with neither rows nor fixture
 * has its seed's rows, read at parse (project/unit-tests.ts); the first row with no None moved to the top), the
 * checksum of all that, and the time it was made. One entry per declaration:
 * forVersion makes the entry of each tested version from it, as dbt copies it.
 */
export function unitTestEntry(d: Decl, parts: EntryParts): UnitTestEntry {
  const { def } = parts;
  const cfg = parts.config;
  const extra = Object.fromEntries(Object.entries(cfg).filter(([k]) => k !== 'tags' && k !== 'meta' && k !== 'enabled'));
  const tags = cfg.tags === undefined || cfg.tags === null ? [] : (Array.isArray(cfg.tags) ? cfg.tags : [cfg.tags]).map(String);
  const entry: UnitTestEntry = {
    model: def.model,
    given: def.given.map((g) => ({ input: g.input, ...fixtureEntry(g) })),
    expect: fixtureEntry(def.expect),
    name: String(d.name),
    resource_type: 'unit_test',
    package_name: parts.packageName,
    path: d.__path ?? d.__file.split('/').slice(1).join('/'),
    original_file_path: d.__file,
    unique_id: parts.uniqueId,
    fqn: parts.fqn,
    description: typeof d.description === 'string' ? d.description : '',
    overrides: overridesOf(d.overrides),
    depends_on: { macros: [], nodes: [] },
    config: { tags, meta: isRecord(cfg.meta) ? cfg.meta : {}, enabled: cfg.enabled !== false, ...extra },
    checksum: '',
    schema: parts.schema,
    created_at: Date.now() / 1000,
    versions: versionsOf(d.versions),
    version: null,
  };
  entry.checksum = unitTestChecksum(entry);
  return entry;
}

/** `entry` as the unit test of `target` (a version of the model, or the model): its id, its dependency and, versioned, its version. */
export function forVersion(entry: UnitTestEntry, target: CompiledNode, uniqueId: string, versioned: boolean): UnitTestEntry {
  return { ...entry, unique_id: uniqueId, depends_on: { macros: [], nodes: [target.unique_id] }, version: versioned ? (target.version ?? null) : null };
}

/** A fixture as dbt normalises it (UnitTestParser._validate_and_normalize_rows). */
function fixtureEntry(f: UnitTestDefinition['expect']): UnitTestFixtureEntry {
  const fixture = f.fixture ?? null;
  let rows: unknown = f.rows ?? null;
  if (f.format === 'csv' && typeof rows === 'string') {
    rows = csvFixtureRows(rows, fixture !== null);
  } else if (f.format === 'sql' && fixture && typeof rows === 'string') rows = pyStrip(rows).text;
  if ((f.format === 'dict' || f.format === 'csv') && Array.isArray(rows) && rows.length > 0) rows = firstFullRowFirst(rows);
  return { rows, format: f.format, fixture };
}

/** The rows with the first one holding no None swapped with the first row (dbt: a column's type is read from its first value). */
function firstFullRowFirst(rows: unknown[]): unknown[] {
  const i = rows.findIndex((r) => isRecord(r) && Object.values(r).every((v) => v !== null && v !== undefined));
  if (i <= 0) return rows;
  const out = rows.slice();
  [out[0], out[i]] = [out[i], out[0]];
  return out;
}

function overridesOf(o: unknown): UnitTestEntry['overrides'] {
  if (!isRecord(o)) return null;
  const dict = (v: unknown) => (isRecord(v) ? v : {});
  return { macros: dict(o.macros), vars: dict(o.vars), env_vars: dict(o.env_vars) };
}

function versionsOf(v: unknown): UnitTestEntry['versions'] {
  if (!isRecord(v)) return null;
  const list = (x: unknown) => (Array.isArray(x) ? x : null);
  return { include: list(v.include), exclude: list(v.exclude) };
}
