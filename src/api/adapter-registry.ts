import type { AnySchema } from 'ajv';
import type { AdapterInfo } from '../adapters/base/adapter-info.js';
import { DUCKDB_TARGET_KEYS, duckdbAdapterInfo, duckdbProfileSchema } from '../adapters/duckdb/duckdb-info.js';
import { snowflakeAdapterInfo } from '../adapters/snowflake/snowflake-info.js';
import { SNOWFLAKE_TARGET_KEYS, snowflakeProfileSchema } from '../adapters/snowflake/snowflake-profile.js';

/** What tsdbt needs from an adapter before it connects. Drivers load only when a connection opens. */
export interface AdapterPlugin {
  type: string;
  profileSchema: AnySchema;
  info(credentials: Record<string, unknown>, quoting: Record<string, unknown>): AdapterInfo;
  /**
   * The profile fields templates see in `target` (dbt's `_connection_keys`
   * of the adapter's credentials): never a password, key, token or secret.
   */
  targetKeys: readonly string[];
}

const plugins = new Map<string, AdapterPlugin>();

export function registerAdapter(plugin: AdapterPlugin): void {
  plugins.set(plugin.type, plugin);
}

export function adapterPlugin(type: string): AdapterPlugin | undefined {
  return plugins.get(type);
}

export function profileSchemas(): Record<string, AnySchema> {
  return Object.fromEntries([...plugins.values()].map((p) => [p.type, p.profileSchema]));
}

registerAdapter({ type: 'duckdb', profileSchema: duckdbProfileSchema as AnySchema, info: duckdbAdapterInfo, targetKeys: DUCKDB_TARGET_KEYS });
registerAdapter({ type: 'snowflake', profileSchema: snowflakeProfileSchema as AnySchema, info: snowflakeAdapterInfo, targetKeys: SNOWFLAKE_TARGET_KEYS });
