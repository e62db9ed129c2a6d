import type { Manifest } from '../manifest/types.js';

/** One row of the catalog query (see include/global/macros/catalog). */
export interface CatalogRow {
  table_database: string | null;
  table_schema: string;
  table_name: string;
  table_type: string;
  column_name: string;
  column_index: number;
  column_type: string;
}

interface CatalogEntry {
  metadata: { type: string; schema: string; name: string; database: string | null; comment: string | null; owner: string | null };
  columns: Record<string, { type: string; index: number; name: string; comment: string | null }>;
  stats: Record<string, unknown>;
  unique_id: string;
}

export interface Catalog {
  metadata: Record<string, unknown>;
  nodes: Record<string, CatalogEntry>;
  sources: Record<string, CatalogEntry>;
  errors: string[] | null;
}

const key = (db: string | null | undefined, schema: string | null | undefined, name: string | null | undefined) =>
  `${(db ?? '').toLowerCase()}.${(schema ?? '').toLowerCase()}.${(name ?? '').toLowerCase()}`;

/** catalog.json (dbt's v1 shape): what the database says about each node's and source's relation. */
export function buildCatalog(manifest: Manifest, rows: readonly CatalogRow[], meta: Record<string, unknown>): Catalog {
  const tables = new Map<string, CatalogRow[]>();
  for (const r of rows) {
    const k = key(r.table_database, r.table_schema, r.table_name);
    const list = tables.get(k) ?? [];
    list.push(r);
    tables.set(k, list);
  }
  const entry = (uniqueId: string, db: string | null, schema: string, name: string): CatalogEntry | undefined => {
    const cols = tables.get(key(db, schema, name)) ?? (db === null ? undefined : undefined);
    if (!cols || cols.length === 0) return undefined;
    const first = cols[0]!;
    return {
      metadata: { type: first.table_type.toUpperCase().includes('VIEW') ? 'VIEW' : 'BASE TABLE', schema: first.table_schema, name: first.table_name, database: first.table_database, comment: null, owner: null },
      columns: Object.fromEntries(cols.map((c) => [c.column_name, { type: c.column_type, index: Number(c.column_index), name: c.column_name, comment: null }])),
      stats: { has_stats: { id: 'has_stats', label: 'Has Stats?', value: false, include: false, description: 'Indicates whether there are statistics for this table' } },
      unique_id: uniqueId,
    };
  };
  const nodes: Record<string, CatalogEntry> = {};
  for (const n of Object.values(manifest.nodes)) {
    if (!['model', 'seed', 'snapshot'].includes(n.resource_type) || n.config.materialized === 'ephemeral') continue;
    const e = entry(n.unique_id, n.database, n.schema, n.alias);
    if (e) nodes[n.unique_id] = e;
  }
  const sources: Record<string, CatalogEntry> = {};
  for (const s of Object.values(manifest.sources)) {
    const e = entry(s.unique_id, s.database, s.schema, s.identifier);
    if (e) sources[s.unique_id] = e;
  }
  return { metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/catalog/v1.json', ...meta }, nodes, sources, errors: null };
}
