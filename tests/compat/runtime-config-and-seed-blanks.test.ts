import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

describe('found on the corpus (Tuva, Fivetran shopify)', () => {
  it('builtins.ref.config is the runtime config: project_name and dependencies[pkg].version (Tuva reads its version so)', async () => {
    const dir = makeProject({
      'dbt_project.yml': 'name: test_project\nversion: "2.3.4"\nconfig-version: 2\nprofile: test_profile\n',
      'macros/pkg_version.sql': "{% macro pkg_version() %}{% set conf = builtins.ref.config %}{% do return(conf.dependencies['test_project'].version) %}{% endmacro %}",
      'models/m.sql': "select '{{ pkg_version() }}' as v, '{{ builtins.ref.config.project_name }}' as p",
    });
    const io = captureStreams();
    expect(await runCli(['compile', '-s', 'm', '--quiet', '--project-dir', dir], io.streams, {})).toBe(0);
    expect(io.stdout.join('')).toBe("select '2.3.4' as v, 'test_project' as p\n");
  });

  it("a seed cell holding only a space is null, as agate reads it (a timestamp column stays a timestamp)", async () => {
    const dir = makeProject({
      'profiles.yml': 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: "s.duckdb"\n',
      'seeds/orders.csv': 'id,cancelled_at\n1, \n2,2025-07-19 09:00:00\n',
      'models/check.sql': "select typeof(cancelled_at) as t, count(*) filter (where cancelled_at is null) as nulls from {{ ref('orders') }} group by 1",
    });
    expect(await runCli(['build', '--project-dir', dir], captureStreams().streams, {})).toBe(0);
    const io = captureStreams();
    expect(await runCli(['show', '-s', 'check', '--project-dir', dir], io.streams, {})).toBe(0);
    expect(io.stdout.join('')).toMatch(/\| TIMESTAMP \| +1 \|/);
  });
});
