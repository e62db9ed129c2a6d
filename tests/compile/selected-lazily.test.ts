import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheBytes, CacheChangedWhileUsed, mappedReadCounts } from '../../src/api/mapped-cache-body.js';
import { SPLICE_MAP_FILE } from '../../src/api/splice-map.js';
import type { CompiledNode } from '../../src/manifest/types.js';
import { RefIndex } from '../../src/project/resolve-refs.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
import { defineLazyMember, mergedMembers, unreadMember } from '../../src/util/lazy-members.js';
import { bothWays, cli, generatedProject } from '../support/fast-and-plain.js';

afterEach(() => setFastPaths(true));

describe('a selection reads only the nodes it uses from an unchanged parse cache', () => {
  it('compile --select after a parse: the same output and artifacts as the plain path, a few of 48 nodes read', async () => {
    const dir = generatedProject(12);
    const { fast, plain } = await bothWays(dir, [['parse'], ['compile', '--select', 'model_3']]);
    expect(fast.codes).toEqual([0, 0]);
    expect(fast.out).toContain('Compiled 7 of 7 nodes');
    expect(fast.manifest).toContain('"compiled_path":"target/compiled/bench/models/model_3.sql"}');
    expect(fast.lazily.bodies).toBe(1);
    // model_3, its tests and the models its tests and refs name: not the 48 nodes.
    expect(fast.lazily.nodes).toBeGreaterThan(0);
    expect(fast.lazily.nodes).toBeLessThan(24);
    expect(fast.copied).toBe(1);
    expect(plain.lazily).toEqual({ bodies: 0, nodes: 0 });
    expect({ ...fast, lazily: null, copied: 0, spliced: 0 }).toEqual({ ...plain, lazily: null, copied: 0, spliced: 0 });
  }, 120_000);

  it('after a compile wrote the cache (its splice map has the cache half only), and for run --select: the same as the plain path', async () => {
    const dir = generatedProject(12);
    const compiled = await bothWays(dir, [['compile'], ['compile', '--select', 'model_5+']]);
    expect(compiled.fast.codes).toEqual([0, 0]);
    expect(compiled.fast.lazily.bodies).toBe(1);
    expect(compiled.fast.copied).toBe(1);
    expect({ ...compiled.fast, lazily: null, copied: 0, spliced: 0 }).toEqual({ ...compiled.plain, lazily: null, copied: 0, spliced: 0 });

    // run's manifest.json is the cache's nodes with the compiled members of the nodes it ran, copied too: the whole project
    const full = await bothWays(dir, [['parse'], ['run']]);
    expect(full.fast.codes).toEqual([0, 0]);
    expect(full.fast.copied).toBe(1);
    expect(full.fast.lazily.bodies).toBe(0);
    expect(full.fast.manifest).toContain('"compiled_path":"target/compiled/bench/models/model_11.sql"}');
    expect({ ...full.fast, copied: 0 }).toEqual(full.plain);
    // and a selection.
    const ran = await bothWays(dir, [['run'], ['run', '--select', 'model_0', 'model_1']]);
    expect(ran.fast.codes).toEqual([0, 0]);
    expect(ran.fast.out).toContain('Completed successfully');
    expect(ran.fast.lazily.bodies).toBe(1);
    expect(ran.fast.lazily.nodes).toBeLessThan(12);
    expect(ran.fast.copied).toBe(1);
    expect(ran.fast.out).toContain('Found 12 models, 36 data tests');
    expect(ran.fast.manifest).toContain('"compiled_path":"target/compiled/bench/models/model_1.sql"}');
    expect({ ...ran.fast, lazily: null, copied: 0, spliced: 0 }).toEqual({ ...ran.plain, lazily: null, copied: 0, spliced: 0 });
  }, 180_000);

  it('model SQL edited since: spliced into the cache first, then read as used; the cache is what a full parse makes', async () => {
    const dir = generatedProject(12);
    const original = readFileSync(join(dir, 'models/model_3.sql'), 'utf8');
    const edit = () => writeFileSync(join(dir, 'models/model_3.sql'), `${original}\n-- edited`);
    const restore = () => writeFileSync(join(dir, 'models/model_3.sql'), original);
    restore();
    const compiled = await bothWays(dir, [restore, ['parse'], edit, ['compile', '--select', 'model_3']]);
    expect(compiled.fast.codes).toEqual([0, 0]);
    expect(compiled.fast.manifest).toContain('-- edited');
    expect(compiled.fast.lazily.bodies).toBe(1);
    expect(compiled.fast.copied).toBe(1);
    expect(compiled.fast.spliced).toBe(1);
    expect({ ...compiled.fast, lazily: null, copied: 0, spliced: 0 }).toEqual({ ...compiled.plain, lazily: null, copied: 0, spliced: 0 });
    // ls: spliced into the cache and manifest.json (as parse splices: ls writes manifest.json too), then answered by the
    // selection index; no node read, and manifest.json a full parse's.
    restore();
    const listed = await bothWays(dir, [restore, ['parse'], edit, ['ls', '--select', 'model_3+']]);
    expect(listed.fast.codes).toEqual([0, 0]);
    expect(listed.fast.manifest).toContain('-- edited');
    expect(listed.fast.lazily).toEqual({ bodies: 0, nodes: 0 });
    expect(listed.fast.out).toContain('bench.model_5');
    expect(listed.fast).toEqual(listed.plain);
    // What the next parse writes from the spliced cache is a full parse's manifest.
    restore();
    const parsed = await bothWays(dir, [restore, ['parse'], edit, ['compile', '--select', 'model_3'], ['parse']]);
    expect(parsed.fast.codes).toEqual([0, 0, 0]);
    expect(parsed.fast.manifest).toContain('-- edited');
    expect(parsed.fast.manifest).toBe(parsed.plain.manifest);
    restore();
  }, 180_000);

  it('a selection with no splice map reads the body whole, as before (the same output)', async () => {
    const dir = generatedProject(6);
    await cli(dir, ['parse']);
    rmSync(join(dir, 'target', SPLICE_MAP_FILE));
    const before = mappedReadCounts();
    const r = await cli(dir, ['compile', '--select', 'model_2']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('select id, name from "bench"."main"."model_1"');
    expect(mappedReadCounts().bodies).toBe(before.bodies);
  }, 60_000);
});

describe('a compile of the whole project reads every node of an unchanged parse cache at once', () => {
  it('the same output, artifacts and compiled files as the plain path; one body read, every node parsed once, manifest.json copied', async () => {
    const dir = generatedProject(12);
    // A model whose id needs more than ASCII (its key is proved another way) and one larger than the 4 MB window the
    // nodes are read through (it gets a buffer of its own; the nodes around it straddle windows).
    writeFileSync(join(dir, 'models', 'café.sql'), "select 'é' as x, id from {{ ref('model_1') }}");
    writeFileSync(join(dir, 'models', 'big.sql'), `select 1 as id\n-- ${'x'.repeat(4.5 * (1 << 20))}\n`);
    const { fast, plain } = await bothWays(dir, [['parse'], ['compile']]);
    expect(fast.codes).toEqual([0, 0]);
    expect(fast.out).toContain('Compiled 50 of 50 nodes');
    expect(fast.lazily).toEqual({ bodies: 1, nodes: 50 });
    expect(fast.copied).toBe(1);
    expect(fast.compiled['target/compiled/bench/models/café.sql']).toBe('select \'é\' as x, id from "bench"."main"."model_1"');
    expect(fast.compiled['target/compiled/bench/models/big.sql']!.length).toBeGreaterThan(4.5 * (1 << 20));
    expect(Object.keys(fast.compiled)).toHaveLength(50);
    expect(plain.lazily).toEqual({ bodies: 0, nodes: 0 });
    expect({ ...fast, lazily: null, copied: 0 }).toEqual({ ...plain, lazily: null, copied: 0 });
  }, 180_000);

  it('with --exclude alone, read the same way; with no splice map, the body is read whole as before (the same output)', async () => {
    const dir = generatedProject(12);
    const excluded = await bothWays(dir, [['parse'], ['compile', '--exclude', 'model_3+']]);
    expect(excluded.fast.codes).toEqual([0, 0]);
    expect(excluded.fast.out).toContain('Compiled 32 of 32 nodes');
    expect(excluded.fast.lazily).toEqual({ bodies: 1, nodes: 48 });
    expect({ ...excluded.fast, lazily: null, copied: 0 }).toEqual({ ...excluded.plain, lazily: null, copied: 0 });
    const unmapped = await bothWays(dir, [['parse'], () => rmSync(join(dir, 'target', SPLICE_MAP_FILE), { force: true }), ['compile']]);
    expect(unmapped.fast.codes).toEqual([0, 0]);
    expect(unmapped.fast.lazily.bodies).toBe(0);
    expect({ ...unmapped.fast, lazily: null, copied: 0 }).toEqual({ ...unmapped.plain, lazily: null, copied: 0 });
  }, 240_000);

  it('with selectors.yml: a whole compile, --selector, and the default selector read as used; a method the index lacks and a bad selector take the full path (the same output)', async () => {
    const dir = generatedProject(12);
    const selectors = (defaultOne: string) =>
      writeFileSync(
        join(dir, 'selectors.yml'),
        [
          'selectors:',
          '  - name: downstream',
          "    definition: 'model_3+'",
          ...(defaultOne === 'downstream' ? ['    default: true'] : []),
          '  - name: mixed',
          '    definition:',
          '      union:',
          '        - method: fqn',
          '          value: model_1',
          '        - method: fqn',
          '          value: model_5',
          '          children: true',
          '        - exclude:',
          '            - model_10',
          '  - name: no_views',
          '    definition:',
          '      union:',
          '        - union:',
          '            - {method: path, value: "*"}',
          '            - exclude: [{method: config.materialized, value: view}]',
          '        - {method: resource_type, value: test}',
          ...(defaultOne === 'no_views' ? ['    default: true'] : []),
          '  - name: owned',
          '    definition: {method: config.meta.owner, value: ann}',
          ...(defaultOne === 'owned' ? ['    default: true'] : []),
          '',
        ].join('\n'),
      );
    selectors('');
    // No default selector: the whole compile reads every node from the cache, as without selectors.yml.
    const whole = await bothWays(dir, [['parse'], ['compile']]);
    expect(whole.fast.codes).toEqual([0, 0]);
    expect(whole.fast.out).toContain('Compiled 48 of 48 nodes');
    expect(whole.fast.lazily.bodies).toBe(1);
    expect({ ...whole.fast, lazily: null, copied: 0 }).toEqual({ ...whole.plain, lazily: null, copied: 0 });
    // --selector: the selector's nodes, read as used.
    const named = await bothWays(dir, [['parse'], ['compile', '--selector', 'mixed']]);
    expect(named.fast.codes).toEqual([0, 0]);
    expect(named.fast.lazily.bodies).toBe(1);
    expect(named.fast.lazily.nodes).toBeLessThan(48);
    expect({ ...named.fast, lazily: null, copied: 0, spliced: 0 }).toEqual({ ...named.plain, lazily: null, copied: 0, spliced: 0 });
    const listed = await bothWays(dir, [['parse'], ['ls', '--selector', 'mixed'], ['ls', '--selector', 'downstream', '--output', 'name']]);
    expect(listed.fast.codes).toEqual([0, 0, 0]);
    expect(listed.fast.out).toContain('model_3');
    expect(listed.fast.out).not.toContain('model_2\n');
    expect(listed.fast).toEqual(listed.plain);
    // ls selects from the selection index without loading the project (the quick path), selectors.yml read beside it.
    expect((await cli(dir, ['ls', '--selector', 'mixed', '--debug'])).out).toContain('Partial parsing: nothing changed; selecting from the selection index');
    const ran = await bothWays(dir, [['run'], ['run', '--selector', 'mixed']]);
    expect(ran.fast.codes).toEqual([0, 0]);
    expect(ran.fast.out).toContain('Completed successfully');
    expect(ran.fast.lazily.bodies).toBe(1);
    expect({ ...ran.fast, lazily: null, copied: 0, spliced: 0 }).toEqual({ ...ran.plain, lazily: null, copied: 0, spliced: 0 });
    // The default selector applies with neither --select nor --exclude; --select replaces it.
    selectors('downstream');
    const byDefault = await bothWays(dir, [['parse'], ['compile']]);
    expect(byDefault.fast.codes).toEqual([0, 0]);
    expect(byDefault.fast.out).not.toContain('Compiled 48 of 48 nodes');
    expect(byDefault.fast.lazily.bodies).toBe(1);
    expect({ ...byDefault.fast, lazily: null, copied: 0, spliced: 0 }).toEqual({ ...byDefault.plain, lazily: null, copied: 0, spliced: 0 });
    const given = await bothWays(dir, [['parse'], ['ls'], ['compile', '--select', 'model_0']]);
    expect(given.fast.out).toContain('Compiled 6 of 6 nodes');
    expect({ ...given.fast, lazily: null, copied: 0, spliced: 0 }).toEqual({ ...given.plain, lazily: null, copied: 0, spliced: 0 });
    // config.materialized is kept in the index: a default selector leaving out views (and keeping their tests) reads as used.
    selectors('no_views');
    const views = await bothWays(dir, [['parse'], ['compile']]);
    expect(views.fast.codes).toEqual([0, 0]);
    // Every model is a view: their 36 tests.
    expect(views.fast.out).toContain('Compiled 36 of 36 nodes');
    expect(views.fast.lazily.bodies).toBe(1);
    expect({ ...views.fast, lazily: null, copied: 0, spliced: 0 }).toEqual({ ...views.plain, lazily: null, copied: 0, spliced: 0 });
    const listedViews = await bothWays(dir, [['parse'], ['ls']]);
    expect(listedViews.fast.out).toContain('bench.not_null_model_0_id');
    expect(listedViews.fast.out).not.toContain('bench.model_0\n');
    expect(listedViews.fast).toEqual(listedViews.plain);
    expect((await cli(dir, ['ls', '--debug'])).out).toContain('Partial parsing: nothing changed; selecting from the selection index');
    // A default selector of another config key (config.meta.owner): the body is read whole, as before.
    selectors('owned');
    const config = await bothWays(dir, [['parse'], ['compile']]);
    expect(config.fast.codes).toEqual([0, 0]);
    expect(config.fast.lazily.bodies).toBe(0);
    expect({ ...config.fast, lazily: null, copied: 0 }).toEqual({ ...config.plain, lazily: null, copied: 0 });
    // A selector that does not exist: the same located error both ways.
    const missing = await bothWays(dir, [['parse'], ['ls', '--selector', 'nope'], ['compile', '--selector', 'nope']]);
    expect(missing.fast.codes).toEqual([0, 2, 2]);
    expect(missing.fast.out).toContain("Could not find selector named 'nope'");
    expect(missing.fast).toEqual(missing.plain);
  }, 300_000);
});

describe('commands that select no resources read the nodes they use as used', () => {
  it('run-operation, show --inline and compile --inline after a parse: the same output and manifest as the plain path, a few nodes read', async () => {
    const dir = generatedProject(12);
    mkdirSync(join(dir, 'macros'), { recursive: true });
    writeFileSync(join(dir, 'macros', 'report.sql'), "{% macro report(name) %}{{ log('relation: ' ~ ref(name), info=True) }}{% endmacro %}\n{% macro count_models() %}{{ log('models: ' ~ (graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') | list | length), info=True) }}{% endmacro %}\n");
    const operation = await bothWays(dir, [['parse'], ['run-operation', 'report', '--args', '{name: model_4}']]);
    expect(operation.fast.codes).toEqual([0, 0]);
    expect(operation.fast.out).toContain('relation: "bench"."main"."model_4"');
    expect(operation.fast.lazily.bodies).toBe(1);
    expect(operation.fast.lazily.nodes).toBeLessThan(4);
    expect({ ...operation.fast, lazily: null }).toEqual({ ...operation.plain, lazily: null });
    // `graph` reads every node, as used.
    const counted = await bothWays(dir, [['parse'], ['run-operation', 'count_models']]);
    expect(counted.fast.out).toContain('models: 12');
    expect(counted.fast.lazily.nodes).toBe(48);
    expect({ ...counted.fast, lazily: null }).toEqual({ ...counted.plain, lazily: null });
    const shown = await bothWays(dir, [['run'], ['show', '--inline', "select count(*) as n from {{ ref('model_2') }}"]]);
    expect(shown.fast.codes).toEqual([0, 0]);
    expect(shown.fast.out).toMatch(/\| n +\|/);
    expect(shown.fast.lazily.bodies).toBe(1);
    expect(shown.fast.lazily.nodes).toBeLessThan(4);
    expect({ ...shown.fast, lazily: null, copied: 0 }).toEqual({ ...shown.plain, lazily: null, copied: 0 });
    const inline = await bothWays(dir, [['parse'], ['compile', '--inline', "select * from {{ ref('model_7') }}"]]);
    expect(inline.fast.codes).toEqual([0, 0]);
    expect(inline.fast.out).toContain('select * from "bench"."main"."model_7"');
    expect(inline.fast.lazily.bodies).toBe(1);
    expect(inline.fast.lazily.nodes).toBeLessThan(4);
    expect(inline.fast.copied).toBe(1);
    expect({ ...inline.fast, lazily: null, copied: 0 }).toEqual({ ...inline.plain, lazily: null, copied: 0 });
  }, 240_000);

  it('source freshness after a parse: the same results as the plain path, no node read', async () => {
    const dir = generatedProject(12);
    mkdirSync(join(dir, 'macros'), { recursive: true });
    writeFileSync(join(dir, 'macros', 'setup.sql'), '{% macro setup() %}{% do run_query("create schema if not exists raw; create or replace table raw.events as select timestamp \'2001-01-01\' as loaded_at") %}{% endmacro %}\n');
    writeFileSync(join(dir, 'models', 'sources.yml'), 'version: 2\nsources:\n  - name: raw\n    loaded_at_field: loaded_at\n    freshness: {error_after: {count: 1, period: day}}\n    tables:\n      - name: events\n');
    const fresh = await bothWays(dir, [['run-operation', 'setup'], ['source', 'freshness']]);
    expect(fresh.fast.codes).toEqual([0, 1]);
    expect(fresh.fast.out).toMatch(/raw\.events/);
    expect(fresh.fast.lazily).toEqual({ bodies: 1, nodes: 0 });
    // manifest.json (written as dbt's freshness writes it) copies the cache's nodes, unread: the same bytes as the plain path's.
    expect(fresh.fast.copied).toBe(1);
    expect({ ...fresh.fast, lazily: null, copied: 0 }).toEqual({ ...fresh.plain, lazily: null, copied: 0 });
  }, 120_000);
});

describe('ls --output json reads the nodes it prints as used', () => {
  it('with a selection and without one: the same lines as the plain path', async () => {
    const dir = generatedProject(12);
    const some = await bothWays(dir, [['parse'], ['ls', '--output', 'json', '--select', 'model_3+']]);
    expect(some.fast.codes).toEqual([0, 0]);
    expect(some.fast.out).toContain('"unique_id":"model.bench.model_3"');
    expect(some.fast.lazily.bodies).toBe(1);
    expect(some.fast.lazily.nodes).toBeLessThan(48);
    expect({ ...some.fast, lazily: null }).toEqual({ ...some.plain, lazily: null });
    const all = await bothWays(dir, [['parse'], ['ls', '--output', 'json', '--resource-type', 'all']]);
    expect(all.fast.codes).toEqual([0, 0]);
    expect(all.fast.out.split('\n').filter((l) => l.startsWith('{'))).toHaveLength(48);
    expect(all.fast.lazily).toEqual({ bodies: 1, nodes: 48 });
    expect({ ...all.fast, lazily: null }).toEqual({ ...all.plain, lazily: null });
  }, 120_000);
});

describe('CacheBytes', () => {
  it('reads by offset while the file opens with the same header, and throws once another command has changed it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-cache-bytes-'));
    const path = join(dir, 'partial_parse.json');
    writeFileSync(path, '{"format":3,"id":"abc"}\n0123456789');
    const bytes = new CacheBytes(path, Buffer.from('{"format":3,"id":"abc"'));
    expect(bytes.read(25, 4).toString()).toBe('1234');
    bytes.close();
    // Closed, it opens the file again: a cache with another id is not the one its nodes were read from.
    writeFileSync(path, '{"format":3,"id":"abd"}\n0123456789');
    expect(() => bytes.read(25, 4)).toThrow(CacheChangedWhileUsed);
    expect(() => bytes.read(25, 4)).toThrow(`${path} was changed by another command while this one used it: run this command again`);
    bytes.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('lazy members', () => {
  it('are made once when first read, and unreadMember says which are not read yet', () => {
    const o: Record<string, number> = {};
    let made = 0;
    defineLazyMember(o, 'a', () => ++made);
    defineLazyMember(o, 'b', () => 10 * ++made);
    expect(unreadMember(o, 'a')).toBe(true);
    expect(o.a).toBe(1);
    expect(o.a).toBe(1);
    expect(unreadMember(o, 'a')).toBe(false);
    expect(unreadMember(o, 'b')).toBe(true);
    expect(JSON.stringify(o)).toBe('{"a":1,"b":20}');
    expect(made).toBe(2);
  });

  it('mergedMembers is a spread for plain objects, and for lazy ones a view that reads only what is looked up', () => {
    expect(mergedMembers({ a: 1, b: 2 }, { b: 3, c: 4 })).toEqual({ a: 1, b: 3, c: 4 });
    const a: Record<string, string> = {};
    const reads: string[] = [];
    for (const k of ['x', 'y', 'z']) defineLazyMember(a, k, () => (reads.push(k), k.toUpperCase()));
    const view = mergedMembers(a, { u: 'U' });
    expect(view.y).toBe('Y');
    expect('z' in view).toBe(true);
    expect('w' in view).toBe(false);
    expect(view.u).toBe('U');
    expect(reads).toEqual(['y']);
    expect(Object.keys(view)).toEqual(['x', 'y', 'z', 'u']);
    expect(reads).toEqual(['y']);
    expect({ ...view }).toEqual({ x: 'X', y: 'Y', z: 'Z', u: 'U' });
  });
});

describe('RefIndex over named nodes', () => {
  it("reads a name's nodes only when a ref names it, and resolves as over the nodes themselves", () => {
    const node = (name: string, pkg: string): CompiledNode => ({ unique_id: `model.${pkg}.${name}`, name, package_name: pkg, resource_type: 'model' }) as CompiledNode;
    const all = [node('a', 'p'), node('b', 'p'), node('b', 'q')];
    const read: string[] = [];
    const named = new RefIndex({ ids: new Map([['a', ['model.p.a']], ['b', ['model.p.b', 'model.q.b']]]), node: (id) => (read.push(id), all.find((n) => n.unique_id === id)!) }, [], 'p');
    const plain = new RefIndex(all, [], 'p');
    for (const [call, from] of [[{ name: 'b' }, 'q'], [{ name: 'b', package: 'p' }, 'q'], [{ name: 'a' }, 'p'], [{ name: 'c' }, 'p']] as const) {
      expect(named.resolveRef(call, from)?.unique_id).toBe(plain.resolveRef(call, from)?.unique_id);
    }
    expect(read).toEqual(['model.p.b', 'model.q.b', 'model.p.a']);
    expect(named.refError({ name: 'aa' }, { name: 'm', file: 'models/m.sql' }).message).toBe(plain.refError({ name: 'aa' }, { name: 'm', file: 'models/m.sql' }).message);
  });
});
