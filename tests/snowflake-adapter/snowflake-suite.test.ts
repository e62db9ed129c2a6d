import { afterAll, beforeAll } from 'vitest';
import { defineAdapterSuite } from './shared-suite.js';
import { startSnowflakeDoubleInWorker, type WorkerSnowflakeDouble } from '../support/snowflake-double/double-worker.js';
import { makeSnowflakeProject, sfQuery } from './sf-harness.js';

// The shared suite on Snowflake: the real snowflake-sdk against the wire-protocol double (in a worker
// thread, since rendering blocks this one). Each test builds in its own schema of database ANALYTICS.
let double: WorkerSnowflakeDouble;
beforeAll(async () => {
  double = await startSnowflakeDoubleInWorker();
});
afterAll(async () => {
  await double?.close();
});

const rel = (schema: string, name: string) => `ANALYTICS\\.${schema}\\.${name}`;

defineAdapterSuite({
  name: 'snowflake',
  project: (files, schema) => makeSnowflakeProject(files, double.port, { schema }),
  table: (_p, schema, name) => `analytics.${schema}.${name}`,
  query: async (_p, sql) => (await sfQuery(double, sql)).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toLowerCase(), v]))),
  sql: {
    view: [new RegExp(`^create or replace view ${rel('SUITE_VT', 'v')} as \\(`)],
    table: [new RegExp(`^create or replace transient table ${rel('SUITE_VT', 't')} as \\(`)],
    incremental_merge: [
      new RegExp(`^create or replace temporary view ${rel('SUITE_MERGE', 'orders__dbt_tmp')} as \\(`),
      new RegExp(`^merge into ${rel('SUITE_MERGE', 'orders')} as DBT_INTERNAL_DEST\\s+using ${rel('SUITE_MERGE', 'orders__dbt_tmp')} as DBT_INTERNAL_SOURCE\\s+on \\(\\(DBT_INTERNAL_SOURCE\\.id = DBT_INTERNAL_DEST\\.id\\)\\)\\s+when matched then update set`),
      new RegExp(`^drop view if exists ${rel('SUITE_MERGE', 'orders__dbt_tmp')}$`),
    ],
    incremental_delete_insert: [
      new RegExp(`^create or replace temporary table ${rel('SUITE_DI', 'orders__dbt_tmp')} as \\(`),
      new RegExp(`^delete from ${rel('SUITE_DI', 'orders')} as DBT_INTERNAL_DEST\\s+where \\(id, status\\) in \\(\\s+select distinct id, status\\s+from ${rel('SUITE_DI', 'orders__dbt_tmp')} as DBT_INTERNAL_SOURCE\\s+\\);`),
    ],
    incremental_microbatch: [
      new RegExp(`\\(select \\* from ${rel('SUITE_MB', 'events_src')} where ts >= '2024-01-02 00:00:00\\+00:00' and ts < '2024-01-03 00:00:00\\+00:00'\\)`),
      new RegExp(`^delete from ${rel('SUITE_MB', 'events')} DBT_INTERNAL_TARGET\\s+where DBT_INTERNAL_TARGET\\.ts >= to_timestamp_tz\\('2024-01-02 00:00:00\\+00:00'\\)`),
    ],
    incremental_append: [
      /^\s*describe table ANALYTICS\.SUITE_APPEND\.orders__dbt_tmp\s*$/,
      /^alter table ANALYTICS\.SUITE_APPEND\.(orders|ORDERS) add column "AMOUNT" NUMBER\(38,0\)$/,
      /^insert into ANALYTICS\.SUITE_APPEND\.orders \("ID", "STATUS", "AMOUNT"\)\s+\(\s+select "ID", "STATUS", "AMOUNT"\s+from ANALYTICS\.SUITE_APPEND\.orders__dbt_tmp\s+\)$/,
    ],
    seed_create: [
      /^create or replace transient table ANALYTICS\.SUITE_SEED\.people \(\s+"id" integer,\s+"name" varchar,\s+"score" float,\s+"active" boolean,\s+"born" date\s+\)$/,
      /^insert into ANALYTICS\.SUITE_SEED\.people \("id", "name", "score", "active", "born"\) values\s+\(1, 'ann', 1\.5, true, '2020-01-01'\),\s+\(2, 'o''brien, b', 2, false, '2021-02-03'\)$/,
    ],
    seed_reload: [/^delete from ANALYTICS\.SUITE_SEED\.people$/, /^insert into ANALYTICS\.SUITE_SEED\.people .* values\s+\(3, 'c\\\\d', 0\.25, true, '2022-03-04'\)$/],
    snapshot_update: [/^merge into ANALYTICS\.SUITE_SNAP\.snap as DBT_INTERNAL_DEST/],
  },
});
