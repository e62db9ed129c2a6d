import { spawn } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/api/load-project.js';
import { workerBoot } from '../../src/adapters/base/sync-bridge-bootstrap.js';
import { formatMark, openParseCache, PARSE_CACHE_FILE } from '../../src/api/parse-cache.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { keyHash, SPLICE_MAP_FILE } from '../../src/api/splice-map.js';
import { WRITTEN_ARTIFACTS_FILE } from '../../src/api/written-artifacts.js';
import { runCli } from '../../src/cli/main.js';
import { setWriteFaultForTests } from '../../src/util/atomic-write.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';
import { blankedArtifact } from '../support/blanked-artifact.js';

/**
 * `parse` with only model SQL edited splices the changed nodes into
 * manifest.json and the parse cache (api/parse-splice.ts). Every result here
 * is compared byte for byte with a `--no-partial-parse` parse of a copy.
 */
const PROJECT: Record<string, string> = {
  'dbt_project.yml': 'name: sp\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\nmodels:\n  sp:\n    +materialized: view\n',
  'macros/cents.sql': '{% macro cents(col) %}({{ col }} * 100){% endmacro %}\n',
  'models/base_a.sql': 'select 1 as id, 2 as amount\n',
  'models/base_b.sql': "{{ config(tags=['b']) }}\nselect 2 as id, 3 as amount\n",
  'models/mid.sql': "select id, {{ cents('amount') }} as c from {{ ref('base_a') }}\nunion all\nselect id, amount from {{ ref('base_b') }}\n",
  'models/top.sql': "{{ config(materialized='table') }}\nselect * from {{ ref('mid') }} m join {{ ref('pkg_model') }} p on true\n",
  'models/env_model.sql': "select '{{ env_var('SP_FLAVOUR', 'plain') }}' as f from {{ ref('base_a') }}\n",
  'models/schema.yml': "version: 2\nmodels:\n  - name: mid\n    description: '{{ doc(\"mid_doc\") }}'\n    columns:\n      - name: id\n        tests: [not_null, unique]\n  - name: base_a\n    columns:\n      - name: id\n        tests:\n          - relationships:\n              to: ref('base_b')\n              field: id\n",
  'models/docs.md': '{% docs mid_doc %}Middle docs{% enddocs %}\n',
  'tests/assert_mid.sql': "select * from {{ ref('mid') }} where id < 0\n",
  'analyses/look.sql': "select count(*) from {{ ref('top') }}\n",
  'dbt_packages/pkg/dbt_project.yml': 'name: pkg\nversion: "1.0.0"\nconfig-version: 2\n',
  'dbt_packages/pkg/models/pkg_model.sql': 'select 42 as answer\n',
};

const scratch: string[] = [];
afterEach(() => {
  setFastPaths(true);
  for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true });
});

let clock = 0;
/** Writes a file with a modification time of its own, in the past (unchanged files are then trusted on stat). */
function put(dir: string, rel: string, text: string): void {
  const path = join(dir, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  const t = (Date.now() - 600_000 + clock++) / 1000;
  utimesSync(path, t, t);
}

function project(files: Record<string, string> = PROJECT): string {
  const dir = makeProject({});
  for (const [rel, text] of Object.entries(files)) put(dir, rel, text);
  return dir;
}

async function cli(dir: string, args: string[], env: Record<string, string> = {}) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir, '--profiles-dir', dir, '--debug'], io.streams, env);
  const out = io.stdout.join('') + io.stderr.join('');
  const reason = /Partial parsing: not splicing because (.*)/.exec(out)?.[1]?.trim();
  return { code, out, spliced: out.includes('spliced into manifest.json and the parse cache'), reason };
}

/** A `--no-partial-parse` parse of a copy of the project as it is now: its manifest.json (with the project's paths) or its error. */
async function fullParse(dir: string, env: Record<string, string> = {}): Promise<string> {
  const copy = mkdtempSync(join(tmpdir(), 'tsdbt-full-'));
  scratch.push(copy);
  cpSync(dir, copy, { recursive: true, filter: (src) => !src.includes('/target') });
  const r = await cli(copy, ['parse', '--no-partial-parse'], env);
  if (r.code !== 0) return `error ${r.code}`;
  return blankedArtifact(join(copy, 'target/manifest.json')).split(copy).join(dir);
}

