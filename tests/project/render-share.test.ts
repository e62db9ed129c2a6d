/**
 * A full parse's node files rendered on a worker thread as well as here
 * (project/render-share.ts): manifest.json, the parse cache and the output
 * (errors, warnings, log lines, in order) must be byte for byte what a parse
 * without the worker gives, and what the plain path (TSDBT_FAST_PATHS=0) gives.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BOOTSTRAP_SOURCE } from '../../src/adapters/base/sync-bridge-bootstrap.js';
import { setRenderShareForTests } from '../../src/api/render-share-start.js';
import { runCli } from '../../src/cli/main.js';
import { blankNode } from '../../src/project/node-defaults.js';
import { RenderShare } from '../../src/project/render-share.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

afterEach(() => {
  setFastPaths(true);
  setRenderShareForTests(500, false);
});

type Mode = 'worker' | 'no worker' | 'plain';

/** `parse` of `dir` (target/ removed first): manifest.json and the parse cache with their per-invocation fields blanked, the output, and the worker's counts. */
async function parse(dir: string, mode: Mode, args: string[] = []): Promise<{ code: number; manifest: string; cache: string; out: string; counts?: RenderShare['counts'] }> {
  rmSync(join(dir, 'target'), { recursive: true, force: true });
  setFastPaths(mode !== 'plain');
  setRenderShareForTests(mode === 'worker' ? 0 : 1e9, mode === 'worker');
  const start = RenderShare.start.bind(RenderShare);
  const shares: RenderShare[] = [];
  const spy = vi.spyOn(RenderShare, 'start').mockImplementation((...args) => {
    const s = start(...args);
    if (s) shares.push(s);
    return s;
  });
  const io = captureStreams();
  let code: number;
  try {
    code = await runCli(['parse', '--project-dir', dir, '--profiles-dir', dir, ...args], io.streams, { TSDBT_RS_VAR: 'from env' });
  } finally {
    spy.mockRestore();
  }
  const blank = (text: string) => text.replace(/"(generated_at|invocation_id|id|statesAt)":("[^"]*"|\d+)/g, '"$1":"-"');
  const read = (f: string) => (existsSync(join(dir, 'target', f)) ? blank(readFileSync(join(dir, 'target', f), 'utf8')) : '');
  const out = (io.stdout.join('') + io.stderr.join('')).replace(/\d{2}:\d{2}:\d{2}/g, 'T').replace(/parsed in [\d.]+s/, 'parsed in Xs');
  expect(shares.length).toBe(mode === 'worker' ? 1 : 0);
  return { code, manifest: read('manifest.json'), cache: read('partial_parse.json'), out, counts: shares[0]?.counts };
}

/** The three ways give the same; the worker's parse, with the renders it took. */
async function expectSameThreeWays(dir: string, args: string[] = []): Promise<Awaited<ReturnType<typeof parse>>> {
  const worker = await parse(dir, 'worker', args);
  const without = await parse(dir, 'no worker', args);
  const plain = await parse(dir, 'plain', args);
  expect(worker.out).toBe(without.out);
  expect(worker.manifest).toBe(without.manifest);
  expect(worker.cache).toBe(without.cache);
  expect(plain.out).toBe(without.out);
  expect(plain.manifest).toBe(without.manifest);
  return worker;
}

/** Models whose renders read what differs per node, and some that only this thread may render (they log, or are versioned). */
function project(extra: Record<string, string> = {}): Record<string, string> {
  const files: Record<string, string> = {
    'dbt_project.yml': 'name: test_project\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\nvars:\n  greeting: "{{ \'hi \' ~ this.name }}"\nmodels:\n  test_project:\n    +tags: [proj]\n',
    'macros/node.sql': [
      "{% macro who() %}{{ this.name }}/{{ model.name }}{% endmacro %}",
      "{% macro cfg(key) %}{{ return(config.get(key, 'none')) }}{% endmacro %}",
      "{% macro set_cfg() %}{{ config(tags=['from_' ~ this.name], meta={'n': model.name | length}) }}{% endmacro %}",
      "{% macro ref_in_macro(n) %}{{ ref(n) }}{% endmacro %}",
      "{% macro src_in_macro() %}{{ source('raw', 'events') }}{% endmacro %}",
      "{% macro greet() %}{{ var('greeting') }}{% endmacro %}",
      "{% macro from_env() %}{{ env_var('TSDBT_RS_VAR', 'none') }}{% endmacro %}",
      "{% macro dispatched() %}{{ return(adapter.dispatch('dispatched')()) }}{% endmacro %}",
      "{% macro default__dispatched() %}{{ return('d:' ~ this.name) }}{% endmacro %}",
      "{% macro fails_for(name) %}{% if this.name == name %}{{ exceptions.raise_compiler_error('failing in ' ~ this.name) }}{% endif %}ok{% endmacro %}",
    ].join('\n'),
    // A top level (dbt renders each macro block alone, so `seen` is not defined inside remember()).
    'macros/top_level.sql': "{% set seen = namespace(names=[]) %}\n{% macro remember() %}{{ config(meta={'seen': (seen is defined) ~ ':' ~ this.name}) }}{% endmacro %}",
    'models/schema.yml': [
      'version: 2',
      'sources:',
      '  - name: raw',
      '    tables: [{name: events}]',
      'models:',
      '  - name: m_cfg',
      '    config: {materialized: table}',
      '  - name: m_versioned',
      '    latest_version: 2',
      '    versions: [{v: 1}, {v: 2}]',
      '',
    ].join('\n'),
    'models/m_static.sql': "select * from {{ source('raw', 'events') }}",
    // It reads its config at parse, which answers '' there (dbt's parse-time config), whatever its properties entry sets: the ref is taken.
    'models/m_cfg.sql': "{% if cfg('materialized') == '' %}{{ ref('m_static') }}{% endif %}select '{{ who() }}' as w",
    'models/m_log.sql': "{% do exceptions.warn('warned at parse by ' ~ this.name) %}select '{{ who() }}' as w",
    'models/m_versioned_v1.sql': "select '{{ who() }}' as w",
    'models/m_versioned_v2.sql': "select '{{ who() }}' as w, 2 as v",
    // Last in order: the worker's first render.
    'models/z_last.sql': "select '{{ who() }}' as w from {{ ref_in_macro('m_static') }}",
    ...extra,
  };
  for (let i = 0; i < 24; i++) {
    const n = String(i).padStart(2, '0');
    const body = [
      `select '{{ who() }}' as w, '{{ greet() }}' as g, '{{ from_env() }}' as e, '{{ dispatched() }}' as d`,
      i % 3 === 0 ? ` from {{ ref_in_macro('m_static') }}` : i % 3 === 1 ? ' from {{ src_in_macro() }}' : ` from {{ ref('m_${String(i - 1).padStart(2, '0')}') }}`,
      i % 2 === 0 ? ' {{ set_cfg() }}' : " {{ config(materialized='view', tags=['odd']) }}",
      i % 4 === 0 ? ' -- {{ remember() }}' : '',
    ].join('');
    files[`models/m_${n}.sql`] = body;
  }
  return files;
}

describe('node files rendered on a worker thread at parse', () => {
  it('give the same manifest, parse cache and output as a parse without the worker and the plain parse', async () => {
    const r = await expectSameThreeWays(makeProject(project()));
    expect(r.code).toBe(0);
    // The worker took renders, and the parse did the rest (those logging, versioned, and its own share).
    expect(r.counts!.listed).toBe(24 + 4 + 1);
    expect(r.counts!.taken).toBeGreaterThan(0);
    expect(r.out).toContain('warned at parse by m_log');
    const m = JSON.parse(r.manifest);
    expect(m.nodes['model.test_project.m_cfg'].depends_on.nodes).toEqual(['model.test_project.m_static']);
    expect(m.nodes['model.test_project.m_23'].config.tags).toEqual(['proj', 'odd']);
    expect(m.nodes['model.test_project.m_22'].config.tags).toEqual(['proj', 'from_m_22']);
    expect(m.nodes['model.test_project.m_23'].depends_on.nodes).toEqual(['model.test_project.m_22']);
    expect(m.nodes['model.test_project.m_12'].config.meta).toEqual({ n: 4, seen: 'False:m_12' });
    expect(m.nodes['model.test_project.m_12'].depends_on.macros).toEqual(['macro.test_project.who', 'macro.test_project.greet', 'macro.test_project.from_env', 'macro.test_project.dispatched', 'macro.test_project.ref_in_macro', 'macro.test_project.set_cfg', 'macro.test_project.remember']);
    expect(m.nodes['model.test_project.m_versioned.v2'].version).toBe(2);
  }, 120_000);

  it('the same with partial parsing off (no parse cache to record reads in)', async () => {
    const r = await expectSameThreeWays(makeProject(project()), ['--no-partial-parse']);
    expect(r.code).toBe(0);
    expect(r.counts!.taken).toBeGreaterThan(0);
    expect(r.cache).toBe('');
    expect(JSON.parse(r.manifest).nodes['model.test_project.m_cfg'].depends_on.nodes).toEqual(['model.test_project.m_static']);
  }, 120_000);

  it('a model that fails in the worker fails with the same located error, and the others still parse', async () => {
    // Last in order: the worker renders it first, and leaves it to the parsing thread.
    const r = await expectSameThreeWays(makeProject(project({ 'models/zz_fails.sql': "\n\nselect '{{ fails_for('zz_fails') }}' as f from {{ ref('m_00') }}" })));
    expect(r.code).not.toBe(0);
    expect(r.counts!.left).toBeGreaterThan(0);
    expect(r.out).toContain('failing in zz_fails');
    expect(r.out).toContain('[COMPILER_ERROR] macros/node.sql:10: failing in zz_fails\n  > called by model zz_fails (models/zz_fails.sql)');
  }, 120_000);
});

describe('RenderShare', () => {
  it('renders nothing when its worker cannot start: every file is rendered by the parse', () => {
    const share = RenderShare.start({ entry: 'file:///nonexistent/parse-render-worker.js' }, BOOTSTRAP_SOURCE, { options: {}, invocationId: 'x', runStartedAt: new Date().toISOString(), flags: {}, recordedEnv: false })!;
    expect(share).toBeDefined();
    const node = blankNode({ unique_id: 'model.p.m', resource_type: 'model', package_name: 'p', name: 'm', path: 'm.sql', original_file_path: 'models/m.sql', fqn: ['p', 'm'], raw_code: '{{ x() }}' });
    expect(share.take(node, { osEnv: {} })).toBeUndefined();
    expect(share.counts.taken).toBe(0);
    share.close();
  }, 120_000);
});
