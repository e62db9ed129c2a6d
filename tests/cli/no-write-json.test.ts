import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { PARSE_CACHE_FILE } from '../../src/api/parse-cache.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';
import { blankedArtifact } from '../support/blanked-artifact.js';

/**
 * --no-write-json (DBT_WRITE_JSON=false, `flags: {write_json: false}`): as dbt, no JSON artifact
 * (manifest.json, semantic_manifest.json, run_results.json, sources.json) is written, the parse cache
 * still is, and what an earlier command wrote is left as it was.
 */
const FILE_PROFILE = `test_profile:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: dev.duckdb
      schema: main
      threads: 1
`;

const PROJECT: Record<string, string> = {
  'profiles.yml': FILE_PROFILE,
  'models/raw_events.sql': "select 1 as id, now()::timestamp as loaded_at",
  'models/events.sql': "select * from {{ ref('raw_events') }} -- write_json={{ flags.WRITE_JSON }} args={{ invocation_args_dict.get('write_json', 'unset') }}",
  'models/spine.sql': "select date '2024-01-01' as date_day",
  'models/schema.yml': `version: 2
models:
  - name: events
    columns:
      - name: id
        data_tests: [unique, not_null]
  - name: spine
    time_spine: {standard_granularity_column: date_day}
    columns: [{name: date_day, granularity: day}]
sources:
  - name: raw
    schema: main
    loaded_at_field: loaded_at
    freshness: {warn_after: {count: 1, period: day}}
    tables: [{name: raw_events}]
semantic_models:
  - {name: event_facts, model: ref('events'), defaults: {agg_time_dimension: loaded_at},
     entities: [{name: event, type: primary, expr: id}], measures: [{name: event_count, agg: count, expr: id}],
     dimensions: [{name: loaded_at, type: time, type_params: {time_granularity: day}}]}
`,
  'macros/hello.sql': "{% macro hello() %}{{ log('hello from run-operation', info=true) }}{% endmacro %}",
};

const JSON_ARTIFACTS = ['manifest.json', 'semantic_manifest.json', 'run_results.json', 'sources.json'];

const scratch: string[] = [];
afterEach(() => {
  for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function cli(dir: string, args: string[], env: Record<string, string> = {}) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir, '--profiles-dir', dir], io.streams, env);
  return { code, out: io.stdout.join('') + io.stderr.join('') };
}

async function ok(dir: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await cli(dir, args, env);
  expect(r.code, r.out).toBe(0);
  return r.out;
}

const written = (dir: string) => JSON_ARTIFACTS.filter((f) => existsSync(join(dir, 'target', f)));
const bytes = (dir: string) => Object.fromEntries(written(dir).map((f) => [f, readFileSync(join(dir, 'target', f), 'utf8')]));

