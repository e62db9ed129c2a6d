/**
 * Dict keys keep their Python type in a real project: relations as keys
 * (`{ref('m'): ...}` iterates Relations, and an equal relation finds the
 * entry), int keys through a macro, and context functions (config, var's
 * default, a macro returning a dict to the materialization) still receive
 * plain objects.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

describe('typed dict keys in a project (DuckDB)', () => {
  it('relations stay relation keys; int keys stay ints; config(meta=...) gets a plain object', async () => {
    const dir = makeProject({
      'profiles.yml': 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: "k.duckdb"\n',
      'models/a.sql': 'select 1 as id',
      'models/b.sql': 'select 2 as id',
      'macros/by_rel.sql': [
        '{% macro by_rel() %}',
        "{% set d = {ref('a'): 'first', ref('b'): 'second'} %}",
        "{% set parts = [] %}{% for rel, label in d.items() %}{% do parts.append(\"select '\" ~ label ~ \"' as label, id, '\" ~ rel.identifier ~ \"' as ident from \" ~ rel) %}{% endfor %}",
        "{% do return(parts | join(' union all ') ~ \" union all select '\" ~ d[ref('a')] ~ \"-\" ~ (ref('b') in d) ~ \"', 0, 'lookup'\") %}",
        '{% endmacro %}',
      ].join('\n'),
      'models/c.sql': [
        "{{ config(materialized='table', meta={1: 'one', 'k': 'v'}) }}",
        "{% set counts = {} %}{% for i in [3, 1, 3] %}{% do counts.update({i: counts.get(i, 0) + 1}) %}{% endfor %}",
        "{{ by_rel() }} union all select '{{ counts }}', {{ counts[3] }}, '{{ counts.keys() | list | sum }}'",
      ].join('\n'),
    });
    expect(await runCli(['build', '--project-dir', dir], captureStreams().streams, {})).toBe(0);
    const io = captureStreams();
    expect(await runCli(['show', '--inline', 'select label, id, ident from c order by id, label', '--project-dir', dir], io.streams, {})).toBe(0);
    const out = io.stdout.join('');
    // (show prints as dbt's: whole numbers right-justified.)
    expect(out).toMatch(/\| first-True +\| +0 \| lookup \|/);
    expect(out).toMatch(/\| first +\| +1 \| a +\|/);
    expect(out).toMatch(/\| second +\| +2 \| b +\|/);
    expect(out).toMatch(/\| \{3: 2, 1: 1\} +\| +2 \| 4 +\|/);
    const ls = captureStreams();
    expect(await runCli(['ls', '-s', 'c', '--output', 'json', '--output-keys', 'config', '--project-dir', dir], ls.streams, {})).toBe(0);
    expect(JSON.parse(ls.stdout.join('').trim()).config.meta).toEqual({ 1: 'one', k: 'v' });
  }, 180_000);

  it('a dict that starts plain (a var from dbt_project.yml, a text-keyed literal) takes relation and int keys as Python does', async () => {
    const dir = makeProject({
      'dbt_project.yml': "name: test_project\nprofile: test_profile\nvars:\n  labels: {'1': text_one, base: x}\n",
      'profiles.yml': 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: "p.duckdb"\n',
      'models/a.sql': 'select 1 as id',
      'models/d.sql': [
        "{% set g = var('labels') %}",
        "{% do g.update({ref('a'): 'rel', 1: 'int_one'}) %}",
        "{% set parts = [] %}{% for k, v in g.items() %}{% do parts.append((k.identifier if k is not string and k is not number else k ~ '') ~ '=' ~ v) %}{% endfor %}",
        "{% set m = {'k': 'v'} %}{% do m.setdefault(none, []).append(ref('a').identifier) %}",
        "select '{{ parts | join(\",\") }}' as s, {{ g | length }} as n, '{{ g[ref(\"a\")] }}/{{ g[1] }}/{{ g[\"1\"] }}' as r, '{{ m | replace(\"'\", \"\") }}' as m",
      ].join('\n'),
    });
    expect(await runCli(['build', '--project-dir', dir], captureStreams().streams, {})).toBe(0);
    const io = captureStreams();
    // (As JSON: show's table cuts cells at 20 characters, as dbt's.)
    expect(await runCli(['show', '--inline', 'select s, n, r, m from d', '--output', 'json', '--quiet', '--project-dir', dir], io.streams, {})).toBe(0);
    expect(JSON.parse(io.stdout.join(''))).toEqual({ show: [{ s: '1=text_one,base=x,a=rel,1=int_one', n: 4, r: 'rel/int_one/text_one', m: '{k: v, None: [a]}' }] });
  }, 180_000);
});
