/**
 * dbt renders hooks when it parses: every node's pre-/post-hooks but tests'
 * (update_parsed_node_config, enabled or not) and the on-run-start/end hooks
 * (HookParser), each with a parse context. What they ref is a dependency,
 * the macros they call are recorded, and a hook that raises fails the parse.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import type { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { makeProject } from './harness.js';

const parseErrors = (p: ReturnType<typeof makeProject>): TsdbtError[] => {
  try {
    parseLoaded(loadProject({ ...p.opts, partialParse: false } as never));
  } catch (e) {
    return ((e as { errors?: TsdbtError[] }).errors ?? [e]) as TsdbtError[];
  }
  throw new Error('the parse did not fail');
};

describe('hooks rendered at parse time', () => {
  it("a hook's ref is a dependency and the macros it calls are the node's, so it runs after what it reads", async () => {
    const p = makeProject({
      'dbt_project.yml': `name: proj
profile: proj
config-version: 2
seeds:
  proj:
    +post-hook: "{{ audit('seed') }}"
`,
      'macros/audit.sql': "{% macro audit(kind) %}insert into main.audit select '{{ kind }}', '{{ this.name }}'{% endmacro %}",
      'seeds/s.csv': 'id\n1\n2\n',
      // b reads a only in its hooks: without the dependency it may run first (and fail).
      'models/a.sql': "{{ config(materialized='table', pre_hook='create table if not exists main.audit (kind varchar, name varchar)') }}select 10 as v",
      'models/b.sql': `{{ config(materialized='table', post_hook="insert into main.audit select 'b', cast(v as varchar) from {{ ref('a') }}") }}select 1 as x`,
    });
    const { manifest } = parseLoaded(loadProject(p.opts));
    expect(manifest.nodes['model.proj.b']!.depends_on).toEqual({ nodes: ['model.proj.a'], macros: [] });
    expect(manifest.nodes['seed.proj.s']!.depends_on).toEqual({ nodes: [], macros: ['macro.proj.audit'] });
    const r = await run({ ...p.opts, select: ['a', 'b'] } as never);
    expect(r.results.map((x) => [x.node.name, x.status])).toEqual([
      ['a', 'success'],
      ['b', 'success'],
    ]);
    expect(await p.query('select kind, name from main.audit')).toEqual([{ kind: 'b', name: '10' }]);
  });

  it("a project-wide hook that fails to render fails the parse, located at the hook's line in dbt_project.yml, once per node", () => {
    const p = makeProject({
      'dbt_project.yml': `name: proj
profile: proj
config-version: 2
models:
  proj:
    +post-hook: "grant select on {{ this }} to {{ env_var('TSDBT_TEST_NO_SUCH_ROLE') }}"
`,
      'models/a.sql': 'select 1 as x',
      'models/b.sql': "{{ config(enabled=false) }}select 2 as x",
    });
    const errors = parseErrors(p);
    expect(errors.map((e) => [e.code, e.file, e.line, e.message])).toEqual([
      ['ENV_VAR_MISSING', 'dbt_project.yml', 6, "Env var required but not provided: 'TSDBT_TEST_NO_SUCH_ROLE'\n  > in a post-hook of model a (models/a.sql), rendered when the project is parsed"],
      ['ENV_VAR_MISSING', 'dbt_project.yml', 6, "Env var required but not provided: 'TSDBT_TEST_NO_SUCH_ROLE'\n  > in a post-hook of model b (models/b.sql), rendered when the project is parsed"],
    ]);
  });

  it("a config() hook with bad Jinja: the model's file and line; a properties hook: the entry's file and line", () => {
    const p = makeProject({
      'models/a.sql': "\n{{ config(pre_hook=\"select {{ 1 + }}\") }}\nselect 1 as x",
      'models/c.sql': 'select 3 as x',
      'models/props.yml': `version: 2
models:
  - name: c
    config:
      post_hook: "{{ exceptions.raise_compiler_error('no hooks on c') }}"
`,
    });
    const errors = parseErrors(p);
    expect(errors.map((e) => [e.code, e.file, e.line])).toEqual([
      ['JINJA_SYNTAX', 'models/a.sql', 2],
      ['COMPILER_ERROR', 'models/props.yml', 3],
    ]);
    expect(errors[1]!.message).toBe('no hooks on c\n  > in a post-hook of model c (models/c.sql), rendered when the project is parsed');
    expect(errors[1]!.hint).toBe("dbt renders every pre-hook and post-hook while parsing: fix the hook's Jinja (or the macro or var it uses), or remove the hook from models/props.yml.");
  });

  it('an on-run-start hook that fails to render fails the parse (and so the run: nothing runs), at its line', async () => {
    const p = makeProject({
      'dbt_project.yml': `name: proj
profile: proj
config-version: 2
on-run-start:
  - "create table main.started as select 1 as x"
  - "{{ exceptions.raise_compiler_error('not today') }}"
`,
      'models/a.sql': "{{ config(materialized='table') }}select 1 as x",
    });
    const errors = parseErrors(p);
    expect(errors.map((e) => [e.code, e.file, e.line, e.message])).toEqual([
      ['COMPILER_ERROR', 'dbt_project.yml', 6, 'not today\n  > in on-run-start hook 1 of proj (dbt_project.yml), rendered when the project is parsed'],
    ]);
    await expect(run(p.opts)).rejects.toMatchObject({ code: 'COMPILER_ERROR', file: 'dbt_project.yml', line: 6 });
    expect(await p.query("select count(*)::int as n from information_schema.tables where table_name in ('started', 'a')")).toEqual([{ n: 0 }]);
  });

  it("a hook that only fails at run time (a var missing: None at parse, as dbt's ParseVar) parses", () => {
    const p = makeProject({
      'models/a.sql': "{{ config(post_hook=\"select '{{ var('not_set') }}'\") }}select 1 as x",
    });
    const { manifest } = parseLoaded(loadProject(p.opts));
    expect(manifest.nodes['model.proj.a']!.config.post_hook).toEqual([{ sql: "select '{{ var('not_set') }}'", transaction: true, index: 0 }]);
  });
});
