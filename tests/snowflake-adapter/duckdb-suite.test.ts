import { defineAdapterSuite } from './shared-suite.js';
import { makeProject, type TestProject } from '../execute/harness.js';

// The shared suite on DuckDB: each project is its own dev.duckdb file; models land in schema `main`.
defineAdapterSuite({
  name: 'duckdb',
  project: (files) => makeProject(files),
  table: (_p, _schema, name) => `main.${name}`,
  query: async (p: TestProject, sql: string) => (await p.query(sql)).map(lowerKeys),
  sql: {
    // DuckDB's DDL is transactional: one `create or replace` inside the model's transaction.
    view: [/^create or replace view "dev"\."main"\."v" as \(/],
    table: [/^create or replace table "dev"\."main"\."t" as \(/],
    incremental_merge: [/^merge into "dev"\."main"\."orders" as DBT_INTERNAL_DEST\s+using "orders__dbt_tmp\d{20}" as DBT_INTERNAL_SOURCE\s+on \(\(DBT_INTERNAL_SOURCE\.id = DBT_INTERNAL_DEST\.id\)\)/],
    incremental_delete_insert: [/^delete from "dev"\."main"\."orders" as DBT_INTERNAL_DEST\s+using "orders__dbt_tmp\d{20}" as DBT_INTERNAL_SOURCE\s+where DBT_INTERNAL_SOURCE\.id = DBT_INTERNAL_DEST\.id\s+and DBT_INTERNAL_SOURCE\.status = DBT_INTERNAL_DEST\.status;/],
    incremental_append: [/^alter table "dev"\."main"\."orders" add column "amount" INTEGER$/, /^insert into "dev"\."main"\."orders" \("id", "status", "amount"\)\s+\(\s+select "id", "status", "amount"\s+from "orders__dbt_tmp\d{20}"\s+\)$/],
    incremental_microbatch: [
      /\(select \* from "dev"\."main"\."events_src" where ts >= '2024-01-02 00:00:00\+00:00' and ts < '2024-01-03 00:00:00\+00:00'\)/,
      /^delete from "dev"\."main"\."events"\s+where ts >= '2024-01-02 00:00:00\+00:00' and ts < '2024-01-03 00:00:00\+00:00';/,
    ],
    seed_create: [/^create table "dev"\."main"\."people" as select "id" as "id", .* from read_csv\(/],
    seed_reload: [/^delete from "dev"\."main"\."people"$/],
    snapshot_update: [/^update "dev"\."main"\."snap" as snap\s+set dbt_valid_to = changes\.dbt_change_time__/],
  },
});

function lowerKeys(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toLowerCase(), typeof v === 'bigint' ? Number(v) : v]));
}
