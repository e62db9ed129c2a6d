import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { SemanticBackend } from '../../src/serve/semantic-backend.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

/**
 * tsdbt serve over a real project: its semantic layer compiled and run on
 * its DuckDB target, answered over HTTP; a rebuild of a model the query
 * reads makes the next query a cache miss; `tsdbt sl ask` end to end.
 */
const SEMANTIC = `
semantic_models:
  - name: pull_requests
    model: ref('prs')
    defaults: {agg_time_dimension: merged_at}
    entities:
      - {name: pull_request, type: primary, expr: pr_id}
    dimensions:
      - {name: merged_at, type: time, type_params: {time_granularity: day}}
      - {name: repo_name, type: categorical, label: Repository}
    measures:
      - {name: merged_count, agg: count, expr: pr_id}
      - {name: lines, agg: sum, expr: additions}
metrics:
  - {name: prs_merged, label: PRs merged, type: simple, type_params: {measure: merged_count}, meta: {unit: count, category: throughput, synonyms: [merged prs, merges]}}
  - {name: lines_added, label: Lines added, type: simple, type_params: {measure: lines}, meta: {unit: lines, category: size}}
saved_queries:
  - name: weekly_merges
    description: PRs merged per week
    query_params:
      metrics: [prs_merged]
      group_by: ["{{ TimeDimension('metric_time', 'week') }}"]
`;
const TOKEN = 'semantic-serve-token';
let dir: string;
let backend: SemanticBackend;
let server: RunningServer;

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(server.url + path, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as any };
}

describe('tsdbt serve over a project', () => {
  beforeAll(async () => {
    dir = makeProject({
      'profiles.yml': 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: "serve.duckdb"\n      schema: main\n      threads: 1\n',
      'seeds/raw_prs.csv': 'pr_id,repo_name,merged_at,additions\n1,web,2025-01-06,10\n2,web,2025-01-07,20\n3,api,2025-01-08,5\n4,api,2025-01-14,7\n5,web,2025-01-15,1\n',
      'models/prs.sql': "{{ config(materialized='table') }}\nselect pr_id, repo_name, cast(merged_at as date) as merged_at, additions from {{ ref('raw_prs') }}",
      'models/semantic.yml': SEMANTIC,
    });
    expect(await runCli(['build', '--project-dir', dir], captureStreams().streams, {})).toBe(0);
    backend = await SemanticBackend.open({ projectDir: dir, idleCloseMs: 50 });
    server = await startServer({ backend, token: TOKEN, port: 0, timeoutMs: 10_000 });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  it('lists the catalog from the semantic manifest', async () => {
    const metrics = (await call('GET', '/analytics/metrics')).json.metrics;
    expect(metrics.map((m: any) => [m.name, m.label, m.unit, m.category])).toEqual([['lines_added', 'Lines added', 'lines', 'size'], ['prs_merged', 'PRs merged', 'count', 'throughput']]);
    expect(metrics[1].synonyms).toEqual(['merged prs', 'merges']);
    expect((await call('GET', '/analytics/dimensions')).json.dimensions.map((d: any) => d.name)).toEqual(expect.arrayContaining(['metric_time', 'pull_request__repo_name']));
    expect((await call('GET', '/analytics/saved-queries')).json.saved_queries[0]).toMatchObject({ name: 'weekly_merges', query: { metrics: ['prs_merged'], groupBy: ['metric_time__week'] } });
  });

  it('answers the seed spec with every value a bind, from the target', async () => {
    const spec = { metrics: ['prs_merged', 'lines_added'], group_by: [{ field: 'repo_name' }], filters: [{ field: 'repo_name', op: 'in', values: ['web', "x' or 1=1 --"] }], sort_by: ['repo_name'] };
    const compiled = (await call('POST', '/analytics/compile', spec)).json;
    // The filter goes into each metric's aggregation, so its binds repeat per metric.
    expect(compiled.binds).toEqual(['web', "x' or 1=1 --", 'web', "x' or 1=1 --"]);
    expect(compiled.sql).not.toContain('1=1');
    const r = await call('POST', '/analytics/query', spec);
    expect(r.json.rows).toEqual([{ pull_request__repo_name: 'web', prs_merged: 3, lines_added: 31 }]);
    const contains = await call('POST', '/analytics/query', { metrics: ['prs_merged'], filters: [{ field: 'repo_name', op: 'contains', values: ['pi'] }, { field: 'metric_time', op: 'between', values: ['2025-01-01', '2025-01-31'] }] });
    expect(contains.json.rows).toEqual([{ prs_merged: 2 }]);
    const bad = await call('POST', '/analytics/query', { metrics: ['prs_merge'] });
    expect(bad.json.error.issues[0]).toMatchObject({ code: 'METRIC_UNKNOWN', hint: "Did you mean 'prs_merged'?" });
  });

  it('a rebuild of a model the query reads makes the next query a miss', async () => {
    const spec = { metrics: ['prs_merged'], group_by: [{ field: 'metric_time', interval: 'week' }], sort_by: ['metric_time'] };
    const first = await call('POST', '/analytics/query', spec);
    expect(first.json.rows.map((x: any) => x.prs_merged)).toEqual([3, 2]);
    expect((await call('POST', '/analytics/query', spec)).json.cached).toBe(true);
    // The server holds no lock between queries: a build can run.
    await new Promise((r) => setTimeout(r, 150));
    expect(await runCli(['run', '--project-dir', dir, '-s', 'prs'], captureStreams().streams, {})).toBe(0);
    const after = await call('POST', '/analytics/query', spec);
    expect(after.json.cached).toBe(false);
    expect(after.json.rows.map((x: any) => x.prs_merged)).toEqual([3, 2]);
  });

  it('tsdbt sl ask prints the spec and the rows', async () => {
    const io = captureStreams();
    expect(await runCli(['sl', 'ask', 'merged prs by repository', '--project-dir', dir, '--output', 'json'], io.streams, {})).toBe(0);
    const out = io.stdout.join('');
    expect(out).toContain('Understood: prs_merged by pull_request__repo_name');
    expect(out).toContain('Spec: {"metrics":["prs_merged"],"group_by":[{"field":"pull_request__repo_name"}]}');
    expect(JSON.parse(out.slice(out.indexOf('\n[') + 1, out.lastIndexOf(']') + 1))).toEqual(expect.arrayContaining([{ pull_request__repo_name: 'api', prs_merged: 2 }, { pull_request__repo_name: 'web', prs_merged: 3 }]));
    const none = captureStreams();
    expect(await runCli(['sl', 'ask', 'the weather in Lisbon', '--project-dir', dir], none.streams, {})).toBe(2);
    expect(none.stderr.join('')).toContain('No metric of the catalog is named in the question. Not understood: weather, lisbon.');
  });
});
