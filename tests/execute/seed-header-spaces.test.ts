/**
 * A seed whose header names carry spaces (dbt_iterable's
 * `" updated_by_user_id"`): DuckDB's CSV reader trims them, agate keeps
 * them, and dbt names the table's columns as agate does. tsdbt types the
 * columns by position, so the load works, and names them as dbt:
 * unquoted (quote_columns false) the space is SQL whitespace, quoted it
 * stays in the name.
 */
import { describe, expect, it } from 'vitest';
import { build } from '../../src/api/run.js';
import { makeProject, statuses } from './harness.js';

const csv = 'id," updated_by",label \n1,7,x\n2,,y\n';

describe('seed header names with spaces', () => {
  it('load by position; columns named as agate reads the header', async () => {
    const p = makeProject({
      'seeds/plain.csv': csv,
      'seeds/quoted.csv': csv,
      'seeds/props.yml': `version: 2
seeds:
  - name: plain
    config:
      quote_columns: false
      column_types: {' updated_by': varchar}
  - name: quoted
    config:
      quote_columns: true
`,
    });
    const r = await build(p.opts);
    expect(statuses(r.results)).toEqual({ plain: 'success', quoted: 'success' });
    const columns = (t: string) => p.query(`select column_name, data_type from information_schema.columns where table_name = '${t}' order by ordinal_position`);
    expect(await columns('plain')).toEqual([
      { column_name: 'id', data_type: 'INTEGER' },
      { column_name: 'updated_by', data_type: 'VARCHAR' },
      { column_name: 'label', data_type: 'VARCHAR' },
    ]);
    expect(await columns('quoted')).toEqual([
      { column_name: 'id', data_type: 'INTEGER' },
      { column_name: ' updated_by', data_type: 'INTEGER' },
      { column_name: 'label ', data_type: 'VARCHAR' },
    ]);
    expect(await p.query('select * from plain order by id')).toEqual([{ id: 1, updated_by: '7', label: 'x' }, { id: 2, updated_by: null, label: 'y' }]);
  });
});
