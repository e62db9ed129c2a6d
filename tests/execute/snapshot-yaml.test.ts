import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, seed, snapshot } from '../../src/api/run.js';
import { makeProject, statuses } from './harness.js';

const read = (p: { dir: string }, rel: string) => readFileSync(join(p.dir, rel), 'utf8');

const orders = (rows: string) => ({ 'models/orders.sql': `{{ config(materialized='table') }}select * from (values ${rows}) as t(id, region, status, updated_at)` });

const ORDERS_SNAPSHOT_YML = `version: 2
snapshots:
  - name: orders_snapshot
    relation: ref('orders')
    config:
      schema: snapshots
      unique_key: [id, region]
      strategy: timestamp
      updated_at: updated_at
`;

describe('YAML-defined snapshots on DuckDB', () => {
  it('build runs the model, the snapshot, then what refs it; a second build records the change', async () => {
    const p = makeProject({
      ...orders("(1, 'eu', 'new', timestamp '2024-01-01'), (1, 'us', 'new', timestamp '2024-01-01')"),
      'snapshots/orders.yml': ORDERS_SNAPSHOT_YML,
      'models/current_orders.sql': "{{ config(materialized='table') }}select id, region, status from {{ ref('orders_snapshot') }} where dbt_valid_to is null",
    });
    const first = await build(p.opts);
    expect(statuses(first.results)).toEqual({ orders: 'success', orders_snapshot: 'success', current_orders: 'success' });
    // DAG order: the snapshot after the model it snapshots, before the model that refs it.
    expect(first.results.map((r) => r.node.name)).toEqual(['orders', 'orders_snapshot', 'current_orders']);
    p.write(orders("(1, 'eu', 'shipped', timestamp '2024-01-05'), (1, 'us', 'new', timestamp '2024-01-01')"));
    await build(p.opts);
    expect(await p.query('select id, region, status, dbt_valid_from, dbt_valid_to, dbt_updated_at from main_snapshots.orders_snapshot order by region, dbt_valid_from')).toEqual([
      { id: 1, region: 'eu', status: 'new', dbt_valid_from: new Date('2024-01-01T00:00:00Z'), dbt_valid_to: new Date('2024-01-05T00:00:00Z'), dbt_updated_at: new Date('2024-01-01T00:00:00Z') },
      { id: 1, region: 'eu', status: 'shipped', dbt_valid_from: new Date('2024-01-05T00:00:00Z'), dbt_valid_to: null, dbt_updated_at: new Date('2024-01-05T00:00:00Z') },
      { id: 1, region: 'us', status: 'new', dbt_valid_from: new Date('2024-01-01T00:00:00Z'), dbt_valid_to: null, dbt_updated_at: new Date('2024-01-01T00:00:00Z') },
    ]);
    expect(await p.query('select id, region, status from main.current_orders order by region')).toEqual([
      { id: 1, region: 'eu', status: 'shipped' },
      { id: 1, region: 'us', status: 'new' },
    ]);
  });

  it('tests declared on a YAML snapshot run in build; each YAML snapshot compiles to its own file (dbt: <yaml file>/<node path>)', async () => {
    const p = makeProject({
      ...orders("(1, 'eu', 'new', timestamp '2024-01-01'), (2, 'us', 'new', timestamp '2024-01-01')"),
      'snapshots/orders.yml': `snapshots:
  - name: orders_snapshot
    relation: ref('orders')
    config: {unique_key: id, strategy: timestamp, updated_at: updated_at}
    columns:
      - name: id
        data_tests: [unique, not_null]
  - name: orders_snapshot_2
    relation: ref('orders')
    config: {unique_key: id, strategy: check, check_cols: all}
`,
    });
    const r = await build(p.opts);
    expect(statuses(r.results)).toEqual({
      orders: 'success',
      orders_snapshot: 'success',
      orders_snapshot_2: 'success',
      unique_orders_snapshot_id: 'pass',
      not_null_orders_snapshot_id: 'pass',
    });
    expect(read(p, 'target/compiled/proj/snapshots/orders.yml/orders.yml/orders_snapshot.sql')).toContain('select * from');
    expect(read(p, 'target/compiled/proj/snapshots/orders.yml/orders.yml/orders_snapshot_2.sql')).toContain('select * from');
    expect(read(p, 'target/compiled/proj/snapshots/orders.yml/unique_orders_snapshot_id.sql')).toContain('orders_snapshot');
  });

  it('snapshots a source() with the check strategy; --select picks one snapshot; target_schema places it verbatim', async () => {
    const people = (rows: string) => ({ 'seeds/raw_people.csv': `id,name\n${rows}\n` });
    const p = makeProject({
      ...people('1,ann\n2,bob'),
      'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    schema: main\n    tables:\n      - name: raw_people\n',
      'snapshots/people.yml': `snapshots:
  - name: people_history
    relation: source('raw', 'raw_people')
    config:
      target_schema: history
      unique_key: id
      strategy: check
      check_cols: [name]
      hard_deletes: invalidate
  - name: people_other
    relation: source('raw', 'raw_people')
    config: {unique_key: id, strategy: check, check_cols: all}
`,
    });
    await seed(p.opts);
    const first = await snapshot({ ...p.opts, select: ['people_history'] });
    expect(statuses(first.results)).toEqual({ people_history: 'success' });
    p.write(people('1,ann\n3,cy'));
    await seed(p.opts);
    await snapshot({ ...p.opts, select: ['people_history'] });
    p.write(people('1,anne\n3,cy'));
    await seed(p.opts);
    await snapshot({ ...p.opts, select: ['people_history'] });
    expect(await p.query('select id, name, dbt_valid_to is null as current from history.people_history order by id, dbt_valid_from')).toEqual([
      { id: 1, name: 'ann', current: false },
      { id: 1, name: 'anne', current: true },
      { id: 2, name: 'bob', current: false },
      { id: 3, name: 'cy', current: true },
    ]);
    expect(await p.query("select count(*)::int as n from information_schema.tables where table_name = 'people_other'")).toEqual([{ n: 0 }]);
  });

  it('pre/post hooks and tags from its YAML config: the hooks run around it, tag: selects it', async () => {
    const p = makeProject({
      ...orders("(1, 'eu', 'new', timestamp '2024-01-01')"),
      'snapshots/orders.yml': `snapshots:
  - name: orders_snapshot
    relation: ref('orders')
    config:
      unique_key: id
      strategy: check
      check_cols: all
      tags: [history]
      pre_hook: "create table if not exists main.hook_log (event varchar)"
      post_hook:
        - "insert into main.hook_log select 'rows=' || count(*) from {{ this }}"
`,
    });
    await build({ ...p.opts, select: ['orders'] });
    const r = await build({ ...p.opts, select: ['tag:history'] });
    expect(statuses(r.results)).toEqual({ orders_snapshot: 'success' });
    expect(await p.query('select event from main.hook_log')).toEqual([{ event: 'rows=1' }]);
  });
});
