import { describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { makeProject } from './harness.js';

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

  it('a failing on-run-start hook skips the nodes', async () => {
    const p = makeProject({
      'dbt_project.yml': 'name: proj\nprofile: proj\nconfig-version: 2\non-run-start: "select * from missing_table"\n',
      'models/m.sql': 'select 1 as x',
    });
    const r = await run(p.opts);
    expect(r.results.map((x) => [x.node.name, x.status])).toEqual([
      ['proj-on-run-start-0', 'error'],
      ['m', 'skipped'],
    ]);
    expect(r.results[0]!.message).toContain('on-run-start hook 0 failed');
    expect(r.results[0]!.message).toContain('missing_table');
  });
});
