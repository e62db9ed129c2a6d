import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/api/run.js';
import { runOperation } from '../../src/api/run-operation.js';
import { makeProject } from './harness.js';

const profile = (extra: string) => `proj:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n${extra}`;

describe('DuckDB profile', () => {
  it('applies settings, loads installed extensions, attaches databases and honours the schema', async () => {
    const other = makeProject({ 'models/shared.sql': "{{ config(materialized='table') }}select 42 as answer" });
    await run(other.opts);
    const p = makeProject({
      'profiles.yml': profile(`      schema: analytics\n      settings:\n        threads: 1\n      extensions: [parquet]\n      attach:\n        - path: ${join(other.dir, 'dev.duckdb')}\n          alias: other\n          read_only: true\n`),
      'models/m.sql': "{{ config(materialized='table') }}select answer, current_setting('threads') as threads from other.main.shared",
    });
    const r = await run(p.opts);
    expect(r.results.map((x) => [x.node.name, x.status])).toEqual([['m', 'success']]);
    expect(r.results[0]!.node.relation_name).toBe('"dev"."analytics"."m"');
    expect(await p.query('select answer, threads::int as threads from analytics.m')).toEqual([{ answer: 42, threads: 1 }]);
  });

  it('an extension that is not installed is a clear error that never downloads', async () => {
    const p = makeProject({ 'profiles.yml': profile('      extensions: [no_such_extension_xyz]\n'), 'models/m.sql': 'select 1' });
    await expect(run(p.opts)).rejects.toThrowError(/Could not load the DuckDB extension 'no_such_extension_xyz'/);
  });

  it('a database file locked by another process is an error naming the path', async () => {
    const p = makeProject({ 'models/m.sql': 'select 1 as x', 'macros/m.sql': '{% macro noop() %}{% endmacro %}' });
    const file = join(p.dir, 'dev.duckdb');
    const holder = spawn(process.execPath, ['-e', `require('@duckdb/node-api').DuckDBInstance.create(${JSON.stringify(file)}).then((db) => { globalThis.db = db; console.log('ready'); setInterval(() => {}, 1000); })`], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        holder.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
      });
      const err = await runOperation('noop', p.opts).then(() => null, (e: unknown) => e as { code: string; message: string });
      expect(err?.code).toBe('DATABASE_OPEN');
      expect(err?.message).toContain(`Could not open the DuckDB database at ${file}`);
      expect(err?.message).toMatch(/lock/i);
    } finally {
      holder.kill();
    }
  });
});
