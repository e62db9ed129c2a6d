import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/api/run.js';
import { DuckDBConnection, openDuckDBInstance } from '../../src/adapters/duckdb/duckdb-connection.js';
import { makeProject, statuses, type TestProject } from './harness.js';

/**
 * Every materialization on any schema and database: one project (a table, a
 * view, a seed, twelve incrementals, six snapshots) built twice — the data
 * and the incrementals' columns change in between — under four placements:
 * the profile's schema `main`, another profile schema, a custom `+schema`,
 * and a second attached database (`+database`). After each run the rows and
 * columns are asserted, every relation must sit where the target says, and
 * nothing (no `__dbt_tmp`, no staging table) may be left anywhere else.
 */

const STRATEGIES = { append: 'append', merge: 'merge', delins: 'delete+insert' } as const;
const SCHEMA_CHANGES = ['ignore', 'fail', 'append_new_columns', 'sync_all_columns'] as const;
const HARD_DELETES = ['ignore', 'invalidate', 'new_record'] as const;

const incName = (s: string, osc: string) => `inc_${s}_${osc}`;
const snapName = (strategy: string, hd: string) => `snap_${strategy}_${hd}`;

/** src: row 2 changes and row 3 arrives in phase 2; events (a view) only gains row 3. */
const SRC = `{{ config(materialized='table') }}
select id, v, cast(updated_at as timestamp) as updated_at, old, extra from (values
{%- if var('phase') == 1 %} (1, 'a', '2024-01-01', 'o1', 'e1'), (2, 'b', '2024-01-01', 'o2', 'e2')
{%- else %} (1, 'a', '2024-01-01', 'o1', 'e1'), (2, 'B', '2024-02-01', 'o2', 'e2'), (3, 'c', '2024-02-01', 'o3', 'e3')
{%- endif %}) t(id, v, updated_at, old, extra)
`;
const EVENTS = `{{ config(materialized='view') }}
select id, v, updated_at, old, extra from {{ ref('src') }} where id <> 2
union all select 2, 'b', timestamp '2024-01-01', 'o2', 'e2'
`;
const SNAP_SRC = `{{ config(materialized='table') }}
select id, v, cast(updated_at as timestamp) as updated_at from (values
{%- if var('phase') == 1 %} (1, 'a', '2024-01-01'), (2, 'b', '2024-01-01'), (3, 'c', '2024-01-01')
{%- else %} (1, 'a', '2024-01-01'), (2, 'B', '2024-02-01'), (4, 'd', '2024-02-01')
{%- endif %}) t(id, v, updated_at)
`;

/** Phase 1 selects (id, v, updated_at, old); phase 2 adds extra and drops old (ignore keeps old: dropping a column fails under ignore, as in dbt). */
function incremental(strategy: keyof typeof STRATEGIES, osc: string): string {
  const from = strategy === 'append' ? 'events' : 'src';
  const filter = strategy === 'append' ? 'id > (select max(id) from {{ this }})' : 'updated_at > (select max(updated_at) from {{ this }})';
  const key = strategy === 'append' ? '' : ", unique_key='id'";
  return `{{ config(materialized='incremental', incremental_strategy='${STRATEGIES[strategy]}'${key}, on_schema_change='${osc}') }}
select id, v, updated_at{% if var('phase') == 1 or ${osc === 'ignore' ? 'true' : 'false'} %}, old{% endif %}{% if var('phase') == 2 %}, extra{% endif %}
from {{ ref('${from}') }}
{% if is_incremental() %}where ${filter}{% endif %}
`;
}

function snapshotFile(strategy: 'timestamp' | 'check', hd: string): string {
  const cfg = strategy === 'timestamp' ? "strategy='timestamp', updated_at='updated_at'" : "strategy='check', check_cols=['v']";
  return `{% snapshot ${snapName(strategy, hd)} %}
{{ config(unique_key='id', ${cfg}, hard_deletes='${hd}') }}
select * from {{ ref('snap_src') }}
{% endsnapshot %}
`;
}

const SEED = { 1: 'id,name\n1,x\n2,y\n', 2: 'id,name\n1,x\n3,z\n' } as const;

interface Placement {
  label: string;
  /** Extra lines of the profile output. */
  profile: string;
  /** Extra lines under models:/seeds:/snapshots: of dbt_project.yml (indented under the project name). */
  config: string;
  catalog: string;
  schema: string;
}

