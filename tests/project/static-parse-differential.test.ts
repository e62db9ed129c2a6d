import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import type { Manifest } from '../../src/manifest/types.js';
import { makeProject } from '../support/project-fixture.js';

// Public projects checked out on the development machines (skipped where absent).
const EXT = '/work/ext';

const PROFILE = (name: string) => `${name}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ":memory:"\n      threads: 1\n`;

/** A copy of a public project with a DuckDB profile and, for a package's integration tests, the package linked in. */
function copyOf(src: string, profileName: string, packages: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-diff-'));
  cpSync(src, dir, { recursive: true, filter: (p) => !p.includes('/dbt_packages') && !p.includes('/target') });
  writeFileSync(join(dir, 'profiles.yml'), PROFILE(profileName));
  // The packages linked below are all the parse needs; a packages.yml listing more (jaffle-shop's audit helper) would be dbt's "run deps" error.
  rmSync(join(dir, 'packages.yml'), { force: true });
  for (const [name, path] of Object.entries(packages)) {
    mkdirSync(join(dir, 'dbt_packages'), { recursive: true });
    symlinkSync(path, join(dir, 'dbt_packages', name));
  }
  return dir;
}

/** Each node's depends_on (nodes and macros, as sets) and refs/sources. */
function dependencies(m: Manifest): Record<string, { nodes: string[]; macros: string[] }> {
  return Object.fromEntries(
    Object.values(m.nodes).map((n) => [n.unique_id, { nodes: [...n.depends_on.nodes].sort(), macros: [...n.depends_on.macros].sort() }]),
  );
}

/** Parse with the static parser on and off: the manifests must record the same dependencies. */
function expectSameDependencies(dir: string) {
  const withStatic = parseLoaded(loadProject({ projectDir: dir, profilesDir: dir, env: {} }));
  const rendered = parseLoaded(loadProject({ projectDir: dir, profilesDir: dir, env: {} }), { flags: { STATIC_PARSER: false } });
  const a = dependencies(withStatic.manifest);
  const b = dependencies(rendered.manifest);
  expect(Object.keys(a).length).toBeGreaterThan(0);
  expect(a).toEqual(b);
  return { a, manifest: withStatic.manifest };
}

describe('static parse and a full render record the same depends_on', () => {
  it('a small project: macros a model calls are in depends_on.macros; ref/source/config are not macros unless a project overrides them', () => {
    const dir = makeProject({
      'macros/cents.sql': '{% macro cents_to_dollars(c) %}({{ c }} / 100){% endmacro %}\n{% macro inner() %}1{% endmacro %}\n{% macro outer() %}{{ inner() }}{% endmacro %}',
      'models/a.sql': "{{ config(materialized='table') }}\nselect 1 as id",
      'models/b.sql': "select {{ cents_to_dollars('id') }} as d, {{ outer() }} as o from {{ ref('a') }}",
      'models/c.sql': "select {{ dbt.current_timestamp() }} as t from {{ ref('a') }}",
    });
    const { a } = expectSameDependencies(dir);
    expect(a['model.test_project.a']!.macros).toEqual([]);
    // Only the macros the model calls itself (dbt's macro stack at depth 0), not what they call.
    expect(a['model.test_project.b']!.macros).toEqual(['macro.test_project.cents_to_dollars', 'macro.test_project.outer']);
    expect(a['model.test_project.c']!.macros).toEqual(['macro.dbt.current_timestamp']);
  });

  it('a project overriding ref: the static parser steps aside and the ref macro is a dependency', () => {
    const dir = makeProject({
      'macros/ref.sql': '{% macro ref(name) %}{% do return(builtins.ref(name)) %}{% endmacro %}',
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select * from {{ ref('a') }}",
    });
    const { a } = expectSameDependencies(dir);
    expect(a['model.test_project.b']).toEqual({ nodes: ['model.test_project.a'], macros: ['macro.test_project.ref'] });
  });

  it.skipIf(!existsSync(`${EXT}/jaffle_shop`))('jaffle_shop', () => {
    const { a } = expectSameDependencies(copyOf(`${EXT}/jaffle_shop`, 'jaffle_shop'));
    expect(a['model.jaffle_shop.orders']!.nodes).toEqual(['model.jaffle_shop.stg_orders', 'model.jaffle_shop.stg_payments']);
  });

  it.skipIf(!existsSync(`${EXT}/jaffle-shop`) || !existsSync(`${EXT}/dbt-date`))('jaffle-shop', () => {
    const { a } = expectSameDependencies(copyOf(`${EXT}/jaffle-shop`, 'default', { dbt_utils: `${EXT}/dbt-utils`, dbt_date: `${EXT}/dbt-date` }));
    expect(a['model.jaffle_shop.stg_orders']!.macros).toEqual(['macro.dbt.date_trunc', 'macro.jaffle_shop.cents_to_dollars']);
  });

  it.skipIf(!existsSync(`${EXT}/dbt-utils/integration_tests`))('dbt-utils integration tests', () => {
    const { a } = expectSameDependencies(copyOf(`${EXT}/dbt-utils/integration_tests`, 'integration_tests', { dbt_utils: `${EXT}/dbt-utils` }));
    expect(a['model.dbt_utils_integration_tests.test_star']!.macros).toContain('macro.dbt_utils.star');
  }, 60_000);
});
