import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import { TsdbtError, TsdbtErrorList } from '../../src/errors/tsdbt-error.js';
import { makeProject } from '../support/project-fixture.js';

const parse = (dir: string) => parseLoaded(loadProject({ projectDir: dir, env: {} }));

/** Every error a parse reports, formatted (file:line: message, then the hint). */
function parseErrors(dir: string): { code: string; text: string }[] {
  try {
    parse(dir);
  } catch (e) {
    const list = e instanceof TsdbtErrorList ? e.errors : e instanceof TsdbtError ? [e] : [];
    if (list.length === 0) throw e;
    return list.map((x) => ({ code: x.code, text: x.format() }));
  }
  throw new Error('parse succeeded');
}

const SRC = { 'models/orders.sql': 'select 1 as id, 2 as customer_id' };

describe('YAML-defined snapshots (dbt 1.9)', () => {
  it('a snapshots: entry with relation: ref() becomes a snapshot node with dbt’s manifest fields', () => {
    const dir = makeProject({
      ...SRC,
      'snapshots/orders.yml': `version: 2
snapshots:
  - name: orders_snapshot
    description: Order history
    relation: ref('orders')
    config:
      schema: snapshots
      unique_key: [id, customer_id]
      strategy: timestamp
      updated_at: updated_at
      hard_deletes: new_record
      dbt_valid_to_current: "to_date('9999-12-31')"
      snapshot_meta_column_names:
        dbt_valid_from: start_at
        dbt_valid_to: end_at
      tags: [history]
      meta: {owner: data}
    columns:
      - name: id
        description: the key
        data_tests: [not_null]
`,
    });
    const { manifest } = parse(dir);
    const snap = manifest.nodes['snapshot.test_project.orders_snapshot']!;
    expect({
      resource_type: snap.resource_type,
      path: snap.path,
      original_file_path: snap.original_file_path,
      fqn: snap.fqn,
      raw_code: snap.raw_code,
      refs: snap.refs,
      depends_on: snap.depends_on.nodes,
      schema: snap.schema,
      alias: snap.alias,
      relation_name: snap.relation_name,
      description: snap.description,
      columns: Object.keys(snap.columns),
      patch_path: snap.patch_path,
      tags: snap.tags,
      meta: snap.meta,
    }).toEqual({
      resource_type: 'snapshot',
      path: 'orders.yml/orders_snapshot.sql',
      original_file_path: 'snapshots/orders.yml',
      fqn: ['test_project', 'orders_snapshot'],
      raw_code: "select * from {{ ref('orders') }}",
      refs: [{ name: 'orders', package: null, version: null }],
      depends_on: ['model.test_project.orders'],
      schema: 'main_snapshots',
      alias: 'orders_snapshot',
      relation_name: '"memory"."main_snapshots"."orders_snapshot"',
      description: 'Order history',
      columns: ['id'],
      patch_path: 'test_project://snapshots/orders.yml',
      tags: ['history'],
      meta: { owner: 'data' },
    });
    const c = snap.config;
    expect([c.materialized, c.strategy, c.unique_key, c.updated_at, c.hard_deletes, c.dbt_valid_to_current, c.snapshot_meta_column_names]).toEqual([
      'snapshot',
      'timestamp',
      ['id', 'customer_id'],
      'updated_at',
      'new_record',
      "to_date('9999-12-31')",
      { dbt_valid_to: 'end_at', dbt_valid_from: 'start_at', dbt_scd_id: null, dbt_updated_at: null, dbt_is_deleted: null },
    ]);
    // The ref is located on the `relation:` line of the YAML file.
    expect(snap.refs[0]!.at).toEqual({ file: 'snapshots/orders.yml', line: 5 });
    // Its generic tests attach to it.
    const test = Object.values(manifest.nodes).find((n) => n.name === 'not_null_orders_snapshot_id')!;
    expect([test.depends_on.nodes, test.attached_node]).toEqual([['snapshot.test_project.orders_snapshot'], 'snapshot.test_project.orders_snapshot']);
    expect(manifest.child_map['model.test_project.orders']).toEqual(['snapshot.test_project.orders_snapshot']);
  });

  it('source() relations, sub-folder fqn, dbt_project.yml configs by folder, and target_schema placing it verbatim (legacy)', () => {
    const dir = makeProject({
      'dbt_project.yml': `name: test_project\nconfig-version: 2\nprofile: test_profile\nsnapshots:\n  test_project:\n    crm:\n      +tags: [crm]\n      +strategy: check\n      +check_cols: all\n`,
      'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    schema: raw\n    tables:\n      - name: customers\n',
      'snapshots/crm/customers.yml': `snapshots:
  - name: customers_snapshot
    relation: source('raw', 'customers')
    config:
      target_schema: history
      target_database: memory
      unique_key: id
  - name: customers_v2
    relation: "source('raw', 'customers')"
    config: {unique_key: id, schema: crm}
`,
    });
    const { manifest } = parse(dir);
    const a = manifest.nodes['snapshot.test_project.customers_snapshot']!;
    expect([a.fqn, a.path, a.sources, a.depends_on.nodes, a.schema, a.database, a.tags, a.config.strategy, a.config.check_cols]).toEqual([
      ['test_project', 'crm', 'customers_snapshot'],
      'crm/customers.yml/customers_snapshot.sql',
      [['raw', 'customers']],
      ['source.test_project.raw.customers'],
      'history',
      'memory',
      ['crm'],
      'check',
      'all',
    ]);
    const b = manifest.nodes['snapshot.test_project.customers_v2']!;
    expect([b.schema, b.relation_name]).toEqual(['main_crm', '"memory"."main_crm"."customers_v2"']);
  });

  it('is read from properties files under model-paths too, and enabled: false puts it among the disabled', () => {
    const dir = makeProject({
      ...SRC,
      'models/marts/snaps.yaml': `snapshots:
  - name: orders_hist
    relation: ref('orders')
    config: {unique_key: id, strategy: check, check_cols: [customer_id]}
  - name: orders_off
    relation: ref('orders')
    config: {unique_key: id, strategy: check, check_cols: all, enabled: false}
`,
    });
    const { manifest } = parse(dir);
    const n = manifest.nodes['snapshot.test_project.orders_hist']!;
    expect([n.original_file_path, n.path, n.fqn, n.schema]).toEqual(['models/marts/snaps.yaml', 'marts/snaps.yaml/orders_hist.sql', ['test_project', 'marts', 'orders_hist'], 'main']);
    expect(manifest.nodes['snapshot.test_project.orders_off']).toBeUndefined();
    expect(Object.keys(manifest.disabled)).toEqual(['snapshot.test_project.orders_off']);
  });

  it('a {% snapshot %} block takes its config from a snapshots: entry without relation (1.9), and gets the 1.9 config defaults', () => {
    const dir = makeProject({
      ...SRC,
      'snapshots/snap.sql': "{% snapshot snap %}\nselect * from {{ ref('orders') }}\n{% endsnapshot %}\n",
      'snapshots/props.yml': 'snapshots:\n  - name: snap\n    config: {unique_key: id, strategy: timestamp, updated_at: ts, schema: hist}\n',
    });
    const snap = parse(dir).manifest.nodes['snapshot.test_project.snap']!;
    expect([snap.schema, snap.config.strategy, snap.config.hard_deletes, snap.config.dbt_valid_to_current, snap.config.snapshot_meta_column_names]).toEqual([
      'main_hist',
      'timestamp',
      null,
      null,
      { dbt_valid_to: null, dbt_valid_from: null, dbt_scd_id: null, dbt_updated_at: null, dbt_is_deleted: null },
    ]);
  });

  it('a YAML snapshot and a .sql snapshot with the same name: an error naming both files', () => {
    const dir = makeProject({
      ...SRC,
      'snapshots/orders_snapshot.sql': "{% snapshot orders_snapshot %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect * from {{ ref('orders') }}\n{% endsnapshot %}\n",
      'snapshots/snaps.yml': "snapshots:\n  - name: other\n    relation: ref('orders')\n    config: {unique_key: id, strategy: check, check_cols: all}\n  - name: orders_snapshot\n    relation: ref('orders')\n    config: {unique_key: id, strategy: check, check_cols: all}\n",
    });
    expect(parseErrors(dir)).toEqual([
      {
        code: 'DUPLICATE_NODE',
        text: "snapshots/snaps.yml:5: Two snapshots are named 'orders_snapshot': snapshots/orders_snapshot.sql and snapshots/snaps.yml\n  dbt requires unique names per resource type within a package: rename one of the files (or set an alias).",
      },
    ]);
  });

  it('reports every bad YAML snapshot at once, each with file:line and the fix', () => {
    const dir = makeProject({
      ...SRC,
      'snapshots/bad.yml': `snapshots:
  - name: no_relation
    config:
      unique_key: id
      strategy: timestamp
      updated_at: ts
  - name: bare_name
    relation: orders
    config: {unique_key: id, strategy: check, check_cols: all}
  - name: curly
    relation: "{{ ref('orders') }}"
    config: {unique_key: id, strategy: check, check_cols: all}
  - name: no_updated_at
    relation: ref('orders')
    config:
      unique_key: id
      strategy: timestamp
  - name: no_check_cols
    relation: ref('orders')
    config:
      unique_key: id
      strategy: check
  - name: check_cols_string
    relation: ref('orders')
    config:
      unique_key: id
      strategy: check
      check_cols: status
  - name: bad_hard_deletes
    relation: ref('orders')
    config:
      unique_key: id
      strategy: check
      check_cols: all
      hard_deletes: delete
  - name: no_key
    relation: ref('orders')
    config:
      strategy: check
      check_cols: all
  - name: typo_meta
    relation: ref('orders')
    config:
      unique_key: id
      strategy: check
      check_cols: all
      snapshot_meta_column_names: {dbt_valid_too: until}
  - name: missing_model
    relation: ref('order')
    config: {unique_key: id, strategy: check, check_cols: all}
`,
    });
    const errors = parseErrors(dir).map((e) => e.text);
    const relationHint = "Write relation: ref('<model, seed or snapshot>') or relation: source('<source>', '<table>'), without {{ }}.";
    expect(errors).toEqual([
      `snapshots/bad.yml:8: Snapshot 'bare_name' has relation: "orders", which is not a ref() or source() expression\n  ${relationHint}`,
      `snapshots/bad.yml:11: Snapshot 'curly' has relation: "{{ ref('orders') }}", which is not a ref() or source() expression\n  ${relationHint}`,
      "snapshots/bad.yml:17: Snapshot 'no_updated_at' uses strategy 'timestamp' without updated_at\n  Add updated_at: <the column holding when each row last changed>, or use strategy: check with check_cols.",
      "snapshots/bad.yml:22: Snapshot 'no_check_cols' uses strategy 'check' without check_cols\n  Add check_cols: [<columns to compare>] or check_cols: 'all'.",
      "snapshots/bad.yml:28: Snapshot 'check_cols_string' has check_cols: \"status\", which is neither 'all' nor a list\n  Write check_cols: ['status'] (a list), or 'all'.",
      "snapshots/bad.yml:35: Snapshot 'bad_hard_deletes' has hard_deletes: \"delete\"\n  Use hard_deletes: ignore, invalidate or new_record.",
      "snapshots/bad.yml:38: Snapshot 'no_key' has no unique_key\n  Set unique_key: the column (or list of columns) that identifies a row of the snapshotted relation.",
      "snapshots/bad.yml:47: Snapshot 'typo_meta' renames an unknown meta column 'dbt_valid_too' in snapshot_meta_column_names\n  Did you mean 'dbt_valid_to'?",
      "snapshots/bad.yml:2: Snapshot 'no_relation' sets unique_key, strategy, updated_at but has no relation: and no {% snapshot no_relation %} block\n  Add relation: ref('<model>') or relation: source('<source>', '<table>') to say what 'no_relation' snapshots.",
      "snapshots/bad.yml:49: ref('order') in 'missing_model' matches no node.\n  Did you mean 'orders'?",
    ]);
  });

  it('a {% snapshot %} block missing updated_at: the error points at its config() call', () => {
    const dir = makeProject({
      ...SRC,
      'snapshots/snap.sql': "\n\n{% snapshot snap %}\n\n{{ config(unique_key='id', strategy='timestamp') }}\nselect * from {{ ref('orders') }}\n{% endsnapshot %}\n",
    });
    expect(parseErrors(dir)).toEqual([
      { code: 'SNAPSHOT_CONFIG', text: "snapshots/snap.sql:5: Snapshot 'snap' uses strategy 'timestamp' without updated_at\n  Add updated_at: <the column holding when each row last changed>, or use strategy: check with check_cols." },
    ]);
  });
});