/** The manifest as parseLoaded reads it from the cache (nothing changed: the whole body), with where each ref was written. */
function fromCache(dir: string, env: Record<string, string> = {}): { manifest: string; refsAt: string; debug: string[] } {
  const debug: string[] = [];
  const loaded = loadProject({ projectDir: dir, profilesDir: dir, env, logger: { info: () => {}, warn: () => {}, debug: (m) => debug.push(m) } });
  const { manifest } = parseLoaded(loaded, { flags: { WHICH: 'parse' }, writeCache: false });
  const refsAt = JSON.stringify(Object.values(manifest.nodes).map((n) => [n.unique_id, n.refs.map((r) => r.at && [r.at.file, r.at.line])]));
  const { generated_at: _g, invocation_id: _i, ...metadata } = manifest.metadata;
  return { manifest: JSON.stringify({ ...manifest, metadata }), refsAt, debug };
}

const MODELS = ['models/base_a.sql', 'models/base_b.sql', 'models/mid.sql', 'models/top.sql', 'models/env_model.sql', 'tests/assert_mid.sql', 'analyses/look.sql', 'dbt_packages/pkg/models/pkg_model.sql'];
const read = (dir: string, rel: string) => readFileSync(join(dir, rel), 'utf8');
const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)]!;

/** Edits: most keep every node's refs and config (the splice path), the rest must fall back. */
const EDITS: ((dir: string, r: () => number) => string)[] = [
  (dir, r) => {
    const f = pick(MODELS, r);
    put(dir, f, `${read(dir, f)}-- edit ${clock}\n`);
    return `comment appended to ${f}`;
  },
  (dir, r) => {
    const f = pick(MODELS, r);
    put(dir, f, `\n-- moved ${clock}\n${read(dir, f)}`);
    return `lines inserted above the refs of ${f}`;
  },
  (dir, r) => {
    const [f, g] = [pick(MODELS, r), pick(MODELS, r)];
    put(dir, f, `${read(dir, f)}-- a ${clock}\n`);
    put(dir, g, `${read(dir, g)}-- b ${clock}\n`);
    return `${f} and ${g} edited`;
  },
  (dir, r) => {
    const f = pick(['models/base_a.sql', 'models/base_b.sql'], r);
    put(dir, f, read(dir, f).replace(/ as amount/, (m) => `${m}, ${clock} as n${clock}`));
    return `a column added to ${f}`;
  },
  (dir, r) => {
    put(dir, 'models/base_a.sql', `{{ config(tags=['t${Math.floor(r() * 3)}']) }}\n${read(dir, 'models/base_a.sql').replace(/^\{\{ config[^\n]*\n/, '')}`);
    return 'base_a tagged (selection row)';
  },
  (dir) => {
    put(dir, 'models/env_model.sql', read(dir, 'models/env_model.sql').includes('base_b') ? read(dir, 'models/env_model.sql').replace(" union all select 1 from {{ ref('base_b') }}", '') : `${read(dir, 'models/env_model.sql').trimEnd()} union all select 1 from {{ ref('base_b') }}\n`);
    return 'a ref added to or removed from env_model';
  },
  (dir, r) => {
    if (existsSync(join(dir, 'models/extra.sql')) && r() < 0.6) rmSync(join(dir, 'models/extra.sql'));
    else put(dir, 'models/extra.sql', `select * from {{ ref('mid') }} -- ${clock}\n`);
    return 'a model added, changed or deleted';
  },
  (dir) => {
    put(dir, 'macros/cents.sql', `${read(dir, 'macros/cents.sql')}{# ${clock} #}\n`);
    return 'a macro file edited';
  },
];

