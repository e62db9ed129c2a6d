import { isAbsolute, join } from 'node:path';
import { DuckDBConnection, openDuckDBInstance } from '../adapters/duckdb/duckdb-connection.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { LoadedProject } from './load-project.js';

/** `tsdbt debug`'s connection test: open a connection, run `select 1`, close. Returns a problem or null. */
export async function checkConnection(loaded: LoadedProject): Promise<string | null> {
  const creds = loaded.profile.credentials;
  try {
    if (loaded.profile.type === 'duckdb') {
      const raw = typeof creds.path === 'string' ? creds.path : ':memory:';
      const path = raw.startsWith(':memory:') || isAbsolute(raw) ? raw : join(loaded.projectDir, raw);
      const instance = await openDuckDBInstance(path);
      const conn = await DuckDBConnection.open(instance);
      await conn.execute('select 1');
      await conn.close();
      instance.closeSync();
      return null;
    }
    return `no connection test for adapter type '${loaded.profile.type}' yet`;
  } catch (e) {
    return loaded.secrets.redact(e instanceof TsdbtError ? e.format() : String(e));
  }
}
