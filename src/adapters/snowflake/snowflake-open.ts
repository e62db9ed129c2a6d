/**
 * How a SyncBridge worker opens a Snowflake target.
 *
 * `snowflakeOpener(args)` is the data the main thread hands the bridge (a
 * module path, an export name and the profile's fields); inside the worker
 * `openSnowflake(args)` validates nothing new (the profile was validated at
 * load) and logs in with `openSnowflakeConnection`, which lazily loads
 * snowflake-sdk there, never on the rendering thread.
 */
import type { ConnectionOpener } from '../base/sync-bridge-protocol.js';
import { siblingModule } from '../base/sync-bridge-bootstrap.js';
import { openSnowflakeConnection, type SnowflakeConnection } from './snowflake-connection.js';
import type { SnowflakeProfile } from './snowflake-profile.js';

/** What opening a Snowflake target needs; it crosses to the worker by structured clone. */
export interface SnowflakeOpenArgs {
  /** The profile output's fields, env_vars rendered (secrets included: they never leave the worker in a message). */
  credentials: Record<string, unknown>;
  /** profiles.yml, named in profile errors. */
  profileFile?: string;
  /** Pause between login attempts in ms (tests shorten it). */
  retryDelayMs?: number;
}

/** The ConnectionOpener that makes a SyncBridge worker log in to this Snowflake target. */
export function snowflakeOpener(args: SnowflakeOpenArgs): ConnectionOpener {
  return { module: siblingModule(import.meta.url, 'snowflake-open'), export: 'openSnowflake', args };
}

/** Worker side: log in (with the profile's connect_retries and connect_timeout). */
export async function openSnowflake(args: SnowflakeOpenArgs): Promise<SnowflakeConnection> {
  const profile = args.credentials as unknown as SnowflakeProfile;
  return openSnowflakeConnection(profile, { profileFile: args.profileFile, retryDelayMs: args.retryDelayMs });
}
