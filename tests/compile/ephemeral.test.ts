import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/api/compile.js';
import { run } from '../../src/api/run.js';
import { makeProject, statuses } from '../execute/harness.js';

describe('ephemeral models', () => {
  it('are injected as CTEs, recursively, once each, dependencies first, and never built', async () => {
    const p = makeProject({
      'models/e_base.sql': "{{ config(materialized='ephemeral') }}select 1 as id",
      'models/e_mid.sql': "{{ config(materialized='ephemeral') }}select id, id * 2 as dbl from {{ ref('e_base') }}",
      'models/final.sql': "with extra as (select 5 as id)\nselect m.id, m.dbl from {{ ref('e_mid') }} m join {{ ref('e_base') }} b using (id)\nunion all select id, 0 from extra",
    });
    const r = await run(p.opts);
    expect(statuses(r.results)).toEqual({ final: 'success' });
    const golden = [
      'with __dbt__cte__e_base as (',
      'select 1 as id',
      '), __dbt__cte__e_mid as (',
      'select id, id * 2 as dbl from __dbt__cte__e_base',
      '), extra as (select 5 as id)',
      'select m.id, m.dbl from __dbt__cte__e_mid m join __dbt__cte__e_base b using (id)',
      'union all select id, 0 from extra',
    ].join('\n');
    expect(readFileSync(join(p.dir, 'target/compiled/proj/models/final.sql'), 'utf8')).toBe(golden);
    expect(await p.query('select * from main.final order by id')).toEqual([
      { id: 1, dbl: 2 },
      { id: 5, dbl: 0 },
    ]);
    expect(await p.query("select count(*)::int as n from information_schema.tables where table_name like 'e_%'")).toEqual([{ n: 0 }]);
  });

  it('compile writes ephemeral models too and stops at the first broken node, as dbt (raise_on_first_error)', async () => {
    const p = makeProject({
      'models/e.sql': "{{ config(materialized='ephemeral') }}select 1 as id",
      'models/ok.sql': "select * from {{ ref('e') }}",
      'models/broken.sql': "-- {{ ref('ok') }}\nselect {% if execute %}{{ exceptions.raise_compiler_error('this model is broken on purpose') }}{% endif %}1",
      'models/after.sql': "select * from {{ ref('broken') }}",
      'models/z_independent.sql': "select * from {{ ref('ok') }}",
    });
    const r = await compile(p.opts);
    expect(r.success).toBe(false);
    expect(r.results.map((x) => [x.node.name, x.status])).toEqual([['e', 'success'], ['ok', 'success'], ['broken', 'error']]);
    expect(existsSync(join(p.dir, 'target/compiled/proj/models/z_independent.sql'))).toBe(false);
    expect(existsSync(join(p.dir, 'target/run_results.json'))).toBe(false);
    expect(r.results.find((x) => x.node.name === 'broken')!.message).toBe('models/broken.sql:2: this model is broken on purpose');
    expect(r.results.find((x) => x.node.name === 'ok')!.compiled_code).toBe('with __dbt__cte__e as (\nselect 1 as id\n)\nselect * from __dbt__cte__e');
  });
});
