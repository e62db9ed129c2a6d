/**
 * A project's YAML is read as dbt reads it (PyYAML, YAML 1.1): `yes`/`off`
 * are booleans, `12:30` is 750, `017` is 15, `08` and `1e3` are strings, in
 * dbt_project.yml vars, properties configs, --vars and run-operation's --args.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { runOperation } from '../../src/api/run-operation.js';
import { makeProject } from '../execute/harness.js';

describe('project YAML scalars as PyYAML reads them', () => {
  it('vars, configs and --vars: the rows a model builds from them', async () => {
    const p = makeProject({
      'dbt_project.yml': `name: proj
profile: proj
config-version: 2
vars:
  flag: yes
  opening: 12:30
  code: 08
  mode: 017
  big: 1e3
  count: 1_000
models:
  proj:
    +materialized: table
`,
      'models/shown.sql': `select '{{ var("flag") }}' as flag, {{ var("opening") }} as opening, '{{ var("code") }}' as code,
  {{ var("mode") }} as mode, '{{ var("big") }}' as big, {{ var("count") }} as count, '{{ var("cli") }}' as cli`,
      'models/hidden.sql': 'select 1 as x',
      'models/props.yml': 'version: 2\nmodels:\n  - name: hidden\n    config:\n      enabled: Off\n',
    });
    const r = await run({ ...p.opts, vars: '{cli: On}' } as never);
    expect(r.results.map((x) => [x.node.name, x.status])).toEqual([['shown', 'success']]);
    expect(await p.query('select * from main.shown')).toEqual([{ flag: 'True', opening: 750, code: '08', mode: 15, big: '1e3', count: 1000, cli: 'True' }]);
  });

  it("run-operation's --args: `{full: yes, n: 010, t: 1:30}` passes True, 8 and 90", async () => {
    const p = makeProject({
      'macros/ops.sql': `{% macro record(full, n, t) %}{% do run_query('create table main.args as select ' ~ full ~ ' as full, ' ~ n ~ ' as n, ' ~ t ~ ' as t') %}{{ return([full, n, t]) }}{% endmacro %}`,
    });
    const r = await runOperation('record', { ...p.opts, args: '{full: yes, n: 010, t: 1:30}' });
    expect(r.returned).toEqual([true, 8, 90]);
    expect(await p.query('select * from main.args')).toEqual([{ full: true, n: 8, t: 90 }]);
  });
});
