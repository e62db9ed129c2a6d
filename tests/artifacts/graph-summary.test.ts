import { existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graphSummary } from '../../src/artifacts/graph-summary.js';
import { recordGraphSummary } from '../../src/artifacts/graph-summary-reuse.js';
import { runCli } from '../../src/cli/main.js';
import { makeProject, type TestProject } from '../execute/harness.js';

// dbt-core 1.10's Compiler.compile writes target/graph_summary.json for every command that selects nodes
// (not parse): `linked` numbers the graph's members in networkx's order (sources, then the manifest's nodes
// each followed by its parents not yet in, exposures, unit tests), each with its type and children; build
// adds `with_test_edges`: a data test made a parent of each manifest node below every node it tests.

async function cli(p: TestProject, args: string[]): Promise<number> {
  return runCli([...args, '--project-dir', p.dir, '--profiles-dir', p.dir], { stdout: () => undefined, stderr: () => undefined }, {}, p.dir);
}

const SCHEMA = `version: 2
sources:
  - name: raw
    schema: main
    tables:
      - name: t
models:
  - name: a
    columns:
      - name: id
        data_tests: [not_null]
  - name: b
    columns:
      - name: id
        data_tests:
          - relationships: {to: ref('a'), field: id}
unit_tests:
  - name: ub
    model: b
    given:
      - input: ref('a')
        rows: [{id: 1}]
      - input: source('raw', 't')
        rows: [{id: 1}]
    expect:
      rows: [{id: 1}]
exposures:
  - name: e
    type: dashboard
    owner: {email: x@y.z}
    depends_on: [ref('b')]
`;

const FILES = {
  'seeds/s.csv': 'id\n1\n',
  'models/a.sql': "select id from {{ ref('s') }}",
  'models/b.sql': "select a.id from {{ ref('a') }} a join {{ source('raw', 't') }} t on t.id = a.id",
  'models/schema.yml': SCHEMA,
};

const LINKED = {
  '0': { name: 'source.proj.raw.t', type: 'source', succ: [3] },
  '1': { name: 'model.proj.a', type: 'model', succ: [3, 4, 5] },
  '2': { name: 'seed.proj.s', type: 'seed', succ: [1] },
  '3': { name: 'model.proj.b', type: 'model', succ: [5, 6, 7] },
  '4': { name: 'test.proj.not_null_a_id.c1cebc1440', type: 'test' },
  '5': { name: 'test.proj.relationships_b_id__id__ref_a_.7af89a82ca', type: 'test' },
  '6': { name: 'exposure.proj.e', type: 'exposure' },
  '7': { name: 'unit_test.proj.b.ub', type: 'unit_test' },
};

