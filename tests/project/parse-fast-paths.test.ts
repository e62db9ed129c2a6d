/**
 * A parse's shortcuts for rendering node files (one parse context and its
 * bound macros per package, reused by every node with the node's own vars;
 * see context-factory.ts forParse) against the plain path (TSDBT_FAST_PATHS=0:
 * a fresh context and fresh macro bindings per node): manifest.json and the
 * parse's output must be byte for byte the same.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { JinjaEnvironment } from '../../src/jinja/environment.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
import { PrefetchedTexts } from '../../src/util/prefetched-texts.js';
import { setPrefetchAtLeastForTests } from '../../src/project/sql-node-files.js';
import { forceYamlWorkerForTests, PrefetchedYaml } from '../../src/util/prefetched-yaml.js';
import { captureStreams, makeProject, MEMORY_PROFILE } from '../support/project-fixture.js';
// @ts-expect-error: the bench's project generators are plain ES modules without types.
import { generateProject, generateRealisticProject } from '../../bench/generate-project.mjs';
import { blankedArtifact } from '../support/blanked-artifact.js';

const EXT = '/work/ext';

afterEach(() => {
  setFastPaths(true);
});

/** `parse` of `dir` (target/ removed first): manifest.json with its per-invocation fields blanked, and the output. */
async function parse(dir: string, fast: boolean): Promise<{ code: number; manifest: string; out: string; files?: unknown }> {
  rmSync(join(dir, 'target'), { recursive: true, force: true });
  setFastPaths(fast);
  const io = captureStreams();
  const code = await runCli(['parse', '--project-dir', dir, '--profiles-dir', dir], io.streams, {});
  const path = join(dir, 'target/manifest.json');
  const manifest = existsSync(path) ? blankedArtifact(path) : '';
  const out = (io.stdout.join('') + io.stderr.join('')).replace(/\d{2}:\d{2}:\d{2}/g, 'T').replace(/parsed in [\d.]+s/, 'parsed in Xs');
  // The parse cache's input file states (its header's `files`): with the fast paths, the model files' rows come from the parse's own reads.
  const cache = join(dir, 'target/partial_parse.json');
  const files = existsSync(cache) ? (JSON.parse(readFileSync(cache, 'utf8').split('\n', 1)[0]!) as { files: unknown }).files : undefined;
  return { code, manifest, out, files };
}

