import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { writtenNode, writtenNodeJson, writtenNodes } from '../../src/manifest/written-node.js';
import { defineLazyMember } from '../../src/util/lazy-members.js';
import { bothWays, cli } from '../support/fast-and-plain.js';
import { makeProject, MEMORY_PROFILE } from '../support/project-fixture.js';

/** dbt-core 1.10's Seed (artifacts/resources/v1/seed.py) as manifest.json writes it: every member, in dbt's order. */
const DBT_SEED = [
  'database', 'schema', 'name', 'resource_type', 'package_name', 'path', 'original_file_path', 'unique_id', 'fqn', 'alias', 'checksum', 'config',
  'tags', 'description', 'columns', 'meta', 'group', 'docs', 'patch_path', 'build_path', 'unrendered_config', 'created_at', 'config_call_dict',
  'unrendered_config_call_dict', 'relation_name', 'raw_code', 'doc_blocks', 'root_path', 'depends_on',
];
/** What dbt writes on every node and tsdbt on none (manifest v12 requires none of them). */
const ON_NO_TSDBT_NODE = ['build_path', 'created_at', 'config_call_dict', 'unrendered_config_call_dict', 'doc_blocks'];
/** A seed as tsdbt writes it, in its order. */
const TSDBT_SEED = [
  'unique_id', 'resource_type', 'package_name', 'name', 'path', 'original_file_path', 'fqn', 'raw_code', 'description', 'tags', 'meta', 'group',
  'alias', 'schema', 'database', 'relation_name', 'config', 'unrendered_config', 'depends_on', 'columns', 'patch_path', 'docs', 'checksum', 'root_path',
];

const FILES = {
  'seeds/people.csv': 'id,name\n1,Ann\n2,Bo\n',
  'seeds/props.yml': 'version: 2\nseeds:\n  - name: people\n    description: The people.\n    config: {group: crew}\n    columns: [{name: id, description: the key}]\n',
  'models/groups.yml': 'version: 2\ngroups:\n  - name: crew\n    owner: {name: A}\n',
  'models/friends.sql': "select * from {{ ref('people') }}",
  // What `graph` shows of the seed, as dbt's flat graph serialises it.
  'models/seen.sql': "{% if execute %}{% set s = graph.nodes['seed.test_project.people'] %}select '{{ s.keys() | list | join(\",\") }}' as k, '{{ s.depends_on | tojson }}' as d{% else %}select 1{% endif %}",
};

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));

describe('manifest.json seeds, as dbt-core 1.10 writes them', () => {
  it('carry dbt\'s members only: no language, refs, sources, seed_file or depends_on.nodes; root_path and group as dbt', async () => {
    const dir = makeProject(FILES);
    expect((await cli(dir, ['parse'])).code).toBe(0);
    const seed = manifestOf(dir).nodes['seed.test_project.people'];
    expect(Object.keys(seed)).toEqual(TSDBT_SEED);
    expect([...TSDBT_SEED].sort()).toEqual(DBT_SEED.filter((k) => !ON_NO_TSDBT_NODE.includes(k)).sort());
    expect(seed.depends_on).toEqual({ macros: [] });
    expect(seed.root_path).toBe(dir);
    expect(seed.group).toBe('crew');
    expect(seed.raw_code).toBe('');
    expect(seed.checksum.name).toBe('sha256');
    expect(seed.description).toBe('The people.');
    // The model that refs it is as before.
    const model = manifestOf(dir).nodes['model.test_project.friends'];
    expect(model.depends_on.nodes).toEqual(['seed.test_project.people']);
    expect(model.refs).toEqual([{ name: 'people', package: null, version: null }]);
  });

  it('keep tsdbt\'s own members where tsdbt reads them: the parse result\'s seed still has them', () => {
    const dir = makeProject(FILES);
    const { manifest } = parseLoaded(loadProject({ projectDir: dir, env: {} }));
    const seed = manifest.nodes['seed.test_project.people']!;
    expect(seed.seed_file).toBe(join(dir, 'seeds/people.csv'));
    expect([seed.language, seed.refs, seed.sources, seed.depends_on]).toEqual(['sql', [], [], { nodes: [], macros: [] }]);
  });

  it('are the same bytes with and without the fast paths, after parse, seed, build and compile (no compiled members), and graph.nodes shows them so', async () => {
    const dir = makeProject(FILES);
    // A database file (bothWays removes it before each way).
    writeFileSync(join(dir, 'profiles.yml'), MEMORY_PROFILE.replace(':memory:', join(dir, 'bench.duckdb')));
    // [steps, whether the last one's manifest.json is copied from the parse cache (its seeds rewritten from their bytes there)]
    const runs: [string[][], number][] = [[[['parse']], 0], [[['parse'], ['seed']], 1], [[['build']], 1], [[['parse'], ['build', '--select', 'people'], ['parse']], 0], [[['seed'], ['compile']], 1]];
    for (const [steps, copied] of runs) {
      const { fast, plain } = await bothWays(dir, steps);
      expect(fast.codes, fast.out).toEqual(steps.map(() => 0));
      expect(fast.manifest).toBe(plain.manifest);
      expect(fast.copied, JSON.stringify(steps)).toBe(copied);
      const seed = JSON.parse(fast.manifest!).nodes['seed.test_project.people'];
      expect(Object.keys(seed), JSON.stringify(steps)).toEqual(TSDBT_SEED);
    }
    const compiled = readFileSync(join(dir, 'target/compiled/test_project/models/seen.sql'), 'utf8');
    expect(compiled).toBe(`select '${TSDBT_SEED.join(',')}' as k, '{"macros": []}' as d`);
  });

  it('writtenNode: a seed without tsdbt\'s members (a new object), any other node itself; from JSON text the same bytes', () => {
    const seed = { unique_id: 'seed.p.s', resource_type: 'seed', meta: {}, config: {}, language: 'sql', refs: [], sources: [], depends_on: { nodes: [], macros: ['m'] }, seed_file: '/x.csv', compiled_code: '', compiled_path: 'p' };
    expect(writtenNode(seed)).toEqual({ unique_id: 'seed.p.s', resource_type: 'seed', meta: {}, group: null, config: {}, depends_on: { macros: ['m'] } });
    expect(seed.seed_file).toBe('/x.csv');
    const model = { unique_id: 'model.p.m', resource_type: 'model', refs: [] };
    expect(writtenNode(model)).toBe(model);
    expect(writtenNodeJson(JSON.stringify(seed))).toBe(JSON.stringify(writtenNode(seed)));
    const text = JSON.stringify(model);
    expect(writtenNodeJson(text)).toBe(text);
  });

  it('writtenNodes: the same object without seeds; with lazily read nodes, reads a seed only when it is looked up', () => {
    const plain = { 'model.p.m': { resource_type: 'model' } };
    expect(writtenNodes(plain)).toBe(plain);
    const reads: string[] = [];
    const lazy: Record<string, unknown> = {};
    for (const [id, type] of [['model.p.m', 'model'], ['seed.p.s', 'seed']] as const) defineLazyMember(lazy, id, () => (reads.push(id), { resource_type: type, meta: {}, refs: [] }));
    const view = writtenNodes(lazy);
    expect(reads).toEqual([]);
    expect(Object.keys(view)).toEqual(['model.p.m', 'seed.p.s']);
    expect(reads).toEqual([]);
    expect(view['seed.p.s']).toEqual({ resource_type: 'seed', meta: {}, group: null });
    expect(reads).toEqual(['seed.p.s']);
  });
});
