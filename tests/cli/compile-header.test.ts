import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

// dbt 1.10's compile prints the header every node command prints before its nodes (as its docs show:
// "Running with dbt=...", "Registered adapter", "Found ...", "Concurrency: N threads (target='dev')"), then the
// selected node's SQL.
describe('tsdbt compile output', () => {
  it('prints the run header before the compiled node, as dbt', async () => {
    const dir = makeProject({ 'models/a.sql': 'select 1 as id', 'models/b.sql': "select * from {{ ref('a') }}" });
    const io = captureStreams();
    expect(await runCli(['compile', '--project-dir', dir, '--select', 'b'], io.streams, {})).toBe(0);
    const lines = io.stdout.join('').replace(/^\d\d:\d\d:\d\d {2}/gm, '').split('\n');
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    const order = [/^Running with tsdbt=/, /^Registered adapter: duckdb=/, /^Found 2 models, \d+ macros$/, /^Concurrency: \d+ threads \(target='\w+'\)$/, /^Compiled node 'b' is:$/].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
  });

  it('prints only the SQL with --quiet', async () => {
    const dir = makeProject({ 'models/a.sql': 'select 1 as id' });
    const io = captureStreams();
    expect(await runCli(['compile', '--project-dir', dir, '--select', 'a', '--quiet'], io.streams, {})).toBe(0);
    expect(io.stdout.join('')).toBe('select 1 as id\n');
  });
});