describe('parse splices edited models into manifest.json and the cache: byte for byte a full parse', () => {
  const totals = { spliced: 0, fallback: 0 };
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}`, async () => {
      let state = seed * 104729;
      const rand = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
      const dir = project();
      const first = await cli(dir, ['parse']);
      expect(first.code, first.out).toBe(0);
      for (let step = 1; step <= 10; step++) {
        // Mostly the common edit; now and then one that must fall back.
        const edit = rand() < 0.65 ? EDITS[Math.floor(rand() * 4)]! : pick(EDITS.slice(4), rand);
        const what = edit(dir, rand);
        const r = await cli(dir, ['parse']);
        const full = await fullParse(dir);
        expect(r.code === 0 ? blankedArtifact(join(dir, 'target/manifest.json')) : `error ${r.code}`, `step ${step}: ${what}\n${r.out}`).toBe(full);
        if (r.spliced) totals.spliced++;
        else totals.fallback++;
        // What ls selects from the cache's selection index (nothing changed now) is what a full parse selects (on a copy:
        // ls writes manifest.json, without partial parsing with no record of it, and the next parse here would not splice).
        if (r.code === 0) {
          const lsCopy = mkdtempSync(join(tmpdir(), 'tsdbt-full-ls-'));
          scratch.push(lsCopy);
          cpSync(dir, lsCopy, { recursive: true, filter: (src) => !src.includes('/target') });
          for (const select of [['--select', 'tag:t0', 'tag:t1', 'tag:t2', 'tag:b'], ['--select', '+top']]) {
            const ls = await cli(dir, ['ls', '--output', 'name', ...select]);
            expect(ls.out, what).toContain('selecting from the selection index');
            expect(names(ls.out), `step ${step}: ${what}: ls ${select.join(' ')}`).toEqual(names((await cli(lsCopy, ['ls', '--output', 'name', '--no-partial-parse', ...select])).out));
          }
        }
        // The cache as written (spliced or not) reads back as a full parse, ref locations included.
        const cached = fromCache(dir);
        expect(cached.debug.filter((d) => /Unable to do partial parsing/.test(d)), what).toEqual([]);
        const copy = mkdtempSync(join(tmpdir(), 'tsdbt-full-'));
        scratch.push(copy);
        cpSync(dir, copy, { recursive: true, filter: (src) => !src.includes('/target') });
        const plain = fromCacheless(copy);
        expect(cached.manifest.split(dir).join('<dir>'), `step ${step}: ${what}`).toBe(plain.manifest.split(copy).join('<dir>'));
        expect(cached.refsAt.split(dir).join('<dir>'), `step ${step}: ${what}`).toBe(plain.refsAt.split(copy).join('<dir>'));
      }
    }, 60_000);
  }

  it('the seeds took the splice path and fell back', () => {
    expect(totals.spliced).toBeGreaterThan(10);
    expect(totals.fallback).toBeGreaterThan(3);
  });
});

/** ls --output name's lines. */
const names = (out: string) => out.split('\n').map((l) => l.trim()).filter((l) => /^[a-z_0-9.]+$/.test(l)).sort();

function fromCacheless(dir: string): { manifest: string; refsAt: string } {
  const loaded = loadProject({ projectDir: dir, profilesDir: dir, env: {}, partialParse: false, logger: { info: () => {}, warn: () => {}, debug: () => {} } });
  const { manifest } = parseLoaded(loaded, { flags: { WHICH: 'parse' } });
  const refsAt = JSON.stringify(Object.values(manifest.nodes).map((n) => [n.unique_id, n.refs.map((r) => r.at && [r.at.file, r.at.line])]));
  const { generated_at: _g, invocation_id: _i, ...metadata } = manifest.metadata;
  return { manifest: JSON.stringify({ ...manifest, metadata }), refsAt };
}

describe('the splice path', () => {
  it('is taken for a model body edit (debug line), rewrites both files, and chains', async () => {
    const dir = project();
    await cli(dir, ['parse']);
    const ino = statSync(join(dir, 'target/manifest.json')).ino;
    for (const n of [1, 2, 3]) {
      put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}where id > ${n}\n`);
      const r = await cli(dir, ['parse']);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain('Partial parsing: 1 changed file(s) parsed again and spliced into manifest.json and the parse cache');
      expect(r.out).toContain('Found 6 models, 1 analysis, 4 data tests');
      expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
      expect(read(dir, 'target/manifest.json')).toContain(`where id > ${n}`);
    }
    expect(statSync(join(dir, 'target/manifest.json')).ino).not.toBe(ino);
    // Nothing changed since: the in-place refresh still recognises the spliced file.
    const again = await cli(dir, ['parse']);
    expect(again.out).toContain('manifest.json brought up to date in place');
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
  });

  it('TSDBT_FAST_PATHS=0 turns it off, with the same manifest', async () => {
    const dir = project();
    await cli(dir, ['parse']);
    setFastPaths(false);
    put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}where id > 0\n`);
    const r = await cli(dir, ['parse']);
    expect(r.code, r.out).toBe(0);
    expect(r.spliced).toBe(false);
    expect(r.out).not.toContain('not splicing');
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
  });

  const SEMANTIC = {
    ...PROJECT,
    'models/spine.sql': "select date '2024-01-01' as date_day\n",
    'models/semantic.yml': 'version: 2\nmodels:\n  - name: spine\n    time_spine: {standard_granularity_column: date_day}\n    columns: [{name: date_day, granularity: day}]\nsemantic_models:\n  - name: mids\n    model: ref(\'mid\')\n    defaults: {agg_time_dimension: d}\n    entities: [{name: m, type: primary, expr: id}]\n    dimensions: [{name: d, type: time, expr: "date \'2024-01-01\'", type_params: {time_granularity: day}}]\n    measures: [{name: c_sum, agg: sum, expr: c}]\n',
  };
  const fallbacks: [string, (dir: string) => void, string | RegExp, Record<string, string>?][] = [
    ['a model added', (dir) => put(dir, 'models/new.sql', 'select 1 as x\n'), 'files were added or deleted'],
    ['an env var read at parse changed', () => {}, 'env vars read at parse have changed', { SP_FLAVOUR: 'spicy' }],
    ['manifest.json replaced', (dir) => {
      put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- x\n`);
      const p = join(dir, 'target/manifest.json');
      const text = readFileSync(p);
      rmSync(p);
      writeFileSync(p, text);
    }, 'manifest.json is not the file the last parse wrote'],
    ['the splice map removed', (dir) => {
      put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- x\n`);
      rmSync(join(dir, 'target', SPLICE_MAP_FILE));
    }, 'there is no splice map for this cache'],
    ['the splice map spoiled', (dir) => {
      put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- x\n`);
      writeFileSync(join(dir, 'target', SPLICE_MAP_FILE), '{"cache":');
    }, 'there is no splice map for this cache'],
    ['the record removed', (dir) => {
      put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- x\n`);
      rmSync(join(dir, 'target', WRITTEN_ARTIFACTS_FILE));
    }, 'there is no record of what the last parse wrote from this cache'],
    ['a macro file changed', (dir) => put(dir, 'macros/cents.sql', `${read(dir, 'macros/cents.sql')}{# x #}\n`), /macros\/cents\.sql is not one model, analysis or singular test$/],
    ['a properties file changed', (dir) => put(dir, 'models/schema.yml', `${read(dir, 'models/schema.yml')}# x\n`), /models\/schema\.yml is not one model, analysis or singular test$/],
    ['a ref added', (dir) => put(dir, 'models/top.sql', `${read(dir, 'models/top.sql').trimEnd()} join {{ ref('base_b') }} b on true\n`), /models\/top\.sql has unresolved dependencies$/],
    ['a ref to a parent added again', (dir) => put(dir, 'models/top.sql', `${read(dir, 'models/top.sql').trimEnd()} join {{ ref('mid') }} b on true\n`), /models\/top\.sql changed its refs or sources$/],
    ['a tag changed', (dir) => put(dir, 'models/base_b.sql', read(dir, 'models/base_b.sql').replace("tags=['b']", "tags=['c']")), /models\/base_b\.sql changed what selectors see of it$/],
    ['a new macro called', (dir) => put(dir, 'models/base_a.sql', 'select 1 as id, {{ cents(2) }} as amount\n'), /models\/base_a\.sql changed its warnings or what its parse read$/],
    ['a model renamed by its alias', (dir) => put(dir, 'models/base_a.sql', `{{ config(alias='other') }}\n${read(dir, 'models/base_a.sql')}`), /models\/base_a\.sql changed what other nodes see of it$/],
    ['a model disabled', (dir) => put(dir, 'models/base_a.sql', `{{ config(enabled=false) }}\n${read(dir, 'models/base_a.sql')}`), /disables its node$/],
  ];
  for (const [name, change, reason, env] of fallbacks) {
    it(`falls back when ${name}, to the same manifest as a full parse`, async () => {
      const dir = project();
      await cli(dir, ['parse']);
      change(dir);
      const r = await cli(dir, ['parse'], env);
      expect(r.spliced, r.out).toBe(false);
      if (typeof reason === 'string') expect(r.reason).toBe(reason);
      else expect(r.reason).toMatch(reason);
      expect(r.code === 0 ? blankedArtifact(join(dir, 'target/manifest.json')) : `error ${r.code}`).toBe(await fullParse(dir, env));
      // And the next edit splices again (the fallback wrote a new map), unless the project no longer parses.
      if (r.code !== 0) return;
      put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- after\n`);
      const next = await cli(dir, ['parse'], env);
      expect(next.spliced, next.out).toBe(true);
      expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir, env));
    });
  }

  it('splices in a project with a semantic layer, semantic_manifest.json left as a full parse writes it', async () => {
    const dir = project(SEMANTIC);
    expect((await cli(dir, ['parse'])).code).toBe(0);
    const semantic = read(dir, 'target/semantic_manifest.json');
    for (const f of ['models/mid.sql', 'models/spine.sql']) {
      put(dir, f, `${read(dir, f)}-- x\n`);
      const r = await cli(dir, ['parse']);
      expect(r.spliced, r.out).toBe(true);
      expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
      expect(read(dir, 'target/semantic_manifest.json')).toBe(semantic);
    }
    expect((await cli(dir, ['parse'])).out).toContain('manifest.json brought up to date in place');
    // semantic_manifest.json edited by hand: no splice (a full write mends it).
    writeFileSync(join(dir, 'target/semantic_manifest.json'), '{}');
    put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- y\n`);
    const r = await cli(dir, ['parse']);
    expect(r.reason).toBe('semantic_manifest.json is not the file the last parse wrote');
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
    expect(read(dir, 'target/semantic_manifest.json')).toBe(semantic);
  });

  it('falls back when two parents share a name (refs resolve among all nodes then), and when the model has unit tests', async () => {
    const dir = project({
      ...PROJECT,
      'models/dup.sql': 'select 1 as d\n',
      'dbt_packages/pkg/models/dup.sql': "{{ config(alias='pkg_dup') }}\nselect 2 as d\n",
      'models/both.sql': "select * from {{ ref('dup') }}, {{ ref('pkg', 'dup') }}\n",
      'models/unit.yml': "version: 2\nunit_tests:\n  - name: t_base_b\n    model: base_b\n    given: []\n    expect: {rows: [{id: 2}]}\n",
    });
    const first = await cli(dir, ['parse']);
    expect(first.code, first.out).toBe(0);
    put(dir, 'models/both.sql', `${read(dir, 'models/both.sql')}-- x\n`);
    const shared = await cli(dir, ['parse']);
    expect(shared.reason).toBe('two of the nodes a changed file refs share a name');
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
    put(dir, 'models/base_b.sql', `${read(dir, 'models/base_b.sql')}-- x\n`);
    const unit = await cli(dir, ['parse']);
    expect(unit.reason).toMatch(/models\/base_b\.sql has unit tests$/);
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
  });

  it('splices after a parse that found nothing changed (which rewrote manifest.json\'s metadata in place)', async () => {
    const dir = project();
    await cli(dir, ['parse']);
    expect((await cli(dir, ['parse'])).out).toContain('manifest.json brought up to date in place');
    put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- after a refresh\n`);
    const r = await cli(dir, ['parse']);
    expect(r.reason).toBeUndefined();
    expect(r.spliced).toBe(true);
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
  });

  it('edits that fit the cache\'s room after a node and edits that do not: each spliced, each equal to a full parse, the cache read back the same', async () => {
    const dir = project();
    await cli(dir, ['parse']);
    const cacheSize = () => statSync(join(dir, 'target', PARSE_CACHE_FILE)).size;
    for (const [i, text] of ['-- a\n', `-- ${'long '.repeat(400)}\n`, '', '-- b\n'].entries()) {
      const before = cacheSize();
      put(dir, 'models/base_b.sql', `{{ config(tags=['b']) }}\nselect 2 as id, 3 as amount\n${text}-- ${i}\n`);
      const r = await cli(dir, ['parse']);
      expect(r.spliced, r.reason).toBe(true);
      // The long comment does not fit the node's room: the file is rewritten longer; the others are written in place.
      if (i === 1) expect(cacheSize()).toBeGreaterThan(before);
      else expect(cacheSize()).toBe(before);
      expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
      const cached = fromCache(dir);
      expect(cached.debug.join('\n')).not.toContain('Unable to do partial parsing');
      expect(cached.manifest).toBe(JSON.stringify(JSON.parse(blankedArtifact(join(dir, 'target/manifest.json'))), (k, v) => (k === 'generated_at' || k === 'invocation_id' ? undefined : v)));
    }
  });

  it('a splice map that is not one (garbage bytes) is no map: a full parse, then splicing again', async () => {
    const dir = project();
    await cli(dir, ['parse']);
    writeFileSync(join(dir, 'target', SPLICE_MAP_FILE), Buffer.from('tsdbt-splice-map 2\n{"cache":"x","manifest":{},"parts":[{"file":"body","container":"parse/manifest/nodes","count":99,"keyBytes":5}]}\nabc'));
    put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- x\n`);
    const r = await cli(dir, ['parse']);
    expect(r.spliced).toBe(false);
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
    put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- y\n`);
    expect((await cli(dir, ['parse'])).spliced).toBe(true);
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
  });

  it('a cache whose body no longer matches the map is not spliced from', async () => {
    const dir = project();
    await cli(dir, ['parse']);
    put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- x\n`);
    const p = join(dir, 'target', PARSE_CACHE_FILE);
    // Same header and size, a body shifted by one byte: offsets now land mid-entry.
    const text = read(dir, `target/${PARSE_CACHE_FILE}`);
    const cut = text.indexOf('\n', text.indexOf('\n') + 1) + 1;
    writeFileSync(p, `${text.slice(0, cut)} ${text.slice(cut, -1)}`);
    const r = await cli(dir, ['parse']);
    expect(r.spliced).toBe(false);
    expect(r.reason).toMatch(/^splicing failed \(/);
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
  });
});