const PLACEMENTS: Placement[] = [
  { label: "profile schema 'main'", profile: '      schema: main\n', config: '', catalog: 'dev', schema: 'main' },
  { label: 'another profile schema', profile: '      schema: analytics_dev\n', config: '', catalog: 'dev', schema: 'analytics_dev' },
  { label: 'a custom +schema', profile: '      schema: analytics_dev\n', config: '      +schema: custom\n', catalog: 'dev', schema: 'analytics_dev_custom' },
  {
    label: 'a second attached database',
    profile: '      schema: analytics_dev\n      attach:\n        - path: other.duckdb\n          alias: other\n',
    config: '      +database: other\n',
    catalog: 'other',
    schema: 'analytics_dev',
  },
];

function projectFiles(pl: Placement): Record<string, string> {
  const files: Record<string, string> = {
    'dbt_project.yml': `name: m\nprofile: m\nconfig-version: 2\nmodels:\n  m:\n${pl.config || '      +enabled: true\n'}seeds:\n  m:\n${pl.config || '      +enabled: true\n'}snapshots:\n  m:\n${pl.config || '      +enabled: true\n'}`,
    'profiles.yml': `m:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n      threads: 1\n${pl.profile}`,
    'models/src.sql': SRC,
    'models/events.sql': EVENTS,
    'models/snap_src.sql': SNAP_SRC,
    'seeds/seed_a.csv': SEED[1],
  };
  for (const s of Object.keys(STRATEGIES) as (keyof typeof STRATEGIES)[]) {
    for (const osc of SCHEMA_CHANGES) files[`models/${incName(s, osc)}.sql`] = incremental(s, osc);
  }
  for (const strategy of ['timestamp', 'check'] as const) {
    for (const hd of HARD_DELETES) files[`snapshots/${snapName(strategy, hd)}.sql`] = snapshotFile(strategy, hd);
  }
  return files;
}

const ALL_NAMES = [
  'src', 'events', 'snap_src', 'seed_a',
  ...Object.keys(STRATEGIES).flatMap((s) => SCHEMA_CHANGES.map((osc) => incName(s, osc))),
  ...['timestamp', 'check'].flatMap((st) => HARD_DELETES.map((hd) => snapName(st, hd))),
].sort();

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** Open the project's database (the second one attached) for the assertions of one run, then release it for the next. */
async function inspect(p: TestProject, check: (q: Query) => Promise<void>): Promise<void> {
  const instance = await openDuckDBInstance(join(p.dir, 'dev.duckdb'));
  const conn = await DuckDBConnection.open(instance);
  try {
    await conn.execute(`attach if not exists '${join(p.dir, 'other.duckdb')}' as other`);
    await check(async (sql) => {
      const r = await conn.execute(sql);
      return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
    });
  } finally {
    await conn.close();
    instance.closeSync();
  }
}

