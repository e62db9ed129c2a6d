import type { Manifest } from '../manifest/types.js';
import type { Catalog } from './catalog.js';

/** A test on a column or a model, with the configuration a reader wants to see. */
export interface DocTest {
  name: string;
  test: string;
  severity: string;
  args: Record<string, unknown>;
  where?: string;
}

/** What the docs page needs of each resource; kept small so the page loads fast. */
export interface DocEntry {
  id: string;
  type: string;
  name: string;
  pkg: string;
  path: string;
  /** Folder path inside the package for the project tree, e.g. `models/staging`. */
  folder: string;
  database: string | null;
  schema: string | null;
  relation: string | null;
  description: string;
  materialized?: string;
  tags: string[];
  columns: { name: string; type: string; description: string; tests: string[]; testDetails?: DocTest[] }[];
  /** Tests not on a column (singular tests, model-level generic tests). */
  tests?: DocTest[];
  parents: string[];
  children: string[];
  raw: string;
  compiled: string;
  owner?: { name?: string; email?: string };
  url?: string | null;
  maturity?: string | null;
  exposureType?: string;
}

export interface DocMacro {
  id: string;
  name: string;
  pkg: string;
  path: string;
  description: string;
  args: { name: string; type: string; description: string }[];
  sql: string;
}

export interface DocsData {
  project: string;
  /** The project's `__overview__` docs block (markdown), or '' for the generated summary. */
  overview: string;
  entries: DocEntry[];
  macros: DocMacro[];
  /** Test nodes as lineage members (id → name), so the graph can name them. */
  generatedAt: string;
}

function testOf(n: Manifest['nodes'][string]): DocTest {
  const meta = n.test_metadata!;
  const kwargs = Object.fromEntries(Object.entries(meta.kwargs ?? {}).filter(([k]) => k !== 'model' && k !== 'column_name'));
  const where = n.config.where;
  return { name: n.name, test: meta.namespace ? `${meta.namespace}.${meta.name}` : meta.name, severity: String(n.config.severity ?? 'ERROR').toUpperCase(), args: kwargs, ...(typeof where === 'string' ? { where } : {}) };
}

/**
 * The resources, macros and lineage the docs page shows, from the manifest and catalog. The macros of
 * `internalPackages` (tsdbt's own: dbt's and the adapter's, not the project's) stay out.
 */
export function docsData(projectName: string, manifest: Manifest, catalog: Catalog, internalPackages: ReadonlySet<string>, generatedAt = new Date().toISOString()): DocsData {
  const testsOn = new Map<string, DocTest[]>();
  const modelTests = new Map<string, DocTest[]>();
  for (const n of Object.values(manifest.nodes)) {
    if (n.resource_type !== 'test') continue;
    if (n.test_metadata && n.attached_node && n.column_name) {
      const k = `${n.attached_node}|${n.column_name}`;
      testsOn.set(k, [...(testsOn.get(k) ?? []), testOf(n)]);
    } else {
      const parents = n.attached_node ? [n.attached_node] : (manifest.parent_map[n.unique_id] ?? []);
      const t = n.test_metadata ? testOf(n) : { name: n.name, test: n.name, severity: String(n.config.severity ?? 'ERROR').toUpperCase(), args: {} };
      for (const p of parents) modelTests.set(p, [...(modelTests.get(p) ?? []), t]);
    }
  }
  const out: DocEntry[] = [];
  const add = (
    m: { unique_id: string; resource_type: string; name: string; package_name: string; original_file_path: string; description: string; tags: string[]; columns?: Record<string, { name: string; description: string; data_type?: string | null }> },
    extra: Partial<DocEntry>,
  ) => {
    const cat = catalog.nodes[m.unique_id] ?? catalog.sources[m.unique_id];
    const names = new Set([...Object.keys(m.columns ?? {}), ...Object.keys(cat?.columns ?? {})]);
    const findCat = (name: string) => cat?.columns[name] ?? Object.values(cat?.columns ?? {}).find((c) => c.name.toLowerCase() === name.toLowerCase());
    const folder = m.original_file_path.includes('/') ? m.original_file_path.slice(0, m.original_file_path.lastIndexOf('/')) : '';
    out.push({
      id: m.unique_id,
      type: m.resource_type,
      name: m.name,
      pkg: m.package_name,
      path: m.original_file_path,
      folder,
      database: null,
      schema: null,
      relation: null,
      description: m.description,
      tags: m.tags,
      columns: [...names]
        .filter((n, i, all) => all.findIndex((x) => x.toLowerCase() === n.toLowerCase()) === i)
        .map((name) => {
          const details = testsOn.get(`${m.unique_id}|${name}`) ?? [];
          return {
            name,
            type: findCat(name)?.type ?? m.columns?.[name]?.data_type ?? '',
            description: m.columns?.[name]?.description ?? '',
            tests: details.map((t) => t.test),
            ...(details.length ? { testDetails: details } : {}),
          };
        }),
      ...(modelTests.has(m.unique_id) ? { tests: modelTests.get(m.unique_id) } : {}),
      parents: (manifest.parent_map[m.unique_id] ?? []).filter((p) => !p.startsWith('test.')),
      children: (manifest.child_map[m.unique_id] ?? []).filter((c) => !c.startsWith('test.') && !c.startsWith('unit_test.')),
      raw: '',
      compiled: '',
      ...extra,
    });
  };
  for (const n of Object.values(manifest.nodes)) {
    if (!['model', 'seed', 'snapshot', 'analysis'].includes(n.resource_type)) continue;
    add(n, { relation: n.relation_name, database: n.database, schema: n.schema, materialized: n.config.materialized, raw: n.raw_code, compiled: n.compiled_code ?? '' });
  }
  for (const s of Object.values(manifest.sources)) add(s, { relation: s.relation_name, database: s.database ?? null, schema: s.schema, name: `${s.source_name}.${s.name}` });
  for (const e of Object.values(manifest.exposures)) add(e, { exposureType: e.type, owner: e.owner, url: e.url ?? null, maturity: e.maturity ?? null, name: e.label ? String(e.label) : e.name });
  const macros: DocMacro[] = Object.values(manifest.macros)
    .filter((m) => !internalPackages.has(m.package_name))
    .map((m) => ({ id: m.unique_id, name: m.name, pkg: m.package_name, path: m.original_file_path, description: m.description, args: m.arguments.map((a) => ({ name: a.name, type: a.type ?? '', description: a.description })), sql: m.macro_sql }))
    .sort((a, b) => a.pkg.localeCompare(b.pkg) || a.name.localeCompare(b.name));
  const overviewDoc = manifest.docs[`doc.${projectName}.__overview__`] ?? Object.values(manifest.docs).find((d) => d.name === '__overview__' && d.package_name === projectName);
  return {
    project: projectName,
    overview: overviewDoc?.block_contents ?? '',
    entries: out.sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name)),
    macros,
    generatedAt,
  };
}
