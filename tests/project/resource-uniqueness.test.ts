import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { TsdbtError, TsdbtErrorList } from '../../src/errors/tsdbt-error.js';
import { makeProject } from '../support/project-fixture.js';

const parse = (dir: string) => parseLoaded(loadProject({ projectDir: dir, env: {} }));

function parseErrors(dir: string): string[] {
  try {
    parse(dir);
  } catch (e) {
    const list = e instanceof TsdbtErrorList ? e.errors : e instanceof TsdbtError ? [e] : [];
    if (list.length === 0) throw e;
    return list.map((x) => `${x.code} ${x.format()}`);
  }
  throw new Error('parse succeeded');
}

describe('each built node has its own relation and ref name', () => {
  it('two models built as the same relation (an alias clash) are an error naming both files', () => {
    const dir = makeProject({
      'models/orders.sql': 'select 1 as id',
      'models/orders_v2.sql': "{{ config(alias='orders') }}\nselect 2 as id",
      'models/other.sql': "{{ config(alias='orders', schema='elsewhere') }}\nselect 3 as id",
    });
    expect(parseErrors(dir)).toEqual([
      'DUPLICATE_RELATION models/orders_v2.sql: model.test_project.orders (models/orders.sql) and model.test_project.orders_v2 (models/orders_v2.sql) would both be built as "memory"."main"."orders"\n  Give one of them another alias, schema or database (config alias=, schema=, database=), or rename it.',
    ]);
  });

  it('ephemeral models and disabled nodes build no relation, so they never clash', () => {
    const dir = makeProject({
      'models/orders.sql': 'select 1 as id',
      'models/eph.sql': "{{ config(alias='orders', materialized='ephemeral') }}\nselect 2 as id",
      'models/off.sql': "{{ config(alias='orders', enabled=false) }}\nselect 3 as id",
    });
    expect(Object.keys(parse(dir).manifest.nodes).sort()).toEqual(['model.test_project.eph', 'model.test_project.orders']);
  });

  it('a model and a seed named alike in different schemas: parsed, with a warning that ref() is ambiguous', () => {
    const dir = makeProject({
      'models/orders.sql': 'select 1 as id',
      'seeds/orders.csv': 'id\n1\n',
      'dbt_project.yml': 'name: test_project\nconfig-version: 2\nprofile: test_profile\nseeds:\n  test_project:\n    +schema: raw\n',
    });
    const { manifest, warnings } = parse(dir);
    expect(manifest.nodes['seed.test_project.orders']!.relation_name).toBe('"memory"."main_raw"."orders"');
    expect(warnings).toContain(
      "models/orders.sql: model.test_project.orders (models/orders.sql), seed.test_project.orders (seeds/orders.csv) share the name 'orders', so ref('orders') cannot tell them apart. Rename one of them.",
    );
  });

  it('a YAML snapshot named as the model it snapshots, in the same schema: the relation clash is the error', () => {
    const dir = makeProject({
      'models/orders.sql': 'select 1 as id',
      'snapshots/snaps.yml': "snapshots:\n  - name: orders\n    relation: ref('orders')\n    config: {unique_key: id, strategy: check, check_cols: all}\n",
    });
    expect(parseErrors(dir)).toEqual([
      'DUPLICATE_RELATION snapshots/snaps.yml: model.test_project.orders (models/orders.sql) and snapshot.test_project.orders (snapshots/snaps.yml) would both be built as "memory"."main"."orders"\n  Give one of them another alias, schema or database (config alias=, schema=, database=), or rename it.',
    ]);
  });

  it('an unknown source() is reported on its own line: a YAML snapshot relation: line and a {% snapshot %} block in its file', () => {
    const dir = makeProject({
      'models/sources.yml': 'sources:\n  - name: raw\n    tables:\n      - name: orders\n',
      'snapshots/snaps.yml': "snapshots:\n  - name: snap_yaml\n    config: {unique_key: id, strategy: check, check_cols: all}\n    relation: source('raw', 'order')\n",
      'snapshots/snap_block.sql': "-- a comment\n\n{% snapshot snap_block %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect * from {{ source('rw', 'orders') }}\n{% endsnapshot %}\n",
    });
    expect(parseErrors(dir).sort()).toEqual([
      "SOURCE_NOT_FOUND snapshots/snap_block.sql:5: source('rw', 'orders') in 'snap_block' matches no source table.\n  Did you mean source('raw', 'orders')?",
      "SOURCE_NOT_FOUND snapshots/snaps.yml:4: source('raw', 'order') in 'snap_yaml' matches no source table.\n  Did you mean source('raw', 'orders')?",
    ]);
  });
});

describe('resource names without spaces (dbt 1.10: require_resource_names_without_spaces, on by default)', () => {
  it('a model whose name has a space is an error naming its file; with the flag false, a warning', () => {
    const files = { 'models/my model.sql': 'select 1 as id', 'models/fine.sql': 'select 2 as id' };
    expect(parseErrors(makeProject(files))).toEqual([
      "PROJECT_INVALID models/my model.sql: Resource names cannot contain spaces. Found spaces in the name of `model.test_project.my model`\n  Rename the file (or its name:) without spaces, e.g. with underscores. dbt_project.yml's flags: require_resource_names_without_spaces: false makes this a warning, as in dbt 1.10.",
    ]);
    const allowed = makeProject({ ...files, 'dbt_project.yml': 'name: test_project\nprofile: test_profile\nflags:\n  require_resource_names_without_spaces: false\n' });
    expect(parse(allowed).warnings).toContain('models/my model.sql: Found spaces in the name of `model.test_project.my model`: resource names with spaces are deprecated in dbt 1.10. Rename it without spaces.');
  });
});
