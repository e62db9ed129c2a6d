import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { makeProject, type TestProject } from './harness.js';

async function cli(p: TestProject, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--project-dir', p.dir, '--profiles-dir', p.dir], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, env, p.dir);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** prod and dev targets in one DuckDB file, schemas `prod` and `dev`. */
function twoTargets(files: Record<string, string>): TestProject {
  const p = makeProject(files);
  p.write({
    'profiles.yml': `proj:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n      schema: dev\n      threads: 1\n    prod:\n      type: duckdb\n      path: dev.duckdb\n      schema: prod\n      threads: 1\n`,
  });
  return p;
}

const FILES = {
  'models/parent.sql': "{{ config(materialized='table') }}select '{{ target.name }}' as built_in",
  'models/child.sql': "{{ config(materialized='table') }}select built_in from {{ ref('parent') }}",
};

describe('--defer', () => {
  it('builds one model in dev against the prod relation of an unselected parent missing from dev', async () => {
    const p = twoTargets(FILES);
    expect((await cli(p, ['run', '--target', 'prod'])).code).toBe(0);
    cpSync(join(p.dir, 'target'), join(p.dir, 'prod-state'), { recursive: true });
    const r = await cli(p, ['run', '-s', 'child', '--defer', '--state', 'prod-state']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(await p.query('select built_in from dev.dev.child')).toEqual([{ built_in: 'prod' }]);
    expect(await p.query("select count(*)::int as n from information_schema.tables where table_schema = 'dev' and table_name = 'parent'")).toEqual([{ n: 0 }]);
    expect(readFileSync(join(p.dir, 'target/compiled/proj/models/child.sql'), 'utf8')).toContain('"dev"."prod"."parent"');
    // Render workers (threads > 1) defer the same way.
    expect((await cli(p, ['run', '-s', 'child', '--defer', '--state', 'prod-state', '--threads', '2'])).code).toBe(0);
    expect(await p.query('select built_in from dev.dev.child')).toEqual([{ built_in: 'prod' }]);
  });

  it('a parent that exists in dev is used, unless --favor-state (or DBT_FAVOR_STATE) is on; DBT_DEFER and DBT_STATE stand in for the flags', async () => {
    const p = twoTargets(FILES);
    await cli(p, ['run', '--target', 'prod']);
    cpSync(join(p.dir, 'target'), join(p.dir, 'prod-state'), { recursive: true });
    await cli(p, ['run', '-s', 'parent']);
    expect((await cli(p, ['run', '-s', 'child', '--defer', '--state', 'prod-state'])).code).toBe(0);
    expect(await p.query('select built_in from dev.dev.child')).toEqual([{ built_in: 'dev' }]);
    expect((await cli(p, ['run', '-s', 'child', '--defer', '--state', 'prod-state', '--favor-state'])).code).toBe(0);
    expect(await p.query('select built_in from dev.dev.child')).toEqual([{ built_in: 'prod' }]);
    expect((await cli(p, ['run', '-s', 'child'], { DBT_DEFER: 'true', DBT_STATE: 'prod-state', DBT_FAVOR_STATE: 'false' })).code).toBe(0);
    expect(await p.query('select built_in from dev.dev.child')).toEqual([{ built_in: 'dev' }]);
    expect((await cli(p, ['run', '-s', 'child'], { DBT_DEFER: '1', DBT_STATE: 'prod-state', DBT_FAVOR_STATE: 'true' })).code).toBe(0);
    expect(await p.query('select built_in from dev.dev.child')).toEqual([{ built_in: 'prod' }]);
  });

  it('--defer-state names the manifest to defer to apart from --state', async () => {
    const p = twoTargets(FILES);
    await cli(p, ['run', '--target', 'prod']);
    cpSync(join(p.dir, 'target'), join(p.dir, 'prod-state'), { recursive: true });
    expect((await cli(p, ['run', '-s', 'child', '--defer', '--defer-state', 'prod-state'])).code).toBe(0);
    expect(await p.query('select built_in from dev.dev.child')).toEqual([{ built_in: 'prod' }]);
  });

  it('bad input: --defer without a state, and a parent missing from both dev and the state, are usage errors (exit 2) naming the fix; nothing runs', async () => {
    const p = twoTargets(FILES);
    const noState = await cli(p, ['run', '-s', 'child', '--defer']);
    expect(noState.code).toBe(2);
    expect(noState.err).toContain('--defer needs the manifest of the run to defer to');
    expect(noState.err).toContain('--state <dir>');
    p.write({ 'empty-state/manifest.json': '{"nodes": {}, "macros": {}}' });
    const missing = await cli(p, ['run', '-s', 'child', '--defer', '--state', 'empty-state']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('[DEFER_MISSING]');
    expect(missing.err).toContain(`models/child.sql: ref('parent') resolves to "dev"."dev"."parent", which does not exist (and the --state manifest has no relation for it to defer to)`);
    expect(await p.query("select count(*)::int as n from information_schema.tables where table_name = 'child'")).toEqual([{ n: 0 }]);
  });
});

describe('clone --state', () => {
  it('creates views over the state relations in the target; an existing relation is a no-op unless --full-refresh', async () => {
    const p = twoTargets({ ...FILES, 'seeds/codes.csv': 'code\nA\n', 'models/eph.sql': "{{ config(materialized='ephemeral') }}select 1 as x" });
    expect((await cli(p, ['build', '--target', 'prod'])).code).toBe(0);
    cpSync(join(p.dir, 'target'), join(p.dir, 'prod-state'), { recursive: true });
    await cli(p, ['run', '-s', 'parent']);
    const r = await cli(p, ['clone', '--state', 'prod-state']);
    expect(r.code).toBe(0);
    const kinds = async () =>
      p.query("select table_name, table_type from information_schema.tables where table_schema = 'dev' order by table_name");
    expect(await kinds()).toEqual([
      { table_name: 'child', table_type: 'VIEW' },
      { table_name: 'codes', table_type: 'VIEW' },
      { table_name: 'parent', table_type: 'BASE TABLE' },
    ]);
    expect(await p.query('select built_in from dev.dev.child')).toEqual([{ built_in: 'prod' }]);
    expect(await p.query('select built_in from dev.dev.parent')).toEqual([{ built_in: 'dev' }]);
    const results = JSON.parse(readFileSync(join(p.dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; message: string }[] };
    expect(Object.fromEntries(results.results.map((x) => [x.unique_id, x.message]))).toEqual({
      'model.proj.parent': 'No-op',
      'model.proj.child': 'OK',
      'seed.proj.codes': 'OK',
    });
    expect((await cli(p, ['clone', '--state', 'prod-state', '--full-refresh', '-s', 'parent'])).code).toBe(0);
    expect(await p.query('select built_in from dev.dev.parent')).toEqual([{ built_in: 'prod' }]);
    expect((await kinds())[2]).toEqual({ table_name: 'parent', table_type: 'VIEW' });
  });

  it('clone without --state is a usage error (exit 2)', async () => {
    const p = twoTargets(FILES);
    const r = await cli(p, ['clone']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('clone needs the manifest of the run to clone from');
  });
});
