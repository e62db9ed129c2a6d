import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, snapshot } from '../../src/api/run.js';
import { makeSnowflakeProject, sfQuery } from '../snowflake-adapter/sf-harness.js';
import { startSnowflakeDoubleInWorker, type WorkerSnowflakeDouble } from '../support/snowflake-double/double-worker.js';
import { makeProject, type TestProject } from './harness.js';

const source = (rows: string) => ({ 'models/src.sql': `{{ config(materialized='table') }}select * from (values ${rows}) as t(id, region, status, updated_at)` });
const yamlSnap = (config: string) => ({
  'snapshots/snap.yml': `snapshots:\n  - name: snap\n    relation: ref('src')\n    config:\n      schema: snapshots\n${config.trim().split('\n').map((l) => `      ${l}`).join('\n')}\n`,
});

/** Rebuild the source with these rows, then snapshot; the snapshot must succeed. */
async function step(p: TestProject, rows: string): Promise<void> {
  p.write(source(rows));
  await run(p.opts);
  const r = await snapshot(p.opts);
  expect(r.results.map((x) => [x.node.name, x.status, x.status === 'success' ? '' : x.message])).toEqual([['snap', 'success', '']]);
}

const T = (day: string) => new Date(`${day}T00:00:00Z`);
const FAR = T('9999-12-31');