describe('the cache edited in place', () => {
  const cachePath = (dir: string) => join(dir, 'target', PARSE_CACHE_FILE);
  const cacheKey = (dir: string) => (JSON.parse(readFileSync(cachePath(dir), 'utf8').split('\n')[0]!) as { key: string }).key;
  const leftovers = (dir: string) => readdirSync(join(dir, 'target')).filter((f) => f.includes('.tmp-'));

  it('an edit that fits keeps the cache file (same inode), one that does not replaces it', async () => {
    const dir = project();
    await cli(dir, ['parse']);
    const ino = () => statSync(cachePath(dir)).ino;
    const first = ino();
    put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- fits\n`);
    expect((await cli(dir, ['parse'])).spliced).toBe(true);
    expect(ino()).toBe(first);
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
    put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- ${'does not fit '.repeat(300)}\n`);
    expect((await cli(dir, ['parse'])).spliced).toBe(true);
    expect(ino()).not.toBe(first);
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
    expect(leftovers(dir)).toEqual([]);
  });

  it('a command that opened the cache before an edit in place finds it changed when it reads, and a zeroed header is no cache', async () => {
    const dir = project();
    await cli(dir, ['parse']);
    const opened = openParseCache(cachePath(dir), cacheKey(dir));
    if (!('cache' in opened)) throw new Error(opened.reason);
    try {
      expect(opened.cache.unchanged()).toBe(true);
      expect('body' in opened.cache.body()).toBe(true);
      put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- meanwhile\n`);
      expect((await cli(dir, ['parse'])).spliced).toBe(true);
      expect(statSync(cachePath(dir), { bigint: true }).ino).toBe(opened.cache.ino());
      expect(opened.cache.unchanged()).toBe(false);
      expect(opened.cache.body()).toEqual({ reason: 'another parse changed it while it was read' });
      expect(opened.cache.index()).toEqual({ reason: 'another parse changed it while it was read' });
    } finally {
      opened.cache.close();
    }
    // A cache whose format digits are zeroed (an edit under way) is not used.
    const mark = formatMark(true);
    const fd = openSync(cachePath(dir), 'r+');
    writeSync(fd, mark.bytes, 0, mark.bytes.length, mark.at);
    closeSync(fd);
    expect(openParseCache(cachePath(dir), cacheKey(dir))).toEqual({ reason: 'another parse is updating it' });
    put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- after the mark\n`);
    const r = await cli(dir, ['parse']);
    expect(r.spliced).toBe(false);
    expect(r.out).toContain('Unable to do partial parsing because another parse is updating it');
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
  });

  it('a cache write that fails during the splice (while manifest.json\'s copy is flushed): no temp file left, the fallback parse writes what a full parse writes', async () => {
    const dir = project();
    await cli(dir, ['parse']);
    // A comment too long for the node's room: the cache is rewritten (writeChunksAtomic, where the fault is injected).
    put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- ${'long '.repeat(400)}\n`);
    setWriteFaultForTests(PARSE_CACHE_FILE);
    let r;
    try {
      r = await cli(dir, ['parse']);
    } finally {
      setWriteFaultForTests(null);
    }
    expect(r.spliced).toBe(false);
    expect(r.reason).toMatch(/^splicing failed \(Could not write the parse cache .*ENOSPC/);
    expect(r.code, r.out).toBe(0);
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
    expect(leftovers(dir)).toEqual([]);
    put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- next\n`);
    const next = await cli(dir, ['parse']);
    expect(next.code, next.out).toBe(0);
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
  });

  for (const step of ['marked', 'edited']) {
    it(`a parse killed mid-edit (${step}) leaves no cache a later run trusts: the next parse is a full one, equal to --no-partial-parse, then splices again`, async () => {
      const dir = project();
      await cli(dir, ['parse']);
      const manifestBefore = read(dir, 'target/manifest.json');
      put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- killed\n`);
      const killed = await cliProcess(['parse', '--project-dir', dir, '--profiles-dir', dir], { TSDBT_TEST_CACHE_EDIT_KILL: step });
      expect(killed.signal, killed.out).toBe('SIGKILL');
      // The manifest is as it was (its copy not yet renamed in), the cache is only under its temp name.
      expect(read(dir, 'target/manifest.json')).toBe(manifestBefore);
      expect(existsSync(cachePath(dir))).toBe(false);
      expect(leftovers(dir).length).toBeGreaterThan(0);
      const r = await cli(dir, ['parse']);
      expect(r.code, r.out).toBe(0);
      expect(r.spliced).toBe(false);
      expect(r.out).toContain('Unable to do partial parsing because saved manifest not found');
      expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
      // The killed process's copies are removed by the full write.
      expect(leftovers(dir)).toEqual([]);
      put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- again\n`);
      expect((await cli(dir, ['parse'])).spliced).toBe(true);
      expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
    }, 60_000);
  }
});