async function expectSameBothWays(dir: string): Promise<{ code: number; manifest: string; out: string }> {
  const fast = await parse(dir, true);
  const plain = await parse(dir, false);
  expect(fast.out).toBe(plain.out);
  expect(fast.manifest).toBe(plain.manifest);
  expect(fast.files).toEqual(plain.files);
  if (fast.files) expect((fast.files as { hash: string[] }).hash.every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
  return fast;
}

/** Nodes of one package calling the same macros, which read what differs per node. */
const PROJECT: Record<string, string> = {
  'dbt_project.yml':
    'name: test_project\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\nvars:\n  greeting: "{{ \'hi \' ~ this.name }}"\n  tbl: "{{ ref(\'a\') }}"\non-run-start: ["select \'{{ who() }}\'"]\n',
  // Macros reading the node: this, model, config, ref, var, graph, context and builtins.
  'macros/node.sql': [
    "{% macro who() %}{{ this.name }}/{{ model.name }}/{{ model.resource_type }}{% endmacro %}",
    "{% macro cfg(key) %}{{ return(config.get(key, 'none')) }}{% endmacro %}",
    "{% macro set_cfg() %}{{ config(tags=['from_' ~ this.name]) }}{% endmacro %}",
    "{% macro ref_in_macro(n) %}{{ ref(n) }}{% endmacro %}",
    "{% macro src_in_macro() %}{{ source('raw', 'events') }}{% endmacro %}",
    "{% macro via_context(n) %}{{ context.get('who')() }}|{{ builtins.ref(n) }}|{{ context['var']('greeting') }}{% endmacro %}",
    "{% macro wrap() %}<{{ caller() }}>{% endmacro %}",
    "{% macro greet() %}{{ var('greeting') }}{% endmacro %}",
    "{% macro fails_for(name) %}{% if this.name == name %}{{ exceptions.raise_compiler_error('failing in ' ~ this.name) }}{% endif %}ok{% endmacro %}",
    "{% macro dispatched() %}{{ return(adapter.dispatch('dispatched')()) }}{% endmacro %}",
    "{% macro default__dispatched() %}{{ return('d:' ~ this.name) }}{% endmacro %}",
  ].join('\n'),
  // A file with a top level that reads the context: dbt renders each macro block alone, so remember() sees neither name.
  'macros/top_level.sql':
    "{% set seen = namespace(names=[]) %}{% set first_this = this %}\n{% macro remember() %}{{ config(meta={'seen': (seen is defined) ~ ',' ~ (first_this is defined), 'first': this.identifier}) }}{% endmacro %}",
  'macros/tests.sql': "{% test is_named(model, column_name, expected) %}{{ config(severity='warn', tags=[expected]) }}select * from {{ model }} where '{{ who() }}' = '{{ expected }}'{% endtest %}",
  'models/a.sql': "{{ set_cfg() }}select '{{ who() }}' as w, '{{ cfg('materialized') }}' as m, '{{ greet() }}' as g, '{{ remember() }}' as r",
  'models/b.sql': "{{ config(materialized='table') }}select '{{ who() }}' as w, '{{ cfg('materialized') }}' as m from {{ ref_in_macro('a') }} -- {{ remember() }} {{ set_cfg() }}",
  'models/c.sql': "select '{{ via_context('b') }}' as v, '{{ dispatched() }}' as d {% call wrap() %}{{ who() }}{% endcall %} from {{ src_in_macro() }} -- {{ var('tbl') }} {{ remember() }}",
  'models/d_fails.sql': "select '{{ fails_for('d_fails') }}' as f, '{{ who() }}' as w from {{ ref('c') }}",
  'models/e.sql': "select '{{ fails_for('d_fails') }}' as f, '{{ who() }}' as w, '{{ cfg('materialized') }}' as m, '{{ dispatched() }}' as d from {{ ref('c') }} -- {{ remember() }}",
  'snapshots/snap.sql': "{% snapshot snap %}{{ config(target_schema='snaps', unique_key='id', strategy='check', check_cols='all') }}select '{{ who() }}' as w from {{ ref('a') }}{% endsnapshot %}",
  'models/schema.yml':
    'version: 2\nsources:\n  - name: raw\n    tables: [{name: events}]\nmodels:\n  - name: a\n    columns:\n      - name: w\n        data_tests: [not_null, {is_named: {expected: a}}]\n  - name: b\n    columns:\n      - name: w\n        data_tests: [{is_named: {expected: b}}, {relationships: {to: "ref(\'a\')", field: w}}]\n',
};

describe('parse shortcuts give what the plain parse gives (manifest.json, output)', () => {
  it('nodes of a package sharing macros that read this, model, config, ref, var, context and builtins; a failing node; a file with a top level', async () => {
    const r = await expectSameBothWays(makeProject(PROJECT));
    // The parse failed on d_fails alone (its error is the same both ways, and later nodes still parsed).
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('failing in d_fails');
    const dir = makeProject({ ...PROJECT, 'models/d_fails.sql': "select '{{ who() }}' as w from {{ ref('c') }}" });
    const ok = await expectSameBothWays(dir);
    expect(ok.code).toBe(0);
    const m = JSON.parse(ok.manifest);
    expect(m.nodes['model.test_project.a'].config.tags).toEqual(['from_a']);
    expect(m.nodes['model.test_project.b'].config.tags).toEqual(['from_b']);
    // The file's top level is not run: its names are not defined in its macros.
    expect(m.nodes['model.test_project.b'].config.meta).toEqual({ seen: 'False,False', first: 'b' });
    expect(m.nodes['model.test_project.b'].depends_on.nodes).toEqual(['model.test_project.a']);
    expect(m.nodes['model.test_project.c'].depends_on.nodes).toEqual(['model.test_project.b', 'model.test_project.a', 'source.test_project.raw.events']);
    expect(m.nodes['model.test_project.c'].sources).toEqual([['raw', 'events']]);
    expect(m.nodes['model.test_project.c'].depends_on.macros).toEqual(['macro.test_project.via_context', 'macro.test_project.dispatched', 'macro.test_project.wrap', 'macro.test_project.src_in_macro', 'macro.test_project.remember']);
    const test = Object.values(m.nodes as Record<string, { name: string; config: { severity: string; tags: string[] } }>).find((n) => n.name.startsWith('is_named_b_w'))!;
    expect(test.config).toMatchObject({ severity: 'warn', tags: ['b'] });
  });

  it('packages with their own macros of the same names as the root project', async () => {
    const dir = makeProject({
      ...PROJECT,
      'packages.yml': 'packages:\n  - local: pkg\n',
      'pkg/dbt_project.yml': 'name: pkg\nversion: "1.0.0"\nconfig-version: 2\n',
      'pkg/macros/m.sql': "{% macro who() %}pkg:{{ this.name }}{% endmacro %}\n{% macro only_pkg() %}{{ who() }}+{{ ref('pa') }}{% endmacro %}",
      'pkg/models/pa.sql': "select '{{ who() }}' as w",
      'pkg/models/pb.sql': "select '{{ only_pkg() }}' as w, '{{ pkg.who() }}' as x, '{{ test_project.who() }}' as y",
      'models/d_fails.sql': "select '{{ pkg.only_pkg() }}' as w from {{ ref('pkg', 'pb') }}",
    });
    mkdirSync(join(dir, 'dbt_packages'));
    symlinkSync(join(dir, 'pkg'), join(dir, 'dbt_packages', 'pkg'));
    const r = await expectSameBothWays(dir);
    expect(r.code).toBe(0);
  });

  it('properties strings repeated across files and packages: rendered once per package and text when pure, every time otherwise', async () => {
    const schema = "\"{%- if var('prefix', None) != None -%}{{ var('prefix') }}_mart{% else %}mart{%- endif -%}\"";
    const enabled = "\"{{ (var('tests_on', true)) | as_bool }}\"";
    const props = (models: string[]) =>
      'version: 2\nmodels:\n' +
      models
        .map(
          (m) =>
            `  - name: ${m}\n    config:\n      schema: ${schema}\n      tags: "{{ var('tag_list', ['t']) }}"\n      meta: {env: "{{ env_var('TSDBT_PURE_TEST', 'unset') }}", when: "{{ target.name ~ '-' ~ (var('n', 1) * 2) }}"}\n    columns:\n      - name: id\n        data_tests:\n          - not_null:\n              config:\n                enabled: ${enabled}\n                severity: "{{ 'warn' if target.type == 'duckdb' else 'error' }}"\n`,
        )
        .join('');
    const dir = makeProject({
      'dbt_project.yml': 'name: test_project\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\nvars:\n  prefix: root\n  test_project:\n    tests_on: false\n  pkg:\n    n: 5\n',
      'packages.yml': 'packages:\n  - local: pkg\n',
      'models/a.sql': 'select 1 as id',
      'models/b.sql': 'select 1 as id',
      'models/c.sql': 'select 1 as id',
      'models/one.yml': props(['a', 'b']),
      'models/two.yml': props(['c']),
      'pkg/dbt_project.yml': 'name: pkg\nversion: "1.0.0"\nconfig-version: 2\nvars:\n  tag_list: [p1, p2]\n',
      'pkg/models/pa.sql': 'select 1 as id',
      'pkg/models/pb.sql': 'select 1 as id',
      'pkg/models/props.yml': props(['pa', 'pb']),
    });
    mkdirSync(join(dir, 'dbt_packages'));
    symlinkSync(join(dir, 'pkg'), join(dir, 'dbt_packages', 'pkg'));
    const r = await expectSameBothWays(dir);
    expect(r.code).toBe(0);
    const nodes = JSON.parse(r.manifest).nodes;
    // Each package its own value of the same text (the root's var for the root, the package's own for the package).
    expect(nodes['model.test_project.c'].config.schema).toBe('root_mart');
    expect(nodes['model.pkg.pb'].config.schema).toBe('root_mart');
    expect(nodes['model.test_project.a'].config.tags).toEqual(['t']);
    expect(nodes['model.pkg.pa'].config.tags).toEqual(['p1', 'p2']);
    expect(nodes['model.pkg.pa'].config.meta.when).toMatch(/-10$/);
    expect(nodes['model.test_project.b'].config.meta.when).toMatch(/-2$/);
    // A test disabled by the root's var is dropped, one of the package's kept, warned (duckdb) in both.
    expect(Object.keys(nodes).filter((k) => k.startsWith('test.test_project.'))).toEqual([]);
    expect(Object.keys(nodes).filter((k) => k.startsWith('test.pkg.')).map((k) => nodes[k].config.severity)).toEqual(['warn', 'warn']);
    // The pure texts rendered once per package (the env_var one every time), in the plain parse every time.
    const renders = vi.spyOn(JinjaEnvironment.prototype, 'renderNative');
    try {
      const count = async (fast: boolean) => {
        renders.mockClear();
        await parse(dir, fast);
        return renders.mock.calls.map((c) => c[0] as string);
      };
      const fast = await count(true);
      const plain = await count(false);
      expect(fast.filter((t) => t.includes('prefix'))).toHaveLength(2);
      expect(plain.filter((t) => t.includes('prefix'))).toHaveLength(5);
      expect(fast.filter((t) => t.includes('env_var'))).toHaveLength(5);
      expect(fast.length).toBeLessThan(plain.length);
    } finally {
      renders.mockRestore();
    }
    // The same failing text in two files: each file's own error (a render that raised is never reused).
    writeFileSync(join(dir, 'models/one.yml'), props(['a', 'b']).replace("var('prefix', None) != None", "var('no_such_var') != None"));
    writeFileSync(join(dir, 'models/two.yml'), props(['c']).replace("var('prefix', None) != None", "var('no_such_var') != None"));
    const broken = await expectSameBothWays(dir);
    expect(broken.code).not.toBe(0);
    expect(broken.out).toMatch(/models\/one\.yml/);
    expect(broken.out).toMatch(/models\/two\.yml/);
  });

  it("on dbt-core's benchmark shape and the realistic shape", async () => {
    for (const gen of [generateProject, generateRealisticProject]) {
      const dir = makeProject({});
      gen(dir, 40);
      writeFileSync(join(dir, 'profiles.yml'), MEMORY_PROFILE.replace('test_profile', 'bench'));
      expect((await expectSameBothWays(dir)).code).toBe(0);
    }
  });

  it('a project large enough that its SQL files are read on a worker thread while macros and properties are read', async () => {
    const dir = makeProject({});
    generateProject(dir, 520);
    writeFileSync(join(dir, 'profiles.yml'), MEMORY_PROFILE.replace('test_profile', 'bench'));
    writeFileSync(join(dir, 'dbt_project.yml'), `${readFileSync(join(dir, 'dbt_project.yml'), 'utf8')}analysis-paths: ["analyses"]\n`);
    const files: Record<string, string> = {
      'models/sub/wide.sql': `select '${'é'.repeat(40_000)}' as wide_one -- larger than one read's buffer`,
      'models/sub/unicode.sql': "\n\n  select '日本 🎉' as u  \n",
      'analyses/an.sql': "select * from {{ ref('model_3') }}",
      'tests/singular.sql': "select * from {{ ref('model_2') }} where id < 0",
      'tests/generic/is_even.sql': '{% test is_even(model, column_name) %}select * from {{ model }} where {{ column_name }} % 2 = 1{% endtest %}',
      'snapshots/snap.sql': "{% snapshot snap %}{{ config(target_schema='snaps', unique_key='id', strategy='check', check_cols='all') }}select * from {{ ref('model_1') }}{% endsnapshot %}",
    };
    for (const [f, body] of Object.entries(files)) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), body);
    }
    // The worker runs however busy the machine is (it would not start when the load leaves no core spare).
    const threshold = setPrefetchAtLeastForTests(500);
    const start = PrefetchedTexts.start.bind(PrefetchedTexts);
    const started = vi.spyOn(PrefetchedTexts, 'start').mockImplementation((paths, _busy, states) => start(paths, true, states));
    try {
      const r = await expectSameBothWays(dir);
      expect(r.code).toBe(0);
      // Fast: one worker, given every model, analysis, singular test and snapshot file (not the generic test); plain: none.
      expect(started).toHaveBeenCalledTimes(1);
      // Asked for each file's state with its text (a cold parse's cache takes those rows from these reads).
      expect(started.mock.calls[0]![2]).toBe(true);
      const paths = started.mock.calls[0]![0];
      expect(paths).toHaveLength(520 + 5);
      expect(paths.some((p) => p.endsWith('is_even.sql'))).toBe(false);
      const m = JSON.parse(r.manifest);
      expect(m.nodes['model.bench.wide'].raw_code).toContain('é'.repeat(40_000));
      expect(m.nodes['model.bench.unicode'].raw_code).toBe("select '日本 🎉' as u");
      expect(m.nodes['snapshot.bench.snap'].depends_on.nodes).toEqual(['model.bench.model_1']);
      expect(Object.keys(m.nodes).filter((k) => k.startsWith('analysis.') || k.startsWith('test.bench.singular'))).toHaveLength(2);
    } finally {
      started.mockRestore();
      setPrefetchAtLeastForTests(threshold);
    }
  }, 60_000);

  it('properties files parsed on a worker thread while macros are read (both shapes, a YAML error located the same)', async () => {
    forceYamlWorkerForTests(true);
    const take = vi.spyOn(PrefetchedYaml.prototype, 'take');
    try {
      for (const gen of [generateProject, generateRealisticProject]) {
        const dir = makeProject({});
        gen(dir, 60);
        writeFileSync(join(dir, 'profiles.yml'), MEMORY_PROFILE.replace('test_profile', 'bench'));
        take.mockClear();
        expect((await expectSameBothWays(dir)).code).toBe(0);
        // Fast: every properties file offered to the worker's results (plain: no worker at all), and parsed there.
        expect(take.mock.calls.length).toBeGreaterThan(0);
        expect(take.mock.results.every((r) => r.value !== undefined)).toBe(true);
        // A syntax error in a file the worker reads: the same located error both ways.
        writeFileSync(join(dir, 'models/zz_broken.yml'), 'version: 2\nmodels:\n  - name: model_1\n    columns: [a, b\n');
        const broken = await expectSameBothWays(dir);
        expect(broken.code).not.toBe(0);
        expect(broken.out).toMatch(/models\/zz_broken\.yml:\d+/);
        // Errors from the node files (a snapshot block never closed) and from the properties (a nameless entry) come
        // out as without the worker, in the same order.
        rmSync(join(dir, 'models/zz_broken.yml'));
        writeFileSync(join(dir, 'models/zz_nameless.yml'), 'version: 2\nmodels:\n  - description: nameless\n');
        mkdirSync(join(dir, 'snapshots'), { recursive: true });
        writeFileSync(join(dir, 'snapshots/open.sql'), '{% snapshot open %}\nselect 1\n');
        const both = await expectSameBothWays(dir);
        expect(both.code).not.toBe(0);
        expect(both.out).toMatch(/zz_nameless\.yml[\s\S]*open\.sql/);
        rmSync(join(dir, 'snapshots/open.sql'));
        rmSync(join(dir, 'models/zz_nameless.yml'));
      }
    } finally {
      take.mockRestore();
      forceYamlWorkerForTests(false);
    }
  }, 120_000);

  it.skipIf(!existsSync(`${EXT}/dbt-utils/integration_tests`))('dbt-utils integration tests', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-fast-'));
    cpSync(`${EXT}/dbt-utils/integration_tests`, dir, { recursive: true, filter: (p) => !p.includes('/dbt_packages') && !p.includes('/target') });
    writeFileSync(join(dir, 'profiles.yml'), MEMORY_PROFILE.replace('test_profile', 'integration_tests'));
    rmSync(join(dir, 'packages.yml'), { force: true });
    mkdirSync(join(dir, 'dbt_packages'));
    symlinkSync(`${EXT}/dbt-utils`, join(dir, 'dbt_packages', 'dbt_utils'));
    try {
      expect((await expectSameBothWays(dir)).manifest).toContain('macro.dbt_utils.star');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
