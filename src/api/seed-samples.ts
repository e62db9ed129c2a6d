import { isWholeNumberType } from '../adapters/base/agate-print.js';
import type { ResultColumn } from '../adapters/base/connection.js';
import type { DatabaseSession } from '../adapters/base/database-session.js';
import type { NodeResult } from '../execute/node-result.js';

/** A random sample of a seed's rows, as `dbt seed --show` prints it. */
export interface SeedSample {
  schema: string;
  alias: string;
  columns: ResultColumn[];
  /** At most SAMPLE_ROWS + 1 rows: one more than is printed says the table has more. */
  rows: unknown[][];
}

/** dbt's seed --show prints ten rows of each seed (agate's print_table(max_rows=10)). */
export const SAMPLE_ROWS = 10;

/**
 * `seed --show`: each seed loaded, its rows in random order, as dbt's
 * show_table samples the table it loaded. Whole-number columns are typed as
 * decimals: dbt's table is its CSV read by agate, where a number column is
 * a Number (printed grouped, `1,234`), not an int.
 */
export function sampleSeeds(session: DatabaseSession, results: readonly NodeResult[]): SeedSample[] {
  const out: SeedSample[] = [];
  for (const r of results) {
    const node = r.node;
    if (node.resource_type !== 'seed' || r.status !== 'success' || !node.relation_name) continue;
    const { raw } = session.execute(`select * from ${node.relation_name} order by random() limit ${SAMPLE_ROWS + 1}`);
    const columns = raw.columns.map((c) => ({ name: c.name, type: isWholeNumberType(c.type) ? 'DECIMAL' : c.type }));
    out.push({ schema: node.schema, alias: node.alias ?? node.name, columns, rows: raw.rows });
  }
  session.commit();
  return out;
}