describe('dbt 1.9 snapshot configs on DuckDB', () => {
  it('dbt_valid_to_current: current rows carry it instead of null, and are still found as current on the next runs', async () => {
    const p = makeProject(yamlSnap(`
unique_key: id
strategy: timestamp
updated_at: updated_at
dbt_valid_to_current: "timestamp '9999-12-31'"
`));
    await step(p, "(1, 'eu', 'new', timestamp '2024-01-01'), (2, 'eu', 'new', timestamp '2024-01-01')");
    await step(p, "(1, 'eu', 'shipped', timestamp '2024-01-05'), (2, 'eu', 'new', timestamp '2024-01-01')");
    await step(p, "(1, 'eu', 'shipped', timestamp '2024-01-05'), (2, 'eu', 'new', timestamp '2024-01-01')");
    expect(await p.query('select id, status, dbt_valid_from, dbt_valid_to from main_snapshots.snap order by id, dbt_valid_from')).toEqual([
      { id: 1, status: 'new', dbt_valid_from: T('2024-01-01'), dbt_valid_to: T('2024-01-05') },
      { id: 1, status: 'shipped', dbt_valid_from: T('2024-01-05'), dbt_valid_to: FAR },
      { id: 2, status: 'new', dbt_valid_from: T('2024-01-01'), dbt_valid_to: FAR },
    ]);
  });

  it('snapshot_meta_column_names renames every meta column, including the hard-delete flag', async () => {
    const p = makeProject(yamlSnap(`
unique_key: id
strategy: timestamp
updated_at: updated_at
hard_deletes: new_record
snapshot_meta_column_names:
  dbt_valid_from: start_at
  dbt_valid_to: end_at
  dbt_scd_id: version_id
  dbt_updated_at: changed_at
  dbt_is_deleted: is_gone
`));
    await step(p, "(1, 'eu', 'new', timestamp '2024-01-01'), (2, 'eu', 'new', timestamp '2024-01-01')");
    await step(p, "(1, 'eu', 'shipped', timestamp '2024-01-05')");
    const columns = await p.query("select column_name from information_schema.columns where table_schema = 'main_snapshots' and table_name = 'snap' order by ordinal_position");
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'region', 'status', 'updated_at', 'version_id', 'changed_at', 'start_at', 'end_at', 'is_gone']);
    expect(await p.query('select id, status, start_at, end_at is null as current, changed_at, is_gone from main_snapshots.snap order by id, start_at, is_gone')).toEqual([
      { id: 1, status: 'new', start_at: T('2024-01-01'), current: false, changed_at: T('2024-01-01'), is_gone: 'False' },
      { id: 1, status: 'shipped', start_at: T('2024-01-05'), current: true, changed_at: T('2024-01-05'), is_gone: 'False' },
      { id: 2, status: 'new', start_at: T('2024-01-01'), current: false, changed_at: T('2024-01-01'), is_gone: 'False' },
      { id: 2, status: 'new', start_at: expect.any(Date), current: true, changed_at: expect.any(Date), is_gone: 'True' },
    ]);
    expect(await p.query('select count(distinct version_id)::int as n from main_snapshots.snap')).toEqual([{ n: 4 }]);
  });

  it("hard_deletes='new_record' with dbt_valid_to_current: the deleted marker is current, and closes when the key returns", async () => {
    const p = makeProject(yamlSnap(`
unique_key: id
strategy: check
check_cols: [status]
hard_deletes: new_record
dbt_valid_to_current: "timestamp '9999-12-31'"
`));
    await step(p, "(1, 'eu', 'a', timestamp '2024-01-01'), (2, 'eu', 'b', timestamp '2024-01-01')");
    await step(p, "(1, 'eu', 'a', timestamp '2024-01-01')");
    expect(await p.query('select id, status, dbt_is_deleted, dbt_valid_to = timestamp \'9999-12-31\' as current from main_snapshots.snap order by id, dbt_is_deleted')).toEqual([
      { id: 1, status: 'a', dbt_is_deleted: 'False', current: true },
      { id: 2, status: 'b', dbt_is_deleted: 'False', current: false },
      { id: 2, status: 'b', dbt_is_deleted: 'True', current: true },
    ]);
    // Unchanged input: nothing new (the marker is not deleted twice).
    await step(p, "(1, 'eu', 'a', timestamp '2024-01-01')");
    expect(await p.query('select count(*)::int as n from main_snapshots.snap')).toEqual([{ n: 3 }]);
    await step(p, "(1, 'eu', 'a', timestamp '2024-01-01'), (2, 'eu', 'b2', timestamp '2024-01-01')");
    expect(await p.query('select id, status, dbt_is_deleted, dbt_valid_to = timestamp \'9999-12-31\' as current from main_snapshots.snap order by id, dbt_valid_from, dbt_is_deleted')).toEqual([
      { id: 1, status: 'a', dbt_is_deleted: 'False', current: true },
      { id: 2, status: 'b', dbt_is_deleted: 'False', current: false },
      { id: 2, status: 'b', dbt_is_deleted: 'True', current: false },
      { id: 2, status: 'b2', dbt_is_deleted: 'False', current: true },
    ]);
  });

  it("hard_deletes='new_record', timestamp strategy: a key that returns with its old updated_at gets a new version with its own dbt_scd_id", async () => {
    const p = makeProject(yamlSnap('unique_key: id\nstrategy: timestamp\nupdated_at: updated_at\nhard_deletes: new_record'));
    await step(p, "(1, 'eu', 'a', timestamp '2024-01-01'), (2, 'eu', 'b', timestamp '2024-01-01')");
    await step(p, "(1, 'eu', 'a', timestamp '2024-01-01')");
    await step(p, "(1, 'eu', 'a', timestamp '2024-01-01'), (2, 'eu', 'b', timestamp '2024-01-01')");
    await step(p, "(1, 'eu', 'a', timestamp '2024-01-01'), (2, 'eu', 'b', timestamp '2024-01-01')");
    expect(await p.query('select id, status, dbt_is_deleted, dbt_valid_to is null as current from main_snapshots.snap order by id, dbt_valid_from, dbt_is_deleted')).toEqual([
      { id: 1, status: 'a', dbt_is_deleted: 'False', current: true },
      { id: 2, status: 'b', dbt_is_deleted: 'False', current: false },
      { id: 2, status: 'b', dbt_is_deleted: 'False', current: true },
      { id: 2, status: 'b', dbt_is_deleted: 'True', current: false },
    ]);
    expect(await p.query('select count(distinct dbt_scd_id)::int as n from main_snapshots.snap')).toEqual([{ n: 4 }]);
  });

  it("legacy invalidate_hard_deletes: true behaves as hard_deletes='invalidate'; 'ignore' keeps vanished rows current", async () => {
    const history = async (config: string) => {
      const p = makeProject(yamlSnap(`unique_key: id\nstrategy: check\ncheck_cols: all\n${config}`));
      await step(p, "(1, 'eu', 'a', timestamp '2024-01-01'), (2, 'eu', 'b', timestamp '2024-01-01')");
      await step(p, "(1, 'eu', 'a', timestamp '2024-01-01')");
      return p.query('select id, dbt_valid_to is null as current from main_snapshots.snap order by id');
    };
    const closed = [{ id: 1, current: true }, { id: 2, current: false }];
    expect(await history('invalidate_hard_deletes: true')).toEqual(closed);
    expect(await history('hard_deletes: invalidate')).toEqual(closed);
    expect(await history('hard_deletes: ignore')).toEqual([{ id: 1, current: true }, { id: 2, current: true }]);
  });

  it('unique_key as a list: rows are versioned per key combination', async () => {
    const p = makeProject(yamlSnap('unique_key: [id, region]\nstrategy: check\ncheck_cols: [status]'));
    await step(p, "(1, 'eu', 'a', timestamp '2024-01-01'), (1, 'us', 'a', timestamp '2024-01-01')");
    await step(p, "(1, 'eu', 'a', timestamp '2024-01-01'), (1, 'us', 'z', timestamp '2024-01-01'), (2, 'us', 'c', timestamp '2024-01-01')");
    expect(await p.query('select id, region, status, dbt_valid_to is null as current from main_snapshots.snap order by id, region, dbt_valid_from')).toEqual([
      { id: 1, region: 'eu', status: 'a', current: true },
      { id: 1, region: 'us', status: 'a', current: false },
      { id: 1, region: 'us', status: 'z', current: true },
      { id: 2, region: 'us', status: 'c', current: true },
    ]);
  });

  it('renaming meta columns on an existing snapshot table is a clear error; turning on new_record adds the flag column', async () => {
    const p = makeProject(yamlSnap('unique_key: id\nstrategy: check\ncheck_cols: all'));
    await step(p, "(1, 'eu', 'a', timestamp '2024-01-01'), (2, 'eu', 'b', timestamp '2024-01-01')");
    p.write(yamlSnap('unique_key: id\nstrategy: check\ncheck_cols: all\nsnapshot_meta_column_names: {dbt_valid_to: end_at}'));
    const r = await snapshot(p.opts);
    expect(r.results[0]!.status).toBe('error');
    expect(r.results[0]!.message).toContain(
      `Snapshot 'snap': the existing table "dev"."main_snapshots"."snap" has no column end_at. Rename the column(s) to match snapshot_meta_column_names, or drop the table so the next run rebuilds it.`,
    );
    p.write(yamlSnap('unique_key: id\nstrategy: check\ncheck_cols: all\nhard_deletes: new_record'));
    await step(p, "(1, 'eu', 'a', timestamp '2024-01-01')");
    expect(await p.query('select id, dbt_is_deleted, dbt_valid_to is null as current from main_snapshots.snap order by id, dbt_valid_from, dbt_is_deleted nulls first')).toEqual([
      { id: 1, dbt_is_deleted: null, current: true },
      { id: 2, dbt_is_deleted: null, current: false },
      { id: 2, dbt_is_deleted: 'True', current: true },
    ]);
  });

  it('the same configs set in a {% snapshot %} block', async () => {
    const p = makeProject({
      'snapshots/snap.sql': `{% snapshot snap %}
{{ config(schema='snapshots', unique_key='id', strategy='timestamp', updated_at='updated_at', dbt_valid_to_current="timestamp '9999-12-31'", snapshot_meta_column_names={'dbt_valid_to': 'valid_until'}) }}
select * from {{ ref('src') }}
{% endsnapshot %}
`,
    });
    await step(p, "(1, 'eu', 'a', timestamp '2024-01-01')");
    await step(p, "(1, 'eu', 'b', timestamp '2024-02-01')");
    expect(await p.query('select id, status, valid_until from main_snapshots.snap order by dbt_valid_from')).toEqual([
      { id: 1, status: 'a', valid_until: T('2024-02-01') },
      { id: 1, status: 'b', valid_until: FAR },
    ]);
  });
});

