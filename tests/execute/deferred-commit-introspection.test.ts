import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseSession } from '../../src/adapters/base/database-session.js';
import { SyncBridge } from '../../src/adapters/base/sync-bridge.js';
import { duckdbAdapterInfo } from '../../src/adapters/duckdb/duckdb-info.js';
import { duckdbOpener } from '../../src/adapters/duckdb/duckdb-open.js';

// With several threads, a node nothing downstream reads leaves its COMMIT to ride with its thread's next
// statement (DatabaseSession.commitLater). Until then its transaction is open, and DuckDB shows a transaction
// the database as it was when it began: a catalog query sent inside it could not see a relation another
// thread has built and committed since. That is what a unit test's input types, adapter.get_columns_in_relation
// (dbt_utils.star) and the relation cache read; they must see the other thread's table.
describe('catalog queries after a deferred COMMIT', () => {
  const bridges: SyncBridge[] = [];
  afterAll(async () => {
    // An attached session first: the bridge it came from owns the worker.
    for (const b of bridges.reverse()) await b.close();
  });

  it('see what another connection committed since this one began its transaction', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-deferred-'));
    const first = await SyncBridge.open(duckdbOpener({ credentials: { type: 'duckdb', path: 'dev.duckdb' }, projectDir: dir }));
    bridges.push(first);
    const second = SyncBridge.attach(await first.openSession());
    bridges.push(second);
    const info = duckdbAdapterInfo({ type: 'duckdb', path: 'dev.duckdb' });
    const mine = new DatabaseSession(info, first);
    const other = new DatabaseSession(info, second);

    // This thread's node: built in a transaction whose COMMIT is deferred (the transaction stays open).
    mine.begin();
    mine.execute('create table unread_node as select 1 as id');
    mine.commitLater();
    // Meanwhile another thread builds a table and commits it.
    other.begin();
    other.execute("create table built_elsewhere as select 1 as id, 'x' as label");
    other.commit();

    const elsewhere = info.makeRelation({ database: 'dev', schema: 'main', identifier: 'built_elsewhere', type: 'table' });
    expect(mine.columnsOf(elsewhere).map((c) => [c.name, c.data_type])).toEqual([
      ['id', 'INTEGER'],
      ['label', 'VARCHAR'],
    ]);
    // The deferred COMMIT went with it: this node's table is there for the other connection too.
    expect(other.execute('select count(*)::int as n from unread_node').table.rawRows).toEqual([[1]]);

    // The same for listing a schema and for a schema's existence.
    mine.begin();
    mine.execute('create table second_unread as select 2 as id');
    mine.commitLater();
    other.execute('create schema made_elsewhere');
    other.execute('create table main.listed_elsewhere as select 1 as id');
    expect(mine.schemaExists('dev', 'made_elsewhere')).toBe(true);
    mine.begin();
    mine.execute('create table third_unread as select 3 as id');
    mine.commitLater();
    other.execute('create table main.listed_later as select 1 as id');
    expect(mine.listRelationsWithoutCaching('dev', 'main').map((r) => r.identifier).sort()).toEqual([
      'built_elsewhere',
      'listed_elsewhere',
      'listed_later',
      'second_unread',
      'third_unread',
      'unread_node',
    ]);
    mine.commit();
  });
});
