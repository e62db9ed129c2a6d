import { describe, expect, it } from 'vitest';
import { build, run } from '../../src/api/run.js';
import { makeProject } from './harness.js';
import { runCli } from '../../src/cli/main.js';
import { captureStreams } from '../support/project-fixture.js';

describe('hooks', () => {
  it('runs model pre/post hooks (string or list, inside or outside the transaction) and on-run-start/end with results and schemas', async () => {
    const p = makeProject({
      'dbt_project.yml': `name: proj
profile: proj
config-version: 2
on-run-start:
  - "create table if not exists main.audit (event varchar, detail varchar)"
  - "insert into main.audit values ('start', '{{ invocation_id | length }}')"
on-run-end:
  - "insert into main.audit select 'end', '{{ results | map(attribute=\\"status\\") | join(\\",\\") }}|{{ schemas | join(\\",\\") }}'"
models:
  proj:
    +post-hook: "insert into main.audit values ('post', '{{ this.name }}')"
`,
      'models/m.sql': `{{ config(materialized='table', pre_hook=["insert into main.audit values ('pre', '{{ this.identifier }}')", before_begin("insert into main.audit values ('before_begin', 'x')")]) }}select 1 as x`,
    });
    const r = await run(p.opts);
    expect(r.results.map((x) => [x.node.name, x.status])).toEqual([
      ['proj-on-run-start-0', 'success'],
      ['proj-on-run-start-1', 'success'],
      ['m', 'success'],
      ['proj-on-run-end-0', 'success'],
    ]);
    expect(await p.query('select event, detail from main.audit')).toEqual([
      { event: 'start', detail: '36' },
      { event: 'before_begin', detail: 'x' },
      { event: 'pre', detail: 'm' },
      { event: 'post', detail: 'm' },
      { event: 'end', detail: 'success|main' },
    ]);
    const m = r.results.find((x) => x.node.name === 'm')!;
    const begin = m.statements.indexOf('begin');
    expect(m.statements.findIndex((s) => s.includes("'before_begin'"))).toBeLessThan(begin);
    expect(m.statements.findIndex((s) => s.includes("'pre'"))).toBeGreaterThan(begin);
  });

  it("creates the selected models' schemas before on-run-start runs, as dbt 1.10's before_run", async () => {
    const p = makeProject({
      'dbt_project.yml': `name: proj
profile: proj
config-version: 2
on-run-start:
  - "create table main_extra.audit as select 'start' as event"
`,
      'models/m.sql': "{{ config(schema='extra') }}select 1 as x",
    });
    const r = await run(p.opts);
    expect(r.results.map((x) => [x.node.name, x.status])).toEqual([
      ['proj-on-run-start-0', 'success'],
      ['m', 'success'],
    ]);
    expect(await p.query('select event from main_extra.audit')).toEqual([{ event: 'start' }]);
  });

  // dbt 1.10's tests/functional/adapter/hooks/test_on_run_hooks.py, on DuckDB.
  const FAILING_HOOKS = [
    'create table main.my_hook_table ( id int )', // success
    'drop table main.my_hook_table', // success
    'insert into main.my_hook_table (id) values (1), (2)', // fails: the table is gone
    'create table main.my_hook_table ( id int )', // skipped
  ];
  const hookList = (key: string) => `${key}:\n${FAILING_HOOKS.map((h) => `  - "${h}"`).join('\n')}\n`;

  it('a failing on-run-start hook: the hooks after it are skipped and the nodes still run (dbt 1.10 default)', async () => {
    const p = makeProject({
      'dbt_project.yml': `name: proj\nprofile: proj\nconfig-version: 2\n${hookList('on-run-start')}`,
      'models/m.sql': 'select * from main.my_hook_table',
      'models/n.sql': 'select 1 as x',
    });
    const r = await run(p.opts);
    expect(r.results.map((x) => [x.unique_id, x.status])).toEqual([
      ['operation.proj.proj-on-run-start-0', 'success'],
      ['operation.proj.proj-on-run-start-1', 'success'],
      ['operation.proj.proj-on-run-start-2', 'error'],
      ['operation.proj.proj-on-run-start-3', 'skipped'],
      ['model.proj.m', 'error'],
      ['model.proj.n', 'success'],
    ]);
    expect(r.results[0]!.message).toBe('proj.on-run-start.0 passed');
    expect(r.results[2]!.message).toMatch(/^proj\.on-run-start\.2 failed, error:\n [\s\S]*my_hook_table/);
    expect(r.results[3]!.message).toBe('proj.on-run-start.3 skipped');
    expect(r.success).toBe(false);
    // the skipped hook never ran: the table it would create is absent
    expect(await p.query("select count(*)::int as n from information_schema.tables where table_name = 'my_hook_table'")).toEqual([{ n: 0 }]);
  });

  it('flags: skip_nodes_if_on_run_start_fails: true skips the nodes after a failing on-run-start hook', async () => {
    const p = makeProject({
      'dbt_project.yml': `name: proj\nprofile: proj\nconfig-version: 2\nflags:\n  skip_nodes_if_on_run_start_fails: true\n${hookList('on-run-start')}`,
      'models/m.sql': 'select * from main.my_hook_table',
    });
    const r = await run(p.opts);
    expect(r.results.map((x) => [x.node.name, x.status])).toEqual([
      ['proj-on-run-start-0', 'success'],
      ['proj-on-run-start-1', 'success'],
      ['proj-on-run-start-2', 'error'],
      ['proj-on-run-start-3', 'skipped'],
      ['m', 'skipped'],
    ]);
  });

  it("on-run-end's results, their nodes and timing entries answer to_dict(), as dbt's RunResult objects do (elementary's upload)", async () => {
    const p = makeProject({
      'dbt_project.yml': 'name: proj\nprofile: proj\nconfig-version: 2\non-run-end:\n  - "create table main.dicts as select \'{{ describe(results) }}\' as d"\n',
      'macros/describe.sql': [
        '{% macro describe(results) %}{% if execute %}{% set r = results[0] %}{% set d = r.to_dict() %}',
        "{{- d.status }}/{{ d.node.name }}/{{ r.node.to_dict().unique_id }}/{{ r.timing | map(attribute='name') | join(',') }}",
        "/{{ r.timing | map(attribute='to_dict') | select | list | length }}/{{ 'to_dict' in d }}/{{ d.keys() | list | length }}",
        '{%- endif %}{%- endmacro %}',
      ].join(''),
      'models/m.sql': 'select 1 as x',
    });
    const r = await run(p.opts);
    expect(r.success).toBe(true);
    expect(await p.query('select d from main.dicts')).toEqual([{ d: 'success/m/model.proj.m/compile,execute/2/False/9' }]);
  });

  it("on-run-end's results: status and node.resource_type are dbt's str enums, with .value and .name, equal to their strings; to_dict() gives the strings", async () => {
    const p = makeProject({
      'dbt_project.yml': 'name: proj\nprofile: proj\nconfig-version: 2\non-run-end:\n  - "create table main.enums as select \'{{ describe(results) }}\' as d"\n',
      'macros/describe.sql': [
        "{% macro describe(results) %}{% if execute %}{% for r in results | sort(attribute='node.name') %}",
        "{{ r.node.name }}:{{ r.status }}/{{ r.status.value }}/{{ r.status.name }}/{{ r.node.resource_type.value }}/{{ r.node.resource_type.name }}",
        "/{{ r.status == 'success' or r.status in ['pass'] }}/{{ r.node.resource_type ~ '!' }}/{{ r.to_dict().status.name is defined }}/{{ r.to_dict().node.resource_type | upper }};",
        '{% endfor %}{%- endif %}{%- endmacro %}',
      ].join(''),
      'models/m.sql': 'select 1 as x',
      'models/m.yml': 'models:\n  - name: m\n    columns:\n      - name: x\n        data_tests: [not_null]\n',
    });
    const r = await build(p.opts);
    expect(r.success).toBe(true);
    expect(await p.query('select d from main.enums')).toEqual([
      { d: 'm:success/success/Success/model/Model/True/model!/False/MODEL;not_null_m_x:pass/pass/Pass/test/Test/True/test!/False/TEST;' },
    ]);
  });

  it('a failing on-run-end hook skips the ones after it; on-run-end sees the failed on-run-start hook in results', async () => {
    const p = makeProject({
      'dbt_project.yml': `name: proj\nprofile: proj\nconfig-version: 2\non-run-start:\n  - "select a as id"\n${hookList('on-run-end')}`
        .replace('on-run-end:\n', "on-run-end:\n  - \"create table main.seen as select {{ results | length }} as n, '{{ results | map(attribute='thread_id') | join(',') }}' as t\"\n"),
      'models/m.sql': 'select 1 as x',
    });
    const r = await run(p.opts);
    expect(r.results.map((x) => [x.node.name, x.status])).toEqual([
      ['proj-on-run-start-0', 'error'],
      ['m', 'success'],
      ['proj-on-run-end-0', 'success'],
      ['proj-on-run-end-1', 'success'],
      ['proj-on-run-end-2', 'success'],
      ['proj-on-run-end-3', 'error'],
      ['proj-on-run-end-4', 'skipped'],
    ]);
    expect(await p.query('select n, t from main.seen')).toEqual([{ n: 2, t: 'main,Thread-1' }]);
  });

  it('the console counts hooks as dbt 1.10 does: i of n per kind, errors in the summary and the Done line', async () => {
    const p = makeProject({
      'dbt_project.yml': `name: proj\nprofile: proj\nconfig-version: 2\n${hookList('on-run-start')}`,
      'models/m.sql': 'select * from main.my_hook_table',
    });
    const io = captureStreams();
    expect(await runCli(['run', '--project-dir', p.dir, '--profiles-dir', p.dir], io.streams, {})).toBe(1);
    const out = io.stdout.join('').replace(/^\d\d:\d\d:\d\d {2}/gm, '');
    const err = io.stderr.join('').replace(/^\d\d:\d\d:\d\d {2}/gm, '');
    expect(out).toMatch(/^1 of 4 OK hook: proj\.on-run-start\.0 \.+ \[OK in \d+\.\d\ds\]$/m);
    expect(out + err).toMatch(/^3 of 4 ERROR hook: proj\.on-run-start\.2 \.+ \[ERROR in \d+\.\d\ds\]$/m);
    expect(out).toMatch(/^4 of 4 SKIP hook: proj\.on-run-start\.3 \.+ \[SKIP in 0\.00s\]$/m);
    expect(out).toContain('Finished running 4 project hooks, 1 view model');
    expect(out + err).toContain('Completed with 3 errors, 0 partial successes, and 0 warnings:');
    expect(err).toMatch(/Error in operation proj-on-run-start-2 \(dbt_project\.yml\)/);
    expect(out).toContain('Done. PASS=2 WARN=0 ERROR=2 SKIP=1 NO-OP=0 TOTAL=5');
  });
});
