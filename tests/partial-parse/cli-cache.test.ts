import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

const PROJECT = {
  'macros/double.sql': '{% macro double(x) %}({{ x }} * 2){% endmacro %}\n',
  'models/stg_a.sql': 'select 1 as id, 5 as amount',
  'models/mart_a.sql': "{{ config(materialized='table') }}\nselect id, {{ double('amount') }} as amount2 from {{ ref('stg_a') }}",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: mart_a\n    columns:\n      - name: id\n        tests: [not_null]\n',
};

async function cli(args: string[], dir: string, env: Record<string, string> = {}) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir, '--debug'], io.streams, env);
  const stdout = io.stdout.join('');
  return { code, stdout, full: /Unable to do partial parsing|Partial parsing not enabled/.test(stdout), disabled: stdout.includes('Partial parsing not enabled') };
}

/** Every compiled file under target/compiled, path → SQL. */
function compiled(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[p.slice(dir.length)] = readFileSync(p, 'utf8');
    }
  };
  walk(join(dir, 'target/compiled'));
  return out;
}

describe('the CLI commands parse through the cache', () => {
  it('parse writes it; ls, compile, run and build reuse it with the same results', async () => {
    const dir = makeProject(PROJECT);
    expect((await cli(['parse'], dir)).full).toBe(true);
    expect(existsSync(join(dir, 'target/partial_parse.json'))).toBe(true);

    const ls = await cli(['ls', '--output', 'name'], dir);
    expect(ls.full).toBe(false);
    const lsFull = await cli(['ls', '--output', 'name', '--no-partial-parse'], dir);
    expect(lsFull.disabled).toBe(true);
    const names = (s: string) => s.split('\n').filter((l) => /^(stg_a|mart_a|not_null_mart_a_id)$/.test(l.trim())).sort();
    expect(names(ls.stdout)).toEqual(['mart_a', 'not_null_mart_a_id', 'stg_a']);
    expect(names(ls.stdout)).toEqual(names(lsFull.stdout));

    expect((await cli(['compile', '--no-partial-parse'], dir)).code).toBe(0);
    const full = compiled(dir);
    rmSync(join(dir, 'target/compiled'), { recursive: true });
    const c = await cli(['compile'], dir);
    expect(c.code).toBe(0);
    expect(c.full).toBe(false);
    expect(compiled(dir)).toEqual(full);
    expect(Object.values(full).join('\n')).toContain('(amount * 2) as amount2');

    for (const cmd of ['run', 'build']) {
      const r = await cli([cmd], dir);
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout.split('\n').find((l) => /partial pars/i.test(l)) ?? 'cache used', cmd).toBe('cache used');
      expect(r.stdout).toContain('Completed successfully');
    }
  }, 180_000);

  it('DBT_PARTIAL_PARSE=false turns it off; --partial-parse wins over the variable', async () => {
    const dir = makeProject(PROJECT);
    await cli(['parse'], dir);
    expect((await cli(['ls'], dir, { DBT_PARTIAL_PARSE: 'false' })).disabled).toBe(true);
    const flagWins = await cli(['ls', '--partial-parse'], dir, { DBT_PARTIAL_PARSE: 'false' });
    expect(flagWins.disabled).toBe(false);
    expect(flagWins.full).toBe(false);
    expect((await cli(['ls'], dir, { DBT_PARTIAL_PARSE: 'true' })).full).toBe(false);
  });
});
