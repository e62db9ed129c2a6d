import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { checkRequiredDbtVersion, DBT_VERSION } from '../../src/project/dbt-version.js';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { makeProject } from '../support/project-fixture.js';

const parse = (dir: string, opts: Record<string, unknown> = {}) => parseLoaded(loadProject({ projectDir: dir, env: {}, ...opts }));

describe('parse', () => {
  it('builds models with refs, sources, config and names', () => {
    const dir = makeProject({
      'dbt_project.yml': `name: shop\nprofile: test_profile\nconfig-version: 2\nmodels:\n  shop:\n    +materialized: table\n    staging:\n      +materialized: view\n      +tags: [stg]\n`,
      'models/staging/stg_orders.sql': "select * from {{ source('raw', 'orders') }}",
      'models/staging/sources.yml': 'version: 2\nsources:\n  - name: raw\n    schema: raw\n    tables:\n      - name: orders\n',
      'models/marts/orders.sql': "{{ config(schema='marts', tags=['daily']) }}\nselect * from {{ ref('stg_orders') }}",
      'tests/generic/unique.sql': '{% test unique(model, column_name) %}select {{ column_name }} from {{ model }} group by 1 having count(*) > 1{% endtest %}',
      'macros/not_null.sql': '{% test not_null(model, column_name) %}select * from {{ model }} where {{ column_name }} is null{% endtest %}',
      'models/marts/schema.yml': 'version: 2\nmodels:\n  - name: orders\n    description: All orders\n    columns:\n      - name: id\n        description: key\n        tests: [unique, not_null]\n',
    });
    const { manifest } = parse(dir);
    const stg = manifest.nodes['model.shop.stg_orders']!;
    expect(stg.config.materialized).toBe('view');
    expect(stg.tags).toEqual(['stg']);
    expect(stg.depends_on.nodes).toEqual(['source.shop.raw.orders']);
    expect(stg.fqn).toEqual(['shop', 'staging', 'stg_orders']);
    expect(stg.relation_name).toBe('"memory"."main"."stg_orders"');
    const orders = manifest.nodes['model.shop.orders']!;
    expect(orders.config.materialized).toBe('table');
    expect(orders.schema).toBe('main_marts');
    expect(orders.tags).toEqual(['daily']);
    expect(orders.description).toBe('All orders');
    expect(orders.depends_on.nodes).toEqual(['model.shop.stg_orders']);
    const testNames = Object.values(manifest.nodes).filter((n) => n.resource_type === 'test').map((n) => n.name).sort();
    expect(testNames).toEqual(['not_null_orders_id', 'unique_orders_id']);
    expect(manifest.sources['source.shop.raw.orders']!.relation_name).toBe('"memory"."raw"."orders"');
    expect(manifest.child_map['model.shop.stg_orders']).toEqual(['model.shop.orders']);
  });

  it('reports every unknown ref at once, with file, line and a did-you-mean', () => {
    const dir = makeProject({
      'models/stg_pull_requests.sql': 'select 1 as id',
      'models/a.sql': "select 1\nfrom {{ ref('stg_pull_request') }}",
      'models/b.sql': "\n\nselect * from {{ ref('nope') }}",
    });
    try {
      parse(dir);
      expect.unreachable();
    } catch (e) {
      const errors = (e as { errors: { code: string; file: string; line: number; message: string; hint?: string }[] }).errors;
      expect(errors.map((x) => [x.code, x.file, x.line, x.message, x.hint])).toEqual([
        ['REF_NOT_FOUND', 'models/a.sql', 2, "ref('stg_pull_request') in 'a' matches no node.", "Did you mean 'stg_pull_requests'?"],
        ['REF_NOT_FOUND', 'models/b.sql', 3, "ref('nope') in 'b' matches no node.", 'Check the name, or that the model is enabled and its package installed (tsdbt deps).'],
      ]);
    }
  });

  it('does not echo a broken model as unknown refs in the models that use it', () => {
    const dir = makeProject({
      // A call on an undefined name passes dbt's parse (its capturing Undefined); arithmetic on the result does not.
      'models/broken.sql': "select {{ undefined_macro_xyz() + 1 }}",
      'models/user.sql': "select * from {{ ref('broken') }}",
    });
    try {
      parse(dir);
      expect.unreachable();
    } catch (e) {
      const err = e as { code: string; file: string; line: number };
      expect([err.code, err.file, err.line]).toEqual(['JINJA_RENDER', 'models/broken.sql', 1]);
    }
  });

  it('warns on a misspelled config key with the nearest valid key', () => {
    const dir = makeProject({ 'models/a.sql': "{{ config(materialised='table') }}\nselect 1" });
    const { warnings } = parse(dir);
    expect(warnings).toContain("models/a.sql: unknown config key 'materialised' (did you mean 'materialized'?)");
  });

  it('renders env_var in profiles and errors on a missing one', () => {
    const dir = makeProject({
      'profiles.yml': "test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: \"{{ env_var('DB_PATH') }}\"\n      schema: \"{{ env_var('SCHEMA', 'analytics') }}\"\n",
      'models/a.sql': 'select 1',
    });
    const loaded = loadProject({ projectDir: dir, env: { DB_PATH: 'x.duckdb' } });
    expect(loaded.target.schema).toBe('analytics');
    expect(loaded.target.database).toBe('x');
    expect(() => loadProject({ projectDir: dir, env: {} })).toThrowError(expect.objectContaining({ code: 'ENV_VAR_MISSING', message: "Env var required but not provided: 'DB_PATH'", line: 6 }));
  });

  it('names a missing required profile field and an unknown target', () => {
    const dir = makeProject({
      'profiles.yml': 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: snowflakey\n',
    });
    expect(() => loadProject({ projectDir: dir, env: {} })).toThrowError(expect.objectContaining({ code: 'PROFILE_INVALID', line: 5 }));
    const dir2 = makeProject({});
    expect(() => loadProject({ projectDir: dir2, env: {}, target: 'prod' })).toThrowError(
      expect.objectContaining({ code: 'TARGET_NOT_FOUND', message: "Target 'prod' not found in profile 'test_profile'", hint: 'Valid targets: dev.' }),
    );
  });
});

