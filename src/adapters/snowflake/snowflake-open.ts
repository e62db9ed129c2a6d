/**
 * How a SyncBridge worker opens a Snowflake target.
 *
 * `snowflakeOpener(args)` is the data the main thread hands the bridge (a
 * module path, an export name and the profile's fields); inside the worker
 * `openSnowflake(args)` logs in with `openSnowflakeConnection`, which loads
 * snowflake-sdk lazily there, never on the rendering thread.
 *
 * A SyncBridge carries only an error's message and code back to the
 * rendering thread, so the connection handed to it folds each error's hint
 * (and, where the fix is in the profile, the profiles.yml path) into the
 * message: "Snowflake error 000606 ...\n  Set `warehouse:` ... (target 'prod' of profiles.yml)".
 */
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { Connection, QueryResult } from '../base/connection.js';
import type { ConnectionOpener } from '../base/sync-bridge-protocol.js';
import { siblingModule } from '../base/sync-bridge-bootstrap.js';
import { openSnowflakeConnection } from './snowflake-connection.js';
import type { SnowflakeProfile } from './snowflake-profile.js';

/** What opening a Snowflake target needs; it crosses to the worker by structured clone. */
export interface SnowflakeOpenArgs {
  /** The profile output's fields, env_vars rendered (secrets stay in the worker; errors are redacted). */
  credentials: Record<string, unknown>;
  /** profiles.yml, named in errors whose fix is in the profile. */
  profileFile?: string;
  /** The target's name in profiles.yml (e.g. `prod`), named with it. */
  target?: string;
  /** Pause between login attempts in ms (default 1000). */
  retryDelayMs?: number;
}

/** The ConnectionOpener that makes a SyncBridge worker log in to this Snowflake target. */
export function snowflakeOpener(args: SnowflakeOpenArgs): ConnectionOpener {
  return { module: siblingModule(import.meta.url, 'snowflake-open'), export: 'openSnowflake', args };
}

/** Snowflake error codes fixed by editing the profile: credentials, key, warehouse. */
const PROFILE_CODES = new Set(['390100', '390144', '390101', '390102', '000606', '000608']);

/** A TsdbtError as one message: hint and (for profile problems) the profiles.yml path folded in. */
export function foldForBridge(e: unknown, profileFile: string | undefined, target?: string): unknown {
  if (!(e instanceof TsdbtError)) return e;
  const code = typeof e.detail?.code === 'string' ? e.detail.code : undefined;
  const inProfile = e.code === 'PROFILE_INVALID' || (code !== undefined && PROFILE_CODES.has(code)) || /^Could not connect to Snowflake/.test(e.message);
  const where = inProfile && profileFile ? ` (${target ? `target '${target}' of ` : ''}${profileFile})` : '';
  const hint = e.hint ? `\n  ${e.hint}${where}` : where ? `\n ${where}` : '';
  const folded = new TsdbtError(e.code, `${e.message}${hint}`, { detail: e.detail, cause: e });
  return folded;
}

/** Worker side: log in (with the profile's connect_retries and connect_timeout). */
export async function openSnowflake(args: SnowflakeOpenArgs): Promise<Connection> {
  const profile = args.credentials as unknown as SnowflakeProfile;
  let conn: Connection;
  try {
    conn = await openSnowflakeConnection(profile, { profileFile: args.profileFile, retryDelayMs: args.retryDelayMs });
  } catch (e) {
    throw foldForBridge(e, args.profileFile, args.target);
  }
  const fold = <T>(p: Promise<T>): Promise<T> => p.catch((e: unknown) => Promise.reject(foldForBridge(e, args.profileFile, args.target)));
  return {
    execute: (sql: string, binds?: unknown[]): Promise<QueryResult> => fold(conn.execute(sql, binds)),
    stream: (sql: string, binds?: unknown[]) => conn.stream(sql, binds),
    begin: () => fold(conn.begin()),
    commit: () => fold(conn.commit()),
    rollback: () => fold(conn.rollback()),
    cancel: () => conn.cancel(),
    close: () => conn.close(),
  };
}
