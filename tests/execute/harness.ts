import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBConnection, openDuckDBInstance } from '../../src/adapters/duckdb/duckdb-connection.js';
import type { GlobalOptions } from '../../src/api/load-project.js';

/**
 * A throwaway dbt project on disk from a map of file contents, with a DuckDB
 * profile (`dev.duckdb` in the project dir) unless the map overrides it.
 */
export interface TestProject {
  dir: string;
  opts: GlobalOptions;
  write(files: Record<string, string>): void;
  /** Run SQL against the project's database (opened and closed per call, so it never holds the file). */
  query(sql: string): Promise<Record<string, unknown>[]>;
}

export function makeProject(files: Record<string, string>, name = 'proj'): TestProject {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-exec-'));
  const write = (fs: Record<string, string>) => {
    for (const [path, text] of Object.entries(fs)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  };
  write({
    'dbt_project.yml': `name: ${name}\nprofile: ${name}\nconfig-version: 2\n`,
    'profiles.yml': `${name}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n      threads: 1\n`,
  });
  write(files);
  return {
    dir,
    opts: { projectDir: dir, profilesDir: dir, env: {} },
    write,
    async query(sql: string) {
      const instance = await openDuckDBInstance(join(dir, 'dev.duckdb'));
      const conn = await DuckDBConnection.open(instance);
      try {
        const r = await conn.execute(sql);
        return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
      } finally {
        await conn.close();
        instance.closeSync();
      }
    },
  };
}

/** name → status of each node result (hooks left out). */
export function statuses(results: { node: { resource_type: string; name: string }; status: string }[]): Record<string, string> {
  return Object.fromEntries(results.filter((r) => r.node.resource_type !== 'operation').map((r) => [r.node.name, r.status]));
}