describe('dbt 1.9 snapshot configs on Snowflake (the wire double)', () => {
  let double: WorkerSnowflakeDouble;
  beforeAll(async () => {
    double = await startSnowflakeDoubleInWorker();
  });
  afterAll(async () => {
    await double?.close();
  });
  const sfSource = (rows: string) => ({
    'models/src.sql': `{{ config(materialized='table') }}\nselect id, region, status, cast(updated_at as timestamp) as updated_at from (values ${rows}) as t(id, region, status, updated_at)`,
  });
  const rowsOf = async (sql: string) => (await sfQuery(double, sql)).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toLowerCase(), v])));

  it('new_record, renamed meta columns, dbt_valid_to_current and a unique_key list, applied through the MERGE', async () => {
    const p = makeSnowflakeProject(
      {
        ...sfSource("(1, 'eu', 'a', '2024-01-01'), (1, 'us', 'a', '2024-01-01')"),
        ...yamlSnap(`
unique_key: [id, region]
strategy: timestamp
updated_at: updated_at
hard_deletes: new_record
dbt_valid_to_current: "to_timestamp('9999-12-31')"
snapshot_meta_column_names: {dbt_valid_from: start_at, dbt_valid_to: end_at, dbt_is_deleted: is_gone}
`),
      },
      double.port,
      { schema: 'SNAP_CFG' },
    );
    const sfStep = async (rows: string) => {
      p.write(sfSource(rows));
      await run(p.opts);
      const r = await snapshot(p.opts);
      expect(r.results.map((x) => [x.node.name, x.status, x.status === 'success' ? '' : x.message])).toEqual([['snap', 'success', '']]);
      return r.results[0]!.statements;
    };
    await sfStep("(1, 'eu', 'a', '2024-01-01'), (1, 'us', 'a', '2024-01-01')");
    // (1, us) changes, (1, eu) vanishes.
    const second = await sfStep("(1, 'us', 'b', '2024-01-05')");
    expect(second.some((s) => /deletion_records as \(/.test(s))).toBe(true);
    expect(second.some((s) => /^merge into ANALYTICS\.SNAP_CFG_snapshots\.snap as DBT_INTERNAL_DEST[\s\S]*and \(DBT_INTERNAL_DEST\.end_at is null or DBT_INTERNAL_DEST\.end_at = to_timestamp\('9999-12-31'\)\)[\s\S]*then update set end_at = DBT_INTERNAL_SOURCE\.end_at/.test(s))).toBe(true);
    // Unchanged input: nothing new.
    await sfStep("(1, 'us', 'b', '2024-01-05')");
    // (1, eu) comes back.
    await sfStep("(1, 'eu', 'a', '2024-01-01'), (1, 'us', 'b', '2024-01-05')");
    const far = new Date('9999-12-31T00:00:00Z');
    const rows = await rowsOf("select region, status, is_gone, end_at = to_timestamp('9999-12-31') as current from analytics.SNAP_CFG_snapshots.snap order by region, start_at, is_gone, current");
    // (1, eu) came back with its old updated_at, which is its new version's start_at (as dbt does).
    expect(rows).toEqual([
      { region: 'eu', status: 'a', is_gone: 'False', current: false },
      { region: 'eu', status: 'a', is_gone: 'False', current: true },
      { region: 'eu', status: 'a', is_gone: 'True', current: false },
      { region: 'us', status: 'a', is_gone: 'False', current: false },
      { region: 'us', status: 'b', is_gone: 'False', current: true },
    ]);
    expect(await rowsOf("select start_at, end_at from analytics.SNAP_CFG_snapshots.snap where region = 'us' order by start_at")).toEqual([
      { start_at: new Date('2024-01-01T00:00:00Z'), end_at: new Date('2024-01-05T00:00:00Z') },
      { start_at: new Date('2024-01-05T00:00:00Z'), end_at: far },
    ]);
    expect(await rowsOf('select count(distinct dbt_scd_id) as n from analytics.SNAP_CFG_snapshots.snap')).toEqual([{ n: 5 }]);
  });
});