describe('target/graph_summary.json', { timeout: 120_000 }, () => {
  it('is written as dbt writes it: linked on compile, with the test edges too on build; not on parse', async () => {
    const p = makeProject(FILES);
    const path = join(p.dir, 'target/graph_summary.json');
    expect(await cli(p, ['parse'])).toBe(0);
    expect(existsSync(path)).toBe(false);

    expect(await cli(p, ['compile', '-s', 'a'])).toBe(0);
    const compiled = readFileSync(path, 'utf8');
    // Python's json.dumps spacing.
    expect(compiled).toMatch(/^\{"_invocation_id": "[0-9a-f-]{36}", "linked": \{"0": \{"name": "source\.proj\.raw\.t", "type": "source", "succ": \[3\]\}, /);
    const summary = JSON.parse(compiled) as Record<string, unknown>;
    // The whole graph, whatever the selection.
    expect(summary.linked).toEqual(LINKED);
    expect('with_test_edges' in summary).toBe(false);

    rmSync(path);
    // The build fails (source t has no table): its summary is written all the same (at its end, where dbt writes it first).
    await cli(p, ['build']);
    const built = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(built.linked).toEqual(LINKED);
    // not_null on a waits before b; the relationships test has no manifest node below both a and b.
    expect(built.with_test_edges).toEqual({ ...LINKED, '4': { ...LINKED['4'], succ: [3] } });
  });

  it('is written by ls too, as dbt\'s ls compiles the graph: from the selection index, from a parse, whatever it selects', async () => {
    const p = makeProject(FILES);
    const path = join(p.dir, 'target/graph_summary.json');
    const fresh = () => {
      rmSync(path, { force: true });
      rmSync(join(p.dir, 'target/partial_parse.graph.json'), { force: true });
    };
    expect(await cli(p, ['parse'])).toBe(0);
    // Nothing changed since the parse: selected from the parse cache's selection index.
    expect(await cli(p, ['ls'])).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8')).linked).toEqual(LINKED);
    fresh();
    expect(await cli(p, ['ls', '-s', 'b', '--output', 'json'])).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8')).linked).toEqual(LINKED);
    // The whole way (no parse cache), and with --no-write-json (not a JSON artifact dbt's flag covers).
    fresh();
    expect(await cli(p, ['ls', '--no-partial-parse', '--no-write-json'])).toBe(0);
    const listed = readFileSync(path, 'utf8');
    expect(JSON.parse(listed).linked).toEqual(LINKED);
    // The same text a compile writes but for the invocation id.
    fresh();
    expect(await cli(p, ['compile'])).toBe(0);
    const id = (text: string) => text.replace(/^\{"_invocation_id": "[0-9a-f-]{36}"/, '');
    expect(id(readFileSync(path, 'utf8'))).toBe(id(listed));
  });
});

describe('graph_summary.json taken over from the last command (graph-summary-reuse.ts)', { timeout: 120_000 }, () => {
  const summaryOf = (p: TestProject) => readFileSync(join(p.dir, 'target/graph_summary.json'), 'utf8');
  const idOf = (text: string) => /^\{"_invocation_id": "([0-9a-f-]{36})"/.exec(text)?.[1];
  const runId = (p: TestProject) => (JSON.parse(readFileSync(join(p.dir, 'target/run_results.json'), 'utf8')) as { metadata: { invocation_id: string } }).metadata.invocation_id;
  const record = (p: TestProject) => JSON.parse(readFileSync(join(p.dir, 'target/partial_parse.graph.json'), 'utf8')) as { cache: string; testEdges: boolean };

  it('is the last summary with this invocation id while the parse cache is unchanged, made again once it changed', async () => {
    const p = makeProject(FILES);
    expect(await cli(p, ['parse'])).toBe(0);
    expect(await cli(p, ['compile'])).toBe(0);
    const first = summaryOf(p);
    expect(idOf(first)).toBe(runId(p));
    expect(record(p)).toMatchObject({ testEdges: false });

    // What the record describes is taken over: a summary changed in place (same length) and recorded as this
    // cache's comes back with the new invocation id, so the second compile did not make it again.
    const path = join(p.dir, 'target/graph_summary.json');
    const marked = first.replace('"type": "seed"', '"type": "SEED"');
    writeFileSync(path, marked);
    recordGraphSummary(join(p.dir, 'target'), path, record(p).cache, false);
    expect(await cli(p, ['compile'])).toBe(0);
    const second = summaryOf(p);
    expect(idOf(second)).toBe(runId(p));
    expect(idOf(second)).not.toBe(idOf(first));
    expect(second).toBe(marked.replace(idOf(first)!, idOf(second)!));

    // Changed in place since it was recorded, its size and times kept: made again.
    const before = statSync(path);
    writeFileSync(path, second.replace('"type": "SEED"', '"type": "MODX"'));
    utimesSync(path, before.atime, before.mtime);
    expect(await cli(p, ['compile'])).toBe(0);
    expect(JSON.parse(summaryOf(p)).linked).toEqual(LINKED);
    // And larger: made again.
    writeFileSync(path, marked + ' ');
    recordGraphSummary(join(p.dir, 'target'), path, record(p).cache, false);
    writeFileSync(path, marked + '  ');
    expect(await cli(p, ['compile'])).toBe(0);
    expect(JSON.parse(summaryOf(p)).linked).toEqual(LINKED);

    // A build's has the test edges: not a compile's taken over.
    writeFileSync(path, marked);
    recordGraphSummary(join(p.dir, 'target'), path, record(p).cache, false);
    await cli(p, ['build']);
    const built = JSON.parse(summaryOf(p)) as Record<string, unknown>;
    expect(built.linked).toEqual(LINKED);
    expect(built.with_test_edges).toBeDefined();

    // A changed project is another cache: its graph summarised again (b no longer reads the source).
    writeFileSync(path, marked);
    recordGraphSummary(join(p.dir, 'target'), path, record(p).cache, false);
    writeFileSync(join(p.dir, 'models/b.sql'), "select id from {{ ref('a') }}");
    expect(await cli(p, ['compile'])).toBe(0);
    const changed = JSON.parse(summaryOf(p)) as { linked: Record<string, { name: string; succ?: number[] }> };
    expect(changed.linked['0']).toEqual({ name: 'source.proj.raw.t', type: 'source' });
    expect(Object.values(changed.linked).map((n) => n.name)).toContain('seed.proj.s');
  });
});

describe('graphSummary test edges (dbt add_test_edges_1)', () => {
  it('makes a test on several nodes a parent of every manifest node below all of them, its direct and its later ones', () => {
    const parents: Record<string, string[]> = {
      'model.p.a': [],
      'model.p.b': [],
      'model.p.c': ['model.p.a', 'model.p.b'],
      'model.p.d': ['model.p.c'],
      'model.p.only_a': ['model.p.a'],
      'test.p.rel': ['model.p.a', 'model.p.b'],
    };
    const ids = Object.keys(parents);
    const graph = { positional: () => ({ members: ids.map((id) => ({ unique_id: id, resource_type: id.split('.')[0]! })), parents: ids.map((id) => parents[id]!.map((p) => ids.indexOf(p))) }) };
    const s = graphSummary(graph, 'inv', true) as { linked: Record<string, { name: string; succ?: number[] }>; with_test_edges: Record<string, { name: string; succ?: number[] }> };
    expect(Object.values(s.linked).map((n) => n.name)).toEqual(Object.keys(parents));
    expect(s.linked['5']!.succ).toBeUndefined();
    // c and d are below both a and b; only_a is not below b.
    expect(s.with_test_edges['5']!.succ).toEqual([2, 3]);
  });
});
