import type { Relation } from './relation.js';

/**
 * Which relations exist, per schema: filled once per schema (from the
 * database's information_schema) the first time a schema is asked about,
 * then kept current by the adapter methods materializations call
 * (create, drop, rename), so `adapter.get_relation` costs no query.
 * Names are matched case-insensitively, as DuckDB and Snowflake (unquoted) do.
 */
export class RelationCache {
  private readonly schemas = new Map<string, Map<string, Relation>>();

  constructor(private readonly load: (database: string | null, schema: string) => Relation[]) {}

  static schemaKey(database: string | null | undefined, schema: string | null | undefined): string {
    return `${(database ?? '').toLowerCase()}\u0000${(schema ?? '').toLowerCase()}`;
  }

  private schema(database: string | null, schema: string): Map<string, Relation> {
    const key = RelationCache.schemaKey(database, schema);
    let entries = this.schemas.get(key);
    if (!entries) {
      entries = new Map();
      for (const r of this.load(database, schema)) entries.set((r.identifier ?? '').toLowerCase(), r);
      this.schemas.set(key, entries);
    }
    return entries;
  }

  get(database: string | null, schema: string, identifier: string): Relation | null {
    return this.schema(database, schema).get(identifier.toLowerCase()) ?? null;
  }

  list(database: string | null, schema: string): Relation[] {
    return [...this.schema(database, schema).values()];
  }

  /** Record a relation a materialization created (only in schemas already cached). */
  add(relation: Relation): void {
    const entries = this.schemas.get(RelationCache.schemaKey(relation.database, relation.schema));
    entries?.set((relation.identifier ?? '').toLowerCase(), relation);
  }

  drop(relation: { database: string | null; schema: string | null; identifier: string | null }): void {
    this.schemas.get(RelationCache.schemaKey(relation.database, relation.schema))?.delete((relation.identifier ?? '').toLowerCase());
  }

  rename(from: Relation, to: Relation): void {
    const entries = this.schemas.get(RelationCache.schemaKey(from.database, from.schema));
    const existing = entries?.get((from.identifier ?? '').toLowerCase());
    this.drop(from);
    if (existing) this.add(to.type ? to : (to.incorporate({ type: existing.type, __keywords: true }) as Relation));
  }

  /** A new, empty schema is known to hold nothing: no need to list it. */
  schemaCreated(database: string | null, schema: string): void {
    const key = RelationCache.schemaKey(database, schema);
    if (!this.schemas.has(key)) this.schemas.set(key, new Map());
  }

  schemaDropped(database: string | null, schema: string): void {
    this.schemas.delete(RelationCache.schemaKey(database, schema));
  }

  /** Forget everything (e.g. after a statement the cache cannot follow). */
  clear(): void {
    this.schemas.clear();
  }

  /** Schemas cached so far, as [database, schema] keys. */
  cachedSchemaKeys(): string[] {
    return [...this.schemas.keys()];
  }
}
