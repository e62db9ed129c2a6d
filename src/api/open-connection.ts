import { isAbsolute, join } from 'node:path';
import type { Connection } from '../adapters/base/connection.js';
import { DuckDBConnection, openDuckDBInstance } from '../adapters/duckdb/duckdb-connection.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { LoadedProject } from './load-project.js';

/** A DuckDB profile's `path`, resolved against the project dir (`:memory:` stays as is). */
export function duckdbPath(loaded: Pick<LoadedProject, 'projectDir' | 'profile'>): string {
  const raw = typeof loaded.profile.credentials.path === 'string' ? loaded.profile.credentials.path : ':memory:';
  return raw.startsWith(':memory:') || isAbsolute(raw) ? raw : join(loaded.projectDir, raw);
}

/** An async connection to the target, for work outside rendering (extract loading, debug). Close it when done. */
export async function openTargetConnection(loaded: LoadedProject): Promise<{ connection: Connection; close(): Promise<void> }> {
  if (loaded.profile.type === 'duckdb') {
    const instance = await openDuckDBInstance(duckdbPath(loaded));
    const connection = await DuckDBConnection.open(instance);
    return {
      connection,
      close: async () => {
        await connection.close();
        instance.closeSync();
      },
    };
  }
  if (loaded.profile.type === 'snowflake') {
    // The driver loads here, lazily: only extract and debug against Snowflake pay for it.
    const { openSnowflakeConnection } = await import('../adapters/snowflake/snowflake-connection.js');
    const connection = await openSnowflakeConnection(loaded.profile.credentials as never, { profileFile: loaded.profile.file });
    return { connection, close: () => connection.close() };
  }
  throw new TsdbtError('USAGE', `Opening a '${loaded.profile.type}' connection here is not supported yet`, {
    hint: 'Use a DuckDB target (e.g. --target dev).',
  });
}
