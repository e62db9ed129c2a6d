import type { AdapterInfo } from '../adapters/base/adapter-info.js';
import type { DatabaseSession } from '../adapters/base/database-session.js';
import type { MacroAccess } from '../adapters/base/jinja-adapter.js';
import type { Relation, RelationSpec } from '../adapters/base/relation.js';
import type { ResultTable } from '../adapters/base/result-table.js';

/**
 * The adapter-side objects a runtime context hands to templates. The context
 * layer sees adapters only through this interface (and types); the api layer
 * builds it for the chosen adapter (see adapters/base/runtime-kit.ts).
 */
export interface RuntimeKit {
  info: AdapterInfo;
  /** `adapter` in templates, with macros resolved in the render context. */
  jinjaAdapter(session: DatabaseSession, macros: MacroAccess): Record<string, unknown>;
  /** A relation rendered with the adapter's quoting, tagged with the node it stands for. */
  relation(spec: RelationSpec, nodeId?: string): Relation;
  /** An ephemeral model's CTE name, rendered bare. */
  cteRelation(name: string, nodeId: string): Relation;
  /** `--empty`: the relation with limit 0, rendered as an always-empty subquery (aliased only where the adapter's relation requires it). */
  emptyRelation(inner: Relation): Relation;
  /** A microbatch batch: the relation as `(select * from r where field >= 'start' and field < 'end')`. */
  eventTimeRelation(inner: Relation, field: string, start: string, end: string): Relation;
  emptyTable(): ResultTable;
  /** `load_agate_table()`: a seed's CSV as a typed table. */
  loadSeedTable(path: string, file: string, delimiter: string, columnTypes: Record<string, unknown>): ResultTable;
}
