/**
 * dbt 1.10's `loaded_at_query` on sources and tables (top level or under
 * `config:`): the table's when it sets one, none when the table names a
 * loaded_at_field, else the source's; both at one level is a parse error.
 * `source freshness` renders it with the source's context and runs it as the
 * newest load time (collect_freshness_custom_sql). Source nodes carry dbt's
 * fields: loaded_at_query, external, unrendered_database/schema, every
 * quoting key, and SourceConfig's keys (meta and tags merged over the levels).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

const PROFILE = 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: fresh.duckdb\n';
const SETUP = `{% macro setup() %}{% do run_query("create schema if not exists raw; create or replace table raw.orders as select now() - interval 2 hour as loaded_at; create or replace table raw.events as select now() - interval 3 day as at_time") %}{% endmacro %}`;

const SOURCES = `version: 2
sources:
  - name: raw
    schema: "{{ 'raw' }}"
    tags: [src]
    meta: {team: a}
    config:
      loaded_at_query: "select max(loaded_at) from {{ this }}"
      meta: {owner: b}
      tags: [cfg]
      freshness: {warn_after: {count: 1, period: hour}, error_after: {count: 1, period: day}}
    tables:
      - name: orders
        tags: [tbl]
      - name: events
        config:
          loaded_at_query: "select max(at_time) from {{ source('raw', 'events') }}"
      - name: unset
        identifier: orders
        loaded_at_field: null
        external: {location: "s3://bucket/orders"}
`;

async function cli(dir: string, args: string[]) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir], io.streams, {});
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

describe('loaded_at_query', () => {
  it('is resolved as dbt 1.10 and checked by source freshness, rendered in the source context', async () => {
    const dir = makeProject({ 'profiles.yml': PROFILE, 'macros/setup.sql': SETUP, 'models/sources.yml': SOURCES });
    expect((await cli(dir, ['run-operation', 'setup'])).code).toBe(0);
    const r = await cli(dir, ['source', 'freshness']);
    expect(r.code).toBe(1);
    const json = JSON.parse(readFileSync(join(dir, 'target/sources.json'), 'utf8'));
    expect(json.results.map((x: { unique_id: string; status: string }) => [x.unique_id, x.status])).toEqual([
      ['source.test_project.raw.events', 'error'],
      ['source.test_project.raw.orders', 'warn'],
      ['source.test_project.raw.unset', 'runtime error'],
    ]);
    expect(Math.round(json.results[1].max_loaded_at_time_ago_in_s / 3600)).toBe(2);
    expect(Math.round(json.results[0].max_loaded_at_time_ago_in_s / 86400)).toBe(3);
    // dbt warns for every source with freshness but no loaded_at_field (a query too), once per table.
    expect(r.err.match(/The configured adapter does not support metadata-based freshness/g)).toHaveLength(3);
    // No loaded_at_field, no loaded_at_query (a table's loaded_at_field: null drops the source's query): the runtime error.
    expect(r.err).toContain("models/sources.yml:18: The configured adapter does not support metadata-based freshness. A loaded_at_field must be specified for source 'raw.unset'.");
    expect(json.results[2].error).toContain("Could not compute freshness for source unset: no 'loaded_at_field' provided");

    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    const orders = manifest.sources['source.test_project.raw.orders'];
    expect(Object.keys(orders)).toEqual([
      'database', 'schema', 'name', 'resource_type', 'package_name', 'path', 'original_file_path', 'unique_id', 'fqn', 'source_name', 'source_description', 'loader',
      'identifier', 'quoting', 'loaded_at_field', 'loaded_at_query', 'freshness', 'external', 'description', 'columns', 'meta', 'source_meta', 'tags', 'config',
      'patch_path', 'relation_name', 'unrendered_database', 'unrendered_schema',
    ]);
    expect(orders).toMatchObject({
      schema: 'raw',
      loaded_at_query: 'select max(loaded_at) from {{ this }}',
      quoting: { database: null, schema: null, identifier: null, column: null },
      meta: { team: 'a', owner: 'b' },
      source_meta: { team: 'a', owner: 'b' },
      tags: ['cfg', 'src', 'tbl'],
      external: null,
      unrendered_database: null,
      unrendered_schema: "{{ 'raw' }}",
    });
    expect(Object.keys(orders.config)).toEqual(['enabled', 'event_time', 'freshness', 'loaded_at_field', 'loaded_at_query', 'meta', 'tags']);
    expect(orders.config).toMatchObject({ loaded_at_field: null, loaded_at_query: 'select max(loaded_at) from {{ this }}', meta: { team: 'a', owner: 'b' }, tags: ['cfg', 'src', 'tbl'] });
    expect(manifest.sources['source.test_project.raw.events'].loaded_at_query).toBe("select max(at_time) from {{ source('raw', 'events') }}");
    expect(manifest.sources['source.test_project.raw.unset']).toMatchObject({ loaded_at_query: null, loaded_at_field: null, external: { location: 's3://bucket/orders' } });
  });

  for (const [level, yaml] of [
    ['table', 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n        loaded_at_field: loaded_at\n        loaded_at_query: select 1\n'],
    ['source', 'version: 2\nsources:\n  - name: raw\n    loaded_at_field: loaded_at\n    config:\n      loaded_at_query: select 1\n    tables:\n      - name: orders\n'],
  ] as const) {
    it(`both a loaded_at_field and a loaded_at_query at ${level} level is dbt's parse error, located`, async () => {
      const dir = makeProject({ 'profiles.yml': PROFILE, 'models/sources.yml': yaml });
      const r = await cli(dir, ['parse']);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`models/sources.yml:${level === 'table' ? 5 : 8}: Cannot specify both loaded_at_field and loaded_at_query at ${level} level. (source 'raw', table 'orders')`);
    });
  }
});