describe('--no-write-json', () => {
  it('writes no JSON artifact from any command, keeps the parse cache, and renders flags.WRITE_JSON false', async () => {
    const dir = makeProject(PROJECT);
    const commands = [['parse'], ['ls'], ['compile'], ['run'], ['build'], ['test'], ['show', '--select', 'events'], ['run-operation', 'hello'], ['source', 'freshness']];
    for (const args of commands) {
      rmSync(join(dir, 'target'), { recursive: true, force: true });
      // The source's table exists for freshness (a run writes nothing either).
      if (args[0] === 'source') await ok(dir, ['run', '--no-write-json']);
      const out = await ok(dir, [...args, '--no-write-json']);
      expect(written(dir), args.join(' ')).toEqual([]);
      expect(existsSync(join(dir, 'target', PARSE_CACHE_FILE)), args.join(' ')).toBe(true);
      if (args[0] === 'parse') expect(out).toMatch(/Performance info: parsed in \d+\.\d\ds\n/);
      if (args[0] === 'run-operation') expect(out).toContain('hello from run-operation');
    }
    // The compiled SQL is still written, and templates see the flag as dbt's do (False; in invocation_args_dict too).
    rmSync(join(dir, 'target'), { recursive: true, force: true });
    await ok(dir, ['compile', '--no-write-json']);
    expect(readFileSync(join(dir, 'target/compiled/test_project/models/events.sql'), 'utf8')).toContain('-- write_json=False args=False');
    await ok(dir, ['compile']);
    expect(readFileSync(join(dir, 'target/compiled/test_project/models/events.sql'), 'utf8')).toContain('-- write_json=True args=unset');
    expect(written(dir)).toEqual(['manifest.json', 'semantic_manifest.json', 'run_results.json']);
  });

  it('leaves the artifacts an earlier command wrote as they were', async () => {
    const dir = makeProject(PROJECT);
    await ok(dir, ['build']);
    await ok(dir, ['source', 'freshness']);
    const before = bytes(dir);
    expect(Object.keys(before)).toEqual(JSON_ARTIFACTS);
    // A model edited: the parse cache is brought up to date, the artifacts are not.
    writeFileSync(join(dir, 'models/spine.sql'), "select date '2024-01-02' as date_day");
    for (const args of [['parse'], ['ls'], ['compile'], ['run'], ['show', '--select', 'events'], ['run-operation', 'hello'], ['source', 'freshness']]) {
      await ok(dir, [...args, '--no-write-json']);
      expect(bytes(dir), args.join(' ')).toEqual(before);
    }
  });

  it('DBT_WRITE_JSON=false turns it off, --write-json wins over the variable, and dbt_project.yml flags: write_json: false', async () => {
    const dir = makeProject(PROJECT);
    await ok(dir, ['compile'], { DBT_WRITE_JSON: 'false' });
    expect(written(dir)).toEqual([]);
    await ok(dir, ['compile', '--write-json'], { DBT_WRITE_JSON: 'false' });
    expect(written(dir)).toEqual(['manifest.json', 'semantic_manifest.json', 'run_results.json']);
    const flagged = makeProject({ ...PROJECT, 'dbt_project.yml': 'name: test_project\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\nflags:\n  write_json: false\n' });
    await ok(flagged, ['run']);
    expect(written(flagged)).toEqual([]);
    await ok(flagged, ['run', '--write-json']);
    expect(written(flagged)).toEqual(['manifest.json', 'semantic_manifest.json', 'run_results.json']);
  });

  it('parses through the cache without writing, and the next parse that writes equals a full parse', async () => {
    const dir = makeProject(PROJECT);
    await ok(dir, ['parse']);
    const edits: [string, string][] = [
      ['models/spine.sql', "select date '2024-01-03' as date_day"],
      ['models/extra.sql', "select 2 as id"],
      ['models/schema.yml', PROJECT['models/schema.yml'].replace('data_tests: [unique, not_null]', 'data_tests: [unique]')],
    ];
    for (const [file, text] of edits) {
      writeFileSync(join(dir, file), text);
      const before = bytes(dir);
      await ok(dir, ['parse', '--no-write-json']);
      await ok(dir, ['ls', '--no-write-json']);
      expect(bytes(dir)).toEqual(before);
      // Nothing changed since: the quick path says what it found, still writing nothing.
      const again = await ok(dir, ['parse', '--no-write-json']);
      expect(again).toContain('Found ');
      expect(bytes(dir)).toEqual(before);
    }
    await ok(dir, ['parse']);
    const copy = mkdtempSync(join(tmpdir(), 'tsdbt-full-'));
    scratch.push(copy);
    cpSync(dir, copy, { recursive: true, filter: (src) => !src.includes('/target') && !src.endsWith('.duckdb') });
    await ok(copy, ['parse', '--no-partial-parse']);
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(blankedArtifact(join(copy, 'target/manifest.json')).split(copy).join(dir));
    // (ls wrote graph_summary.json: not one of the artifacts the flag covers, in dbt either.)
    expect(readdirSync(join(dir, 'target')).filter((f) => f.endsWith('.json') && !f.startsWith('partial_parse')).sort()).toEqual(['graph_summary.json', 'manifest.json', 'semantic_manifest.json']);
  });

  it('reuses the parse cache the other way made (which artifacts are written is not part of its key)', async () => {
    const dir = makeProject(PROJECT);
    await ok(dir, ['parse']);
    const partial = await ok(dir, ['compile', '--no-write-json', '--debug']);
    expect(partial).not.toContain('Unable to do partial parsing');
    const back = await ok(dir, ['compile', '--debug']);
    expect(back).not.toContain('Unable to do partial parsing');
  });
});
