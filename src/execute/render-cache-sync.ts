import type { AdapterInfo } from '../adapters/base/adapter-info.js';
import type { RelationCache } from '../adapters/base/relation-cache.js';
import type { Relation, RelationType } from '../adapters/base/relation.js';
import type { CacheEvent, RelationSpecWire } from './render-protocol.js';

/**
 * Keeps the relation caches of several threads in step, as dbt's one shared
 * cache is: each thread records the changes its materializations make to
 * its own cache, sends them with the node's result, and the coordinator
 * replays them on its cache and hands them to every other thread with that
 * thread's next node. A node only runs after its parents' results reached
 * the coordinator, so it always sees the relations they created.
 */
export class CacheSync {
  private events: CacheEvent[] = [];
  private readonly original: Pick<RelationCache, 'add' | 'drop' | 'schemaCreated' | 'schemaDropped'>;

  /** Start recording `cache`'s changes (its add/drop/schema methods are wrapped; rename goes through add and drop). */
  constructor(
    private readonly cache: RelationCache,
    private readonly info: AdapterInfo,
    record = true,
  ) {
    this.original = {
      add: cache.add.bind(cache),
      drop: cache.drop.bind(cache),
      schemaCreated: cache.schemaCreated.bind(cache),
      schemaDropped: cache.schemaDropped.bind(cache),
    };
    if (!record) return;
    cache.add = (relation) => {
      this.events.push({ op: 'add', relation: toWire(relation) });
      this.original.add(relation);
    };
    cache.drop = (relation) => {
      this.events.push({ op: 'drop', relation: toWire(relation) });
      this.original.drop(relation);
    };
    cache.schemaCreated = (database, schema) => {
      this.events.push({ op: 'schemaCreated', database, schema });
      this.original.schemaCreated(database, schema);
    };
    cache.schemaDropped = (database, schema) => {
      this.events.push({ op: 'schemaDropped', database, schema });
      this.original.schemaDropped(database, schema);
    };
  }

  /**
   * The changes recorded since the last call. After a failed node they may
   * describe rolled-back DDL, so the others are told to forget instead
   * (their caches refill from the database when next asked).
   */
  take(failed = false): CacheEvent[] {
    const out = failed && this.events.length > 0 ? [{ op: 'clear' } as CacheEvent] : this.events;
    this.events = [];
    return out;
  }

  /** Replay another thread's changes (not recorded again). */
  apply(events: readonly CacheEvent[]): void {
    for (const e of events) {
      switch (e.op) {
        case 'add':
          this.original.add(this.info.makeRelation({ ...e.relation, type: (e.relation.type ?? null) as RelationType }));
          break;
        case 'drop':
          this.original.drop(e.relation);
          break;
        case 'schemaCreated':
          this.original.schemaCreated(e.database, e.schema);
          break;
        case 'schemaDropped':
          this.original.schemaDropped(e.database, e.schema);
          break;
        case 'clear':
          this.cache.clear();
          break;
      }
    }
  }
}

function toWire(r: Pick<Relation, 'database' | 'schema' | 'identifier'> & { type?: RelationType }): RelationSpecWire {
  return { database: r.database, schema: r.schema, identifier: r.identifier, type: r.type ?? null };
}
