import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, seed, snapshot } from '../../src/api/run.js';
import { startSnowflakeDoubleInWorker, type WorkerSnowflakeDouble } from '../support/snowflake-double/double-worker.js';
import { makeSnowflakeProject } from './sf-harness.js';

// Golden files: the exact SQL tsdbt sends to Snowflake for each materialization and incremental
// strategy, statement by statement (as the node's result records them, `begin`/`commit` included),
// word for word. Regenerate after an intended change with UPDATE_GOLDEN=1 and review the diff.
const GOLDEN = join(import.meta.dirname, 'golden');

let double: WorkerSnowflakeDouble;
beforeAll(async () => {
  double = await startSnowflakeDoubleInWorker();
});
afterAll(async () => {
  await double?.close();
});

function expectGolden(name: string, statements: string[]): void {
  const text = statements.map((s) => s.trim()).join('\n\n-- ;\n\n') + '\n';
  const file = join(GOLDEN, `${name}.sql`);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
  expect(existsSync(file), `golden file ${name}.sql is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
  expect(text, `${name}.sql`).toBe(readFileSync(file, 'utf8'));
}

type Results = { results: { node: { name: string }; status: string; statements: string[]; message: string | null }[] };

function statementsOf(r: Results, node: string): string[] {
  const res = r.results.find((x) => x.node.name === node)!;
  expect(res.status, `${node}: ${res.message}`).toMatch(/success|pass/);
  return res.statements;
}

const SRC = { 'models/src.sql': "{{ config(materialized='table') }}\nselect 1 as id, 'a' as status, cast('2024-01-01' as timestamp) as updated_at" };

describe('golden Snowflake SQL', () => {
  it('view: create or replace (with copy grants, grants and a query tag)', async () => {
    const p = makeSnowflakeProject(
      { 'models/v.sql': "{{ config(materialized='view', copy_grants=true, query_tag='nightly', grants={'select': ['reporter', 'analyst']}) }}\nselect 1 as id" },
      double.port,
      { schema: 'GOLDEN_VIEW' },
    );
    expectGolden('view', statementsOf(await run(p.opts), 'v'));
  });

  it('table: transient create or replace; cluster_by; transient=false', async () => {
    const p = makeSnowflakeProject(
      {
        ...SRC,
        'models/t.sql': "{{ config(materialized='table') }}\nselect * from {{ ref('src') }}",
        'models/t_clustered.sql': "{{ config(materialized='table', cluster_by=['status', 'id'], automatic_clustering=true) }}\nselect * from {{ ref('src') }}",
        'models/t_permanent.sql': "{{ config(materialized='table', transient=false) }}\nselect * from {{ ref('src') }}",
      },
      double.port,
      { schema: 'GOLDEN_TABLE' },
    );
    const r = await run(p.opts);
    expectGolden('table', statementsOf(r, 't'));
    expectGolden('table-cluster-by', statementsOf(r, 't_clustered'));
    expectGolden('table-permanent', statementsOf(r, 't_permanent'));
  });

  for (const [strategy, config] of [
    ['merge', "unique_key='id'"],
    ['merge-no-key', "incremental_strategy='merge'"],
    ['merge-key-list-predicates', "unique_key=['id', 'status'], incremental_predicates=['DBT_INTERNAL_DEST.id > 0']"],
    ['delete+insert', "unique_key='id', incremental_strategy='delete+insert'"],
    ['delete+insert-no-key', "incremental_strategy='delete+insert'"],
    ['append', "incremental_strategy='append'"],
    ['append-new-columns', "incremental_strategy='append', on_schema_change='append_new_columns'"],
    ['sync-all-columns', "unique_key='id', on_schema_change='sync_all_columns'"],
  ] as const) {
    it(`incremental ${strategy}: first run, then the incremental run`, async () => {
      const schema = `GOLDEN_INC_${strategy.replace(/\W/g, '_').toUpperCase()}`;
      const model = (cols: string) => `{{ config(materialized='incremental', ${config}) }}\nselect ${cols} from {{ ref('src') }}`;
      const p = makeSnowflakeProject({ ...SRC, 'models/inc.sql': model('id, status') }, double.port, { schema });
      expectGolden(`incremental-${strategy}-first`, statementsOf(await run(p.opts), 'inc'));
      if (strategy.endsWith('columns')) p.write({ 'models/inc.sql': model('id, updated_at') });
      expectGolden(`incremental-${strategy}`, statementsOf(await run(p.opts), 'inc'));
    });
  }

  it('incremental --full-refresh: one atomic create or replace', async () => {
    const p = makeSnowflakeProject({ ...SRC, 'models/inc.sql': "{{ config(materialized='incremental', unique_key='id') }}\nselect * from {{ ref('src') }}" }, double.port, { schema: 'GOLDEN_INC_FULL' });
    await run(p.opts);
    expectGolden('incremental-full-refresh', statementsOf(await run({ ...p.opts, fullRefresh: true }), 'inc'));
  });

  it('seed: create, then reload', async () => {
    const p = makeSnowflakeProject({ 'seeds/bands.csv': 'band,lo,hi,since\nlow,0,0.3,2024-01-01\nit\'s,0.3,,2024-02-01\n' }, double.port, { schema: 'GOLDEN_SEED' });
    const runFile = () => readFileSync(join(p.dir, 'target/run/proj/seeds/bands.csv'), 'utf8');
    const created = statementsOf(await seed(p.opts), 'bands');
    expectGolden('seed-create', created);
    // target/run keeps what dbt's seed keeps there (get_csv_sql): the create (or the delete), then the first insert.
    const insert = created.find((s) => s.startsWith('insert into'))!.replace(/\n\/\* \{"app".*\*\/$/s, '');
    expect(runFile()).toBe(`create or replace transient table ANALYTICS.GOLDEN_SEED.bands (\n        "band" varchar,\n        "lo" float,\n        "hi" float,\n        "since" date\n      );\n  -- dbt seed --\n  ${insert}`);
    const reloaded = statementsOf(await seed(p.opts), 'bands');
    expectGolden('seed-reload', reloaded);
    expect(runFile()).toBe(`delete from ANALYTICS.GOLDEN_SEED.bands;\n  -- dbt seed --\n  ${insert}`);
  });

  it('snapshot: timestamp and check strategies, first run then the merge', async () => {
    const p = makeSnowflakeProject(
      {
        ...SRC,
        'snapshots/snap_ts.sql': "{% snapshot snap_ts %}\n{{ config(unique_key='id', strategy='timestamp', updated_at='updated_at') }}\nselect * from {{ ref('src') }}\n{% endsnapshot %}\n",
        'snapshots/snap_check.sql': "{% snapshot snap_check %}\n{{ config(unique_key='id', strategy='check', check_cols=['status'], hard_deletes='invalidate') }}\nselect * from {{ ref('src') }}\n{% endsnapshot %}\n",
      },
      double.port,
      { schema: 'GOLDEN_SNAP' },
    );
    await run(p.opts);
    const first = await snapshot(p.opts);
    expectGolden('snapshot-timestamp-first', statementsOf(first, 'snap_ts'));
    const second = await snapshot(p.opts);
    expectGolden('snapshot-timestamp', statementsOf(second, 'snap_ts'));
    expectGolden('snapshot-check-invalidate', statementsOf(second, 'snap_check'));
  });
});