describe('snowflake target', () => {
  it('renders relations unquoted and takes every secret from env_var', () => {
    const dir = makeProject({
      'profiles.yml': "test_profile:\n  target: prod\n  outputs:\n    prod:\n      type: snowflake\n      account: \"{{ env_var('SF_ACCOUNT') }}\"\n      user: u\n      password: \"{{ env_var('DBT_ENV_SECRET_SF_PASSWORD') }}\"\n      database: analytics\n      warehouse: wh\n      schema: dbt\n      threads: 4\n",
      'models/a.sql': 'select 1 as id',
    });
    const loaded = loadProject({ projectDir: dir, env: { SF_ACCOUNT: 'acme', DBT_ENV_SECRET_SF_PASSWORD: 's3cret-pw' } });
    expect(loaded.target).not.toHaveProperty('password');
    expect(loaded.secrets.redact('login failed for s3cret-pw')).toBe('login failed for *****');
    const { manifest } = parseLoaded(loaded);
    expect(manifest.nodes['model.test_project.a']!.relation_name).toBe('analytics.dbt.a');
  });
});

describe('require-dbt-version', () => {
  it('accepts a range containing the reported version and names the project that rejects it', () => {
    const ok = makeProject({ 'dbt_project.yml': 'name: p\nprofile: test_profile\nrequire-dbt-version: [">=1.3.0", "<3.0.0"]\n' });
    expect(() => loadProject({ projectDir: ok, env: {} })).not.toThrow();
    const bad = makeProject({ 'dbt_project.yml': 'name: p\nprofile: test_profile\nrequire-dbt-version: ">=2.0.0"\n' });
    expect(() => loadProject({ projectDir: bad, env: {} })).toThrowError(
      expect.objectContaining({ code: 'PROJECT_INVALID', file: 'dbt_project.yml', line: 3, message: "'p' requires dbt >=2.0.0, but tsdbt follows dbt 1.10.15" }),
    );
  });

  it('reads a pre-release written without a dash, as dbt does (>=1.6.0rc2)', () => {
    const ok = makeProject({ 'dbt_project.yml': 'name: p\nprofile: test_profile\nrequire-dbt-version: [">=1.6.0rc2", "<2.0.0"]\n' });
    expect(() => loadProject({ projectDir: ok, env: {} })).not.toThrow();
    const bad = makeProject({ 'dbt_project.yml': 'name: p\nprofile: test_profile\nrequire-dbt-version: ">=1.11.0b1"\n' });
    expect(() => loadProject({ projectDir: bad, env: {} })).toThrowError(
      expect.objectContaining({ code: 'PROJECT_INVALID', line: 3, message: "'p' requires dbt >=1.11.0b1, but tsdbt follows dbt 1.10.15" }),
    );
  });
});

describe('require-dbt-version without semver', () => {
  it('plain comparators give semver\'s answer (the range is checked without loading semver)', () => {
    const semver = createRequire(import.meta.url)('semver') as typeof import('semver');
    const ranges = ['>=1.3.0', '<2.0.0', '>=1.3.0 <2.0.0', '>1.10.15', '>=1.10.15', '<=1.10.15', '<1.10.15', '=1.10.15', '1.10.15', '1.10.14', '>=1.10.16', '>1.9.99 <1.11.0', '>=0.0.0', '<1.10.15 >=1.0.0', '>=1.11.0', '<=1.9.0'];
    for (const range of ranges) {
      const rejects = (() => {
        try {
          checkRequiredDbtVersion('p', [range], 'dbt_project.yml');
          return false;
        } catch {
          return true;
        }
      })();
      expect(rejects, range).toBe(!semver.satisfies(DBT_VERSION, range, { includePrerelease: true }));
    }
  });
});

describe('snapshots', () => {
  it('reads snapshot blocks and places them by target_schema, bypassing generate_schema_name', () => {
    const dir = makeProject({
      'models/src.sql': 'select 1 as id',
      'snapshots/snap.sql': "\n{% snapshot orders_snap %}\n{{ config(target_schema='snapshots', unique_key='id', strategy='check', check_cols='all') }}\nselect * from {{ ref('src') }}\n{% endsnapshot %}\n",
    });
    const { manifest } = parse(dir);
    const snap = manifest.nodes['snapshot.test_project.orders_snap']!;
    expect([snap.schema, snap.alias, snap.config.strategy, snap.depends_on.nodes]).toEqual(['snapshots', 'orders_snap', 'check', ['model.test_project.src']]);
    expect(snap.refs[0]!.at).toEqual({ file: 'snapshots/snap.sql', line: 4 });
  });
});
