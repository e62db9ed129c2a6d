import { isAbsolute, resolve } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { ConnectionOpener } from '../base/sync-bridge-protocol.js';
import { siblingModule } from '../base/sync-bridge-bootstrap.js';
import type { DuckDBConnection } from './duckdb-connection.js';

/** What opening a DuckDB target needs: the profile output's fields and the project dir (relative paths resolve against it). */
export interface DuckDBOpenArgs {
  credentials: Record<string, unknown>;
  projectDir: string;
}

/** The database file a profile points at (`:memory:` stays as is; relative paths are the project dir's). */
export function duckdbPath(credentials: Record<string, unknown>, projectDir: string): string {
  const path = typeof credentials.path === 'string' && credentials.path !== '' ? credentials.path : ':memory:';
  if (path.startsWith(':memory:') || path.startsWith('md:')) return path;
  return isAbsolute(path) ? path : resolve(projectDir, path);
}

/** The ConnectionOpener that makes a SyncBridge worker open this DuckDB target. */
export function duckdbOpener(args: DuckDBOpenArgs): ConnectionOpener {
  return { module: siblingModule(import.meta.url, 'duckdb-open'), export: 'openDuckDB', args };
}

const quoteLiteral = (s: string) => `'${s.split("'").join("''")}'`;

/**
 * Open a DuckDB target as dbt-duckdb does: `settings` applied, installed
 * `extensions` loaded (never installed from the network), `attach` run.
 * One instance per file per process is ensured by SyncBridge.open, which
 * shares one worker between openers with the same arguments.
 */
export async function openDuckDB(args: DuckDBOpenArgs): Promise<DuckDBConnection> {
  const { credentials } = args;
  const path = duckdbPath(credentials, args.projectDir);
  // Never fetch extensions from the network behind the user's back; `extensions` only LOADs installed ones.
  const settings: Record<string, string> = { autoinstall_known_extensions: 'false' };
  for (const [k, v] of Object.entries((credentials.settings ?? {}) as Record<string, unknown>)) settings[k] = String(v);
  // The driver loads only here, in the thread that opens the database: the CLI's main
  // thread and the render workers import this module for duckdbOpener and never need it (~250 ms).
  const [{ duckdbDriver }, { DuckDBConnection }] = await Promise.all([import('./duckdb-driver.js'), import('./duckdb-connection.js')]);
  const { DuckDBInstance } = duckdbDriver;
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, settings);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new TsdbtError('DATABASE_OPEN', `Could not open the DuckDB database at ${path}: ${reason}`, {
      file: path,
      hint: 'Check that the path is writable and that no other process holds the file open (DuckDB allows one writer).',
    });
  }
  const conn = await DuckDBConnection.open(instance);
  // Other threads of the run get their own connection on this instance (extensions and attachments are the instance's).
  conn.sibling = () => DuckDBConnection.open(instance);
  // Closing the connection releases the file too, so the next open in this process sees every write.
  const closeConnection = conn.close.bind(conn);
  conn.close = async () => {
    await closeConnection();
    instance.closeSync();
  };
  const extensions = (credentials.extensions ?? []) as unknown[];
  for (const ext of extensions) {
    const name = typeof ext === 'string' ? ext : String((ext as { name?: unknown }).name ?? '');
    try {
      await conn.execute(`LOAD ${name}`);
    } catch (e) {
      throw new TsdbtError('DATABASE_OPEN', `Could not load the DuckDB extension '${name}': ${(e as Error).message}`, {
        hint: `tsdbt loads extensions that are already installed and never downloads them: run INSTALL ${name} once in DuckDB, or remove it from 'extensions'.`,
      });
    }
  }
  for (const a of (credentials.attach ?? []) as Record<string, unknown>[]) {
    const target = String(a.path ?? '');
    const resolved = target.startsWith(':memory:') || target.includes('://') || isAbsolute(target) ? target : resolve(args.projectDir, target);
    const opts: string[] = [];
    if (a.type) opts.push(`TYPE ${String(a.type)}`);
    if (a.read_only) opts.push('READ_ONLY');
    const alias = a.alias ? ` AS "${String(a.alias)}"` : '';
    try {
      await conn.execute(`ATTACH IF NOT EXISTS ${quoteLiteral(resolved)}${alias}${opts.length ? ` (${opts.join(', ')})` : ''}`);
    } catch (e) {
      throw new TsdbtError('DATABASE_OPEN', `Could not attach ${resolved}: ${(e as Error).message}`, { hint: "Check the 'attach' entry of the profile." });
    }
  }
  return conn;
}
