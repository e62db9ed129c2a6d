import type { ConnectionOpener } from '../adapters/base/sync-bridge-protocol.js';
import { duckdbOpener } from '../adapters/duckdb/duckdb-open.js';
import { snowflakeOpener } from '../adapters/snowflake/snowflake-open.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { LoadedProject } from './load-project.js';

type OpenerFactory = (loaded: LoadedProject) => ConnectionOpener;

/**
 * How each adapter type's connection is opened inside the SyncBridge worker.
 * (A candidate for the adapter registry's AdapterPlugin; kept here until the
 * registry grows a field for it.)
 */
const openers = new Map<string, OpenerFactory>([
  ['duckdb', (loaded) => duckdbOpener({ credentials: loaded.profile.credentials, projectDir: loaded.projectDir })],
  ['snowflake', (loaded) => snowflakeOpener({ credentials: loaded.profile.credentials, profileFile: loaded.profile.file, target: loaded.profile.targetName })],
]);

export function registerConnectionOpener(type: string, factory: OpenerFactory): void {
  openers.set(type, factory);
}

export function connectionOpenerFor(loaded: LoadedProject): ConnectionOpener {
  const factory = openers.get(loaded.profile.type);
  if (!factory) {
    throw new TsdbtError('USAGE', `Running models on a '${loaded.profile.type}' target is not supported yet`, {
      hint: `Supported: ${[...openers.keys()].join(', ')}.`,
    });
  }
  return factory(loaded);
}