/** The CLI from the TypeScript sources in a child process (as tests/cli/interrupt.test.ts runs it), to be killed. */
async function cliProcess(argv: string[], env: Record<string, string>): Promise<{ signal: string | null; out: string }> {
  const mainUrl = new URL('../../src/cli/main.ts', import.meta.url).href;
  const hooks = workerBoot(mainUrl).hooks!;
  const file = join(mkdtempSync(join(tmpdir(), 'tsdbt-cli-')), 'cli.mjs');
  scratch.push(dirname(file));
  writeFileSync(file, `import { register } from 'node:module';
    const { hooks, mainUrl, argv } = JSON.parse(process.env.TSDBT_TEST_BOOT);
    register(hooks.url, { data: hooks.data });
    const { runCli } = await import(mainUrl);
    process.exitCode = await runCli(argv, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), isTTY: false });`);
  const child = spawn(process.execPath, [file], { env: { ...process.env, ...env, NO_COLOR: '1', TSDBT_TEST_BOOT: JSON.stringify({ hooks, mainUrl, argv }) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const signal = await new Promise<string | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
  return { signal, out };
}

describe('the splice map keeps key hashes, proved against the files', () => {
  it('two models whose ids hash alike are each spliced where they are (and their refAt entries)', async () => {
    // Found by a birthday search: FNV-1a of these two unique ids is the same 32 bits.
    const [a, b] = ['m6rnw', 'mnpba'];
    expect(keyHash(`model.sp.${a}`)).toBe(keyHash(`model.sp.${b}`));
    expect(keyHash(`n:model.sp.${a}`)).not.toBe(keyHash(`n:model.sp.${b}`));
    const dir = project({ ...PROJECT, [`models/${a}.sql`]: "select * from {{ ref('base_a') }}\n", [`models/${b}.sql`]: "select * from {{ ref('base_b') }}\n" });
    await cli(dir, ['parse']);
    for (const [i, f] of [a, b, a, b].entries()) {
      put(dir, `models/${f}.sql`, `${read(dir, `models/${f}.sql`)}-- ${i}\n`);
      const r = await cli(dir, ['parse']);
      expect(r.spliced, r.reason).toBe(true);
      expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
      const cached = fromCache(dir);
      expect(cached.manifest).toBe(JSON.stringify(JSON.parse(blankedArtifact(join(dir, 'target/manifest.json'))), (k, v) => (k === 'generated_at' || k === 'invocation_id' ? undefined : v)));
    }
  });
});

describe('a manifest.json of several copy chunks (1 MB each, copied a few at once on the thread pool)', () => {
  // 36 models with ~60 KB of SQL each: manifest.json holds each one's raw_code, ~2 MB in all.
  const BIG: Record<string, string> = { ...PROJECT };
  for (let i = 0; i < 36; i++) BIG[`models/wide_${String(i).padStart(2, '0')}.sql`] = `select ${i} as id from {{ ref('base_a') }}\n${`-- ${'filler '.repeat(12)}${i}\n`.repeat(600)}`;
  const wide = Object.keys(BIG).filter((f) => f.startsWith('models/wide_'));

  /** The wide models by where their node sits in manifest.json: first, middle and last. */
  function byPosition(dir: string): string[] {
    const text = read(dir, 'target/manifest.json');
    const at = (f: string) => text.indexOf(`"model.sp.${f.slice('models/'.length, -'.sql'.length)}":`);
    const sorted = [...wide].sort((a, b) => at(a) - at(b));
    return [sorted[0]!, sorted[sorted.length >> 1]!, sorted[sorted.length - 1]!];
  }

  it('nodes near the start, middle and end made longer and shorter: each spliced, byte for byte a full parse, the cache read back the same', async () => {
    const dir = project(BIG);
    expect((await cli(dir, ['parse'])).code).toBe(0);
    expect(statSync(join(dir, 'target/manifest.json')).size).toBeGreaterThan(2 << 20);
    const files = byPosition(dir);
    const edits: [string, (text: string) => string][] = [
      ['longer by a line', (t) => `${t}-- one more line\n`],
      ['longer by 100 KB', (t) => `${t}${'-- more\n'.repeat(12_800)}`],
      ['shorter by most of it', (t) => t.slice(0, 200)],
      ['longer by 5 bytes', (t) => `${t}-- x\n`],
    ];
    for (const [what, change] of edits) {
      for (const f of files) {
        put(dir, f, change(read(dir, f)));
        const r = await cli(dir, ['parse']);
        expect(r.spliced, `${f} ${what}: ${r.reason}`).toBe(true);
        expect(blankedArtifact(join(dir, 'target/manifest.json')), `${f} ${what}`).toBe(await fullParse(dir));
        const cached = fromCache(dir);
        expect(cached.debug.join('\n')).not.toContain('Unable to do partial parsing');
        expect(cached.manifest, `${f} ${what}`).toBe(JSON.stringify(JSON.parse(blankedArtifact(join(dir, 'target/manifest.json'))), (k, v) => (k === 'generated_at' || k === 'invocation_id' ? undefined : v)));
      }
    }
    expect(readdirSync(join(dir, 'target')).filter((f) => f.includes('.tmp-'))).toEqual([]);
  }, 120_000);

  it('a full disk while manifest.json\'s copy is written: the error, manifest.json as it was, no temp file; then spliced again', async () => {
    const dir = project(BIG);
    expect((await cli(dir, ['parse'])).code).toBe(0);
    const before = read(dir, 'target/manifest.json');
    const [, middle] = byPosition(dir);
    put(dir, middle!, `${read(dir, middle!)}-- under a full disk\n`);
    setWriteFaultForTests('manifest.json');
    let r;
    try {
      r = await cli(dir, ['parse']);
    } finally {
      setWriteFaultForTests(null);
    }
    expect(r.reason).toMatch(/^splicing failed \(Could not write the manifest to .*manifest\.json: ENOSPC/);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('ENOSPC');
    expect(read(dir, 'target/manifest.json')).toBe(before);
    expect(readdirSync(join(dir, 'target')).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const again = await cli(dir, ['parse']);
    expect(again.code, again.out).toBe(0);
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
    // That parse reused the cache the failed one wrote, which no map describes: the next edit is a full parse, then they splice.
    for (const n of [1, 2]) {
      put(dir, middle!, `${read(dir, middle!)}-- after ${n}\n`);
      const next = await cli(dir, ['parse']);
      if (n === 1) expect(next.spliced || next.reason === 'there is no splice map for this cache', next.reason).toBe(true);
      else expect(next.spliced, next.reason).toBe(true);
      expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullParse(dir));
    }
  }, 120_000);
});
