import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The driver package behind each adapter, whose version `Registered adapter:` reports. */
const DRIVER: Record<string, string> = { duckdb: '@duckdb/node-api', snowflake: 'snowflake-sdk' };

/** The installed driver's version, read from its package.json without loading the driver; null when it is not installed. */
export function adapterVersion(type: string): string | null {
  const pkg = DRIVER[type];
  if (!pkg) return null;
  const require = createRequire(import.meta.url);
  for (const base of require.resolve.paths(pkg) ?? []) {
    try {
      return (JSON.parse(readFileSync(join(base, pkg, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      // not in this node_modules
    }
  }
  return null;
}
