/**
 * dbt 1.10's source properties under `config:`: loaded_at_field and
 * freshness set on the source's config reach every table (dbt_github,
 * dbt_quickbooks and dbt_asana write theirs so), a table's config freshness
 * merges into the source's threshold by threshold, `freshness: null` on a
 * table drops it, and a table's top-level `loaded_at_field: null` keeps it
 * from the source's field; a table with thresholds set nowhere has an empty
 * threshold. `source freshness` checks what results.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

const sourcesYml = `version: 2
sources:
  - name: raw
    config:
      loaded_at_field: loaded_at
      freshness:
        warn_after: {count: 1, period: hour}
        error_after: {count: 1, period: day}
    tables:
      - name: fresh
      - name: tighter
        config:
          freshness:
            warn_after: {count: 3, period: hour}
      - name: untracked
        config:
          freshness: null
      - name: no_field
        loaded_at_field: null
  - name: plain
    tables:
      - name: unset
`;

describe('source freshness from config-level properties', () => {
  it('resolves loaded_at_field and freshness as dbt 1.10 and checks those sources', async () => {
    // Newest rows 2 hours old in fresh and tighter, just now in the others.
    const ages: Record<string, number> = { fresh: 2, tighter: 2, untracked: 0, no_field: 0 };
    const tables = Object.entries(ages).map(([t, h]) => `create or replace table raw.${t} as select now() - interval ${h} hour as loaded_at`);
    const dir = makeProject({
      'models/sources.yml': sourcesYml,
      'macros/setup.sql': `{% macro setup() %}{% do run_query("create schema if not exists raw; ${tables.join('; ')}") %}{% endmacro %}`,
      'profiles.yml': 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: fresh.duckdb\n',
    });
    expect(await runCli(['run-operation', 'setup', '--project-dir', dir], captureStreams().streams, {})).toBe(0);
    const io = captureStreams();
    // no_field has thresholds but no loaded_at_field: checked, and a runtime error on DuckDB (no metadata-based freshness), as dbt.
    expect(await runCli(['source', 'freshness', '--project-dir', dir], io.streams, {})).toBe(1);
    const json = JSON.parse(readFileSync(join(dir, 'target/sources.json'), 'utf8'));
    expect(json.results.map((r: { unique_id: string; status: string }) => [r.unique_id, r.status])).toEqual([
      ['source.test_project.raw.fresh', 'warn'],
      ['source.test_project.raw.no_field', 'runtime error'],
      ['source.test_project.raw.tighter', 'pass'],
    ]);
    expect(await runCli(['parse', '--project-dir', dir], captureStreams().streams, {})).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    const pick = (name: string) => {
      const s = manifest.sources[`source.test_project.raw.${name}`];
      return { field: s.loaded_at_field, configField: s.config.loaded_at_field, freshness: s.freshness, configFreshness: s.config.freshness };
    };
    const hours = (n: number) => ({ count: n, period: 'hour' });
    expect(pick('fresh')).toEqual({
      field: 'loaded_at',
      configField: 'loaded_at',
      freshness: { warn_after: hours(1), error_after: { count: 1, period: 'day' }, filter: null },
      configFreshness: { warn_after: hours(1), error_after: { count: 1, period: 'day' }, filter: null },
    });
    expect(pick('tighter').freshness).toEqual({ warn_after: hours(3), error_after: { count: 1, period: 'day' }, filter: null });
    expect(pick('untracked')).toMatchObject({ field: 'loaded_at', freshness: null, configFreshness: null });
    expect(pick('no_field')).toMatchObject({ field: null, configField: null });
    // Set nowhere: an empty threshold (dbt's SourceConfig default), not none.
    const empty = { warn_after: { count: null, period: null }, error_after: { count: null, period: null }, filter: null };
    expect(manifest.sources['source.test_project.plain.unset']).toMatchObject({ loaded_at_field: null, freshness: empty, config: { freshness: empty } });
  });
});
