import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { startSnowflakeDoubleInWorker, type WorkerSnowflakeDouble } from '../support/snowflake-double/double-worker.js';
import { makeSnowflakeProject, sfQuery } from './sf-harness.js';

// Snowflake's incremental materialization renders the strategy through the
// macro named for it, as dbt-snowflake does: a project's snowflake__get_merge_sql
// or its own strategy is what goes over the wire (real snowflake-sdk, the double).
let double: WorkerSnowflakeDouble;
beforeAll(async () => {
  double = await startSnowflakeDoubleInWorker();
});
afterAll(async () => {
  await double?.close();
});

const SRC = (rows: string) => ({ 'models/src.sql': `{{ config(materialized='table') }}\nselect * from (values ${rows}) as t(id, status)` });
const INC = (cfg: string) => ({ 'models/inc.sql': `{{ config(materialized='incremental', ${cfg}) }}\nselect id, status from {{ ref('src') }}` });

async function twoRuns(schema: string, cfg: string, macros: Record<string, string> = {}) {
  const p = makeSnowflakeProject({ ...SRC("(1, 'open'), (2, 'open')"), ...INC(cfg), ...macros }, double.port, { schema });
  const r1 = await run(p.opts);
  expect(r1.results.map((r) => r.status)).toEqual(['success', 'success']);
  p.write(SRC("(2, 'done'), (3, 'open')"));
  const r2 = await run(p.opts);
  const res = r2.results.find((x) => x.node.name === 'inc')!;
  const rows = async () => (await sfQuery(double, `select id, status from ANALYTICS.${schema}.INC order by id, status`)).map((r) => ({ id: Number(r.ID), status: r.STATUS }));
  return { res, rows };
}

describe('Snowflake incremental strategies through their macros', () => {
  it("a project's snowflake__get_merge_sql is what the default strategy (merge) runs", async () => {
    const macro = `{% macro snowflake__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) -%}
merge into {{ target }} as d using {{ source }} as s on s.{{ unique_key }} = d.{{ unique_key }}
when not matched then insert (id, status) values (s.id, s.status)
{%- endmacro %}`;
    const { res, rows } = await twoRuns('SF_STRAT_MERGE', "unique_key='id'", { 'macros/merge.sql': macro });
    expect(res.status, res.message ?? '').toBe('success');
    expect(res.statements.map((s) => s.trim())).toContain(
      'merge into ANALYTICS.SF_STRAT_MERGE.inc as d using ANALYTICS.SF_STRAT_MERGE.inc__dbt_tmp as s on s.id = d.id\nwhen not matched then insert (id, status) values (s.id, s.status)',
    );
    // matched rows left alone: the override has no `when matched`
    expect(await rows()).toEqual([
      { id: 1, status: 'open' },
      { id: 2, status: 'open' },
      { id: 3, status: 'open' },
    ]);
  });

  it('a custom strategy get_incremental_my_sql', async () => {
    const macro = `{% macro get_incremental_my_sql(arg_dict) -%}
delete from {{ arg_dict['target_relation'] }} where status = 'open';
insert into {{ arg_dict['target_relation'] }} select * from {{ arg_dict['temp_relation'] }}
{%- endmacro %}`;
    const { res, rows } = await twoRuns('SF_STRAT_MY', "incremental_strategy='my'", { 'macros/my.sql': macro });
    expect(res.status, res.message ?? '').toBe('success');
    expect(res.statements.map((s) => s.trim())).toContain(
      "delete from ANALYTICS.SF_STRAT_MY.inc where status = 'open';\ninsert into ANALYTICS.SF_STRAT_MY.inc select * from ANALYTICS.SF_STRAT_MY.inc__dbt_tmp",
    );
    expect(await rows()).toEqual([
      { id: 2, status: 'done' },
      { id: 3, status: 'open' },
    ]);
  });

  it('an unknown strategy is a located error, before the temporary relation is made', async () => {
    const { res, rows } = await twoRuns('SF_STRAT_NOPE', "incremental_strategy='nope'");
    expect(res.status).toBe('error');
    expect(res.message).toContain("Unknown incremental strategy 'nope': no macro named \"get_incremental_nope_sql\" was found");
    expect(res.message).toContain('models/inc.sql');
    expect(res.statements.some((s) => s.includes('__dbt_tmp'))).toBe(false);
    expect(await rows()).toEqual([
      { id: 1, status: 'open' },
      { id: 2, status: 'open' },
    ]);
  });
});
