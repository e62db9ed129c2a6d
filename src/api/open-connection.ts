import type { Connection } from '../adapters/base/connection.js';
import { openDuckDB } from '../adapters/duckdb/duckdb-open.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { LoadedProject } from './load-project.js';

/** An async connection to the target, for work outside rendering (extract loading, debug). Close it when done. */
export async function openTargetConnection(loaded: LoadedProject): Promise<{ connection: Connection; close(): Promise<void> }> {
  if (loaded.profile.type === 'duckdb') {
    // The same opening as the run's (settings, extensions, attach); closing it releases the file.
    const connection = await openDuckDB({ credentials: loaded.profile.credentials, projectDir: loaded.projectDir });
    return { connection, close: () => connection.close() };
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
