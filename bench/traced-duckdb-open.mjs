// A DuckDB ConnectionOpener for the run benches that records every request
// tsdbt's connection worker sends to the database (statements, begin, commit,
// rollback; introspection included), per connection, in the order they were
// sent, and writes them as JSON to `args.trace` when the first connection
// closes. The benches replay that trace as the floor (see rebuild-project.mjs's
// replayTrace). Runs inside the SyncBridge worker; register it in the bench's
// process with tracedDuckDB(tracePath).
import { writeFileSync } from 'node:fs';

const here = import.meta.url;

/**
 * A ConnectionOpener factory for registerConnectionOpener('duckdb', …) that traces into `trace`; `duckdbOpen` is
 * the URL of the duckdb-open module to wrap (the built one by default; tests pass the source's).
 */
export function tracedDuckDB(trace, duckdbOpen = new URL('../dist/adapters/duckdb/duckdb-open.js', here).href) {
  return (loaded) => ({ module: here, export: 'openTracedDuckDB', args: { credentials: loaded.profile.credentials, projectDir: loaded.projectDir, trace, duckdbOpen } });
}

export async function openTracedDuckDB(args) {
  const { openDuckDB } = await import(args.duckdbOpen);
  const first = await openDuckDB(args);
  const records = [];
  let connections = 0;
  const wrap = (conn) => {
    const c = connections++;
    const note = (op, sql, binds) => records.push({ c, op, ...(sql === undefined ? {} : { sql }), ...(binds === undefined ? {} : { binds }) });
    const execute = conn.execute.bind(conn);
    const begin = conn.begin.bind(conn);
    const commit = conn.commit.bind(conn);
    const rollback = conn.rollback.bind(conn);
    const close = conn.close.bind(conn);
    conn.execute = (sql, binds) => (note('execute', sql, binds), execute(sql, binds));
    conn.begin = () => (note('begin'), begin());
    conn.commit = () => (note('commit'), commit());
    conn.rollback = () => (note('rollback'), rollback());
    conn.close = async () => {
      await close();
      if (c === 0) writeFileSync(args.trace, JSON.stringify(records));
    };
    if (conn.sibling) {
      const sibling = conn.sibling;
      conn.sibling = async () => wrap(await sibling());
    }
    return conn;
  };
  return wrap(first);
}