describe('every materialization on any schema and database', () => {
  for (const pl of PLACEMENTS) {
    it(`builds twice on ${pl.label}: rows, columns and placement after each run`, async () => {
      const p = makeProject(projectFiles(pl), 'm');
      const rel = (name: string) => `"${pl.catalog}"."${pl.schema}"."${name}"`;
      let query: Query = () => Promise.reject(new Error('no database open'));
      const columns = async (name: string) =>
        (await query(`select column_name from information_schema.columns where table_catalog = '${pl.catalog}' and table_schema = '${pl.schema}' and table_name = '${name}' order by ordinal_position`)).map((r) => r.column_name);
      const rows = (name: string, cols: string) => query(`select ${cols} from ${rel(name)} order by all`);
      const placement = async () => {
        const all = await query("select table_catalog as c, table_schema as s, table_name as n from information_schema.tables where table_catalog in ('dev', 'other') order by n");
        expect(all.filter((r) => r.c !== pl.catalog || r.s !== pl.schema)).toEqual([]);
        expect(all.map((r) => r.n)).toEqual(ALL_NAMES);
      };

      // Run 1: everything is created where the target says.
      const r1 = await build({ ...p.opts, vars: { phase: 1 } });
      expect(Object.values(statuses(r1.results)).every((s) => s === 'success'), JSON.stringify(r1.results.filter((r) => r.status !== 'success').map((r) => [r.node.name, r.message]))).toBe(true);
      await inspect(p, async (q) => {
        query = q;
        await placement();
        expect(await rows('seed_a', 'id, name')).toEqual([{ id: 1, name: 'x' }, { id: 2, name: 'y' }]);
        expect(await rows('events', 'id, v')).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
        for (const s of Object.keys(STRATEGIES)) {
          for (const osc of SCHEMA_CHANGES) {
            expect(await columns(incName(s, osc))).toEqual(['id', 'v', 'updated_at', 'old']);
            expect(await rows(incName(s, osc), 'id, v, old')).toEqual([{ id: 1, v: 'a', old: 'o1' }, { id: 2, v: 'b', old: 'o2' }]);
          }
        }
        for (const st of ['timestamp', 'check']) {
          for (const hd of HARD_DELETES) {
            expect(await rows(snapName(st, hd), 'id, v, dbt_valid_to is null as current')).toEqual([
              { id: 1, v: 'a', current: true },
              { id: 2, v: 'b', current: true },
              { id: 3, v: 'c', current: true },
            ]);
          }
        }

      });

      // Run 2: new data, new columns, a deleted snapshot row, a changed seed.
      p.write({ 'seeds/seed_a.csv': SEED[2] });
      const r2 = await build({ ...p.opts, vars: { phase: 2 } });
      const st2 = statuses(r2.results);
      for (const [name, status] of Object.entries(st2)) {
        expect([name, status]).toEqual([name, name.endsWith('_fail') ? 'error' : 'success']);
      }
      for (const s of Object.keys(STRATEGIES)) {
        const failed = r2.results.find((r) => r.node.name === incName(s, 'fail'))!;
        expect(failed.message).toContain('The source and target schemas on this incremental model are out of sync!');
        expect(failed.message).toContain("Source columns not in target: ['extra']");
        expect(failed.message).toContain("Target columns not in source: ['old']");
      }
      await inspect(p, async (q) => {
        query = q;
        await placement();
        expect(await rows('seed_a', 'id, name')).toEqual([{ id: 1, name: 'x' }, { id: 3, name: 'z' }]);
        expect(await rows('events', 'id, v')).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }, { id: 3, v: 'c' }]);

        // The incremental result equals a full refresh on the columns both runs select.
        const full = { append: await rows('events', 'id, v, updated_at'), merge: await rows('src', 'id, v, updated_at') };
        for (const s of Object.keys(STRATEGIES) as (keyof typeof STRATEGIES)[]) {
          const expected = s === 'append' ? full.append : full.merge;
          const changedRows = s === 'append' ? [3] : [2, 3];
          for (const osc of SCHEMA_CHANGES) {
            const name = incName(s, osc);
            if (osc === 'fail') {
              // Failed: the table is as run 1 left it.
              expect(await columns(name)).toEqual(['id', 'v', 'updated_at', 'old']);
              expect(await rows(name, 'id, v')).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
              continue;
            }
            expect(await rows(name, 'id, v, updated_at'), `${name} equals a full refresh`).toEqual(expected);
            if (osc === 'ignore') {
              expect(await columns(name)).toEqual(['id', 'v', 'updated_at', 'old']);
              expect((await rows(name, 'id, old')).map((r) => r.old)).toEqual(expected.map((r) => `o${r.id as number}`));
            } else {
              expect(await columns(name)).toEqual(osc === 'append_new_columns' ? ['id', 'v', 'updated_at', 'old', 'extra'] : ['id', 'v', 'updated_at', 'extra']);
              // The new column is filled for the rows this run wrote, null for the rows it left alone.
              expect((await rows(name, 'id, extra')).map((r) => [r.id, r.extra])).toEqual(expected.map((r) => [r.id, changedRows.includes(r.id as number) ? `e${r.id as number}` : null]));
            }
            if (osc === 'append_new_columns') {
              // merge updates only the new rows' columns; delete+insert and append write whole rows, so old is null there.
              const old = (await rows(name, 'id, old')).map((r) => [r.id, r.old]);
              expect(old).toEqual(expected.map((r) => [r.id, (r.id as number) === 1 || (s === 'merge' && r.id === 2) || (s === 'append' && r.id === 2) ? `o${r.id as number}` : null]));
            }
          }
        }
        for (const st of ['timestamp', 'check']) {
          for (const hd of HARD_DELETES) {
            const cols = `id, v, dbt_valid_to is null as current${hd === 'new_record' ? ", coalesce(dbt_is_deleted, 'False') as deleted" : ''}`;
            const got = await rows(snapName(st, hd), cols);
            const d = (x: Record<string, unknown>) => (hd === 'new_record' ? { ...x, deleted: 'False' } : x);
            expect(got, snapName(st, hd)).toEqual([
              d({ id: 1, v: 'a', current: true }),
              d({ id: 2, v: 'B', current: true }),
              d({ id: 2, v: 'b', current: false }),
              ...(hd === 'ignore'
                ? [{ id: 3, v: 'c', current: true }]
                : hd === 'invalidate'
                  ? [{ id: 3, v: 'c', current: false }]
                  : [{ id: 3, v: 'c', current: false, deleted: 'False' }, { id: 3, v: 'c', current: true, deleted: 'True' }]),
              d({ id: 4, v: 'd', current: true }),
            ]);
          }
        }
      });
    }, 180_000);
  }
});
