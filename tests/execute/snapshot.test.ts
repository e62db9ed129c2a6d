import { describe, expect, it } from 'vitest';
import { snapshot } from '../../src/api/run.js';
import { makeProject } from './harness.js';

const source = (rows: string) => ({ 'models/src.sql': `{{ config(materialized='table') }}select * from (values ${rows}) as t(id, status, updated_at)` });
const snap = (cfg: string) => ({ 'snapshots/snap.sql': `{% snapshot snap %}\n{{ config(schema='snapshots', unique_key='id', ${cfg}) }}\nselect * from {{ ref('src') }}\n{% endsnapshot %}\n` });

async function history(p: ReturnType<typeof makeProject>) {
  return p.query('select id, status, dbt_valid_from is not null as has_from, dbt_valid_to is null as current from main_snapshots.snap order by id, dbt_valid_from');
}

describe('snapshot', () => {
  it('timestamp strategy: a changed row closes the old version and adds a new one; hard deletes are ignored by default', async () => {
    const { run } = await import('../../src/api/run.js');
    const p = makeProject({ ...source("(1, 'new', timestamp '2024-01-01'), (2, 'new', timestamp '2024-01-01')"), ...snap("strategy='timestamp', updated_at='updated_at'") });
    await run(p.opts);
    const first = await snapshot(p.opts);
    expect(first.results[0]!.status).toBe('success');
    p.write(source("(1, 'shipped', timestamp '2024-01-05')"));
    await run(p.opts);
    await snapshot(p.opts);
    expect(await p.query('select id, status, dbt_valid_from, dbt_valid_to, dbt_updated_at from main_snapshots.snap order by id, dbt_valid_from')).toEqual([
      { id: 1, status: 'new', dbt_valid_from: new Date('2024-01-01T00:00:00Z'), dbt_valid_to: new Date('2024-01-05T00:00:00Z'), dbt_updated_at: new Date('2024-01-01T00:00:00Z') },
      { id: 1, status: 'shipped', dbt_valid_from: new Date('2024-01-05T00:00:00Z'), dbt_valid_to: null, dbt_updated_at: new Date('2024-01-05T00:00:00Z') },
      { id: 2, status: 'new', dbt_valid_from: new Date('2024-01-01T00:00:00Z'), dbt_valid_to: null, dbt_updated_at: new Date('2024-01-01T00:00:00Z') },
    ]);
    const ids = await p.query('select count(distinct dbt_scd_id)::int as n from main_snapshots.snap');
    expect(ids).toEqual([{ n: 3 }]);
    // Running again with no change adds nothing.
    await snapshot(p.opts);
    expect(await p.query('select count(*)::int as n from main_snapshots.snap')).toEqual([{ n: 3 }]);
  });

  it('check strategy with check_cols, and hard_deletes=invalidate closes vanished rows', async () => {
    const { run } = await import('../../src/api/run.js');
    const p = makeProject({
      ...source("(1, 'a', timestamp '2024-01-01'), (2, 'b', timestamp '2024-01-01')"),
      ...snap("strategy='check', check_cols=['status'], hard_deletes='invalidate'"),
    });
    await run(p.opts);
    await snapshot(p.opts);
    // id 1: only updated_at changes (not a checked column); id 2 disappears.
    p.write(source("(1, 'a', timestamp '2024-02-01'), (3, 'c', timestamp '2024-02-01')"));
    await run(p.opts);
    await snapshot(p.opts);
    expect(await history(p)).toEqual([
      { id: 1, status: 'a', has_from: true, current: true },
      { id: 2, status: 'b', has_from: true, current: false },
      { id: 3, status: 'c', has_from: true, current: true },
    ]);
    p.write(source("(1, 'z', timestamp '2024-02-01'), (3, 'c', timestamp '2024-02-01')"));
    await run(p.opts);
    await snapshot(p.opts);
    expect(await history(p)).toEqual([
      { id: 1, status: 'a', has_from: true, current: false },
      { id: 1, status: 'z', has_from: true, current: true },
      { id: 2, status: 'b', has_from: true, current: false },
      { id: 3, status: 'c', has_from: true, current: true },
    ]);
  });

  it("hard_deletes='new_record' adds a deleted marker and a new version when the key returns", async () => {
    const { run } = await import('../../src/api/run.js');
    const p = makeProject({ ...source("(1, 'a', timestamp '2024-01-01'), (2, 'b', timestamp '2024-01-01')"), ...snap("strategy='timestamp', updated_at='updated_at', hard_deletes='new_record'") });
    const steps = ["(1, 'a', timestamp '2024-01-01')", "(1, 'a', timestamp '2024-01-01'), (2, 'b2', timestamp '2024-03-01')"];
    await run(p.opts);
    await snapshot(p.opts);
    for (const rows of steps) {
      p.write(source(rows));
      await run(p.opts);
      const r = await snapshot(p.opts);
      expect(r.results[0]!.status).toBe('success');
    }
    expect(await p.query('select id, status, dbt_is_deleted, dbt_valid_to is null as current from main_snapshots.snap order by id, status, dbt_is_deleted')).toEqual([
      { id: 1, status: 'a', dbt_is_deleted: 'False', current: true },
      { id: 2, status: 'b', dbt_is_deleted: 'False', current: false },
      { id: 2, status: 'b', dbt_is_deleted: 'True', current: false },
      { id: 2, status: 'b2', dbt_is_deleted: 'False', current: true },
    ]);
  });

  it('an unknown strategy is a clear error', async () => {
    const p = makeProject({ ...source("(1, 'a', timestamp '2024-01-01')"), ...snap("strategy='sometimes'") });
    const { run } = await import('../../src/api/run.js');
    await run(p.opts);
    const r = await snapshot(p.opts);
    expect(r.results[0]!.status).toBe('error');
    expect(r.results[0]!.message).toContain("Snapshot 'snap' has strategy 'sometimes': use 'timestamp' (with updated_at) or 'check' (with check_cols).");
  });
});
