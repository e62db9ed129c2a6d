import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStatements } from '../../src/extract/index.js';
import { DuckDBConnection, openDuckDBInstance } from '../../src/adapters/duckdb/duckdb-connection.js';

describe('load SQL per dialect', () => {
  it('duckdb: the statements, and running them twice replaces the table', async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsdbt 'load' "));
    const file = join(dir, 'commits.parquet');
    const c = await DuckDBConnection.open(await openDuckDBInstance(':memory:'));
    await c.execute(`copy (select 1 as id, 'a' as name) to '${file.replace(/'/g, "''")}' (format parquet)`);
    const sql = loadStatements('duckdb', 'raw', 'commits', file);
    expect(sql).toEqual([
      'create schema if not exists "raw"',
      `create or replace table "raw"."commits" as select * from read_parquet('${file.replace(/'/g, "''")}')`,
    ]);
    for (let i = 0; i < 2; i++) for (const s of sql) await c.execute(s);
    expect((await c.execute('select * from raw.commits')).rows).toEqual([[1, 'a']]);
  });

  it('snowflake: PUT to the user stage, table from the file schema, COPY matching names case-insensitively', () => {
    expect(loadStatements('snowflake', 'raw', 'commits', '/p/data/raw/commits.parquet')).toEqual([
      'create schema if not exists raw',
      'create file format if not exists raw.tsdbt_extract_parquet type = parquet',
      'remove @~/tsdbt_extract/commits/',
      "put 'file:///p/data/raw/commits.parquet' @~/tsdbt_extract/commits/ auto_compress = false overwrite = true",
      "create or replace table raw.commits using template (select array_agg(object_construct('COLUMN_NAME', upper(column_name), 'TYPE', type, 'NULLABLE', nullable, 'EXPRESSION', expression)) within group (order by order_id) from table(infer_schema(location => '@~/tsdbt_extract/commits/', file_format => 'raw.tsdbt_extract_parquet')))",
      "copy into raw.commits from @~/tsdbt_extract/commits/ file_format = (format_name = 'raw.tsdbt_extract_parquet') match_by_column_name = case_insensitive",
    ]);
  });
});
