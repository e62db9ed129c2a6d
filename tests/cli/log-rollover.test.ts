import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

const PROJECT = { 'models/a.sql': 'select 1 as id' };

async function parse(dir: string, args: string[] = [], env: Record<string, string> = {}) {
  const io = captureStreams();
  const code = await runCli(['parse', '--project-dir', dir, ...args], io.streams, env);
  return { code, out: io.stdout.join('') + io.stderr.join('') };
}
const logs = (dir: string) => readdirSync(join(dir, 'logs')).sort();
/** Each log file's invocation: the header line a text log opens with per command. */
const invocations = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^=+ [\d:.]+ \| ([0-9a-f-]+) =+$/gm)].map((m) => m[1]);

describe('logs/dbt.log rolls over as dbt\'s does (--log-file-max-bytes, DBT_LOG_FILE_MAX_BYTES)', () => {
  it('moves dbt.log to dbt.log.1 (and .1 to .2, ...) before a write would pass the limit, keeping five', async () => {
    const dir = makeProject(PROJECT);
    for (let i = 0; i < 7; i++) expect((await parse(dir, ['--log-file-max-bytes', '100'])).code).toBe(0);
    expect(logs(dir)).toEqual(['dbt.log', 'dbt.log.1', 'dbt.log.2', 'dbt.log.3', 'dbt.log.4', 'dbt.log.5']);
    // Each file holds one command's log: the newest in dbt.log, the one before in dbt.log.1.
    const files = ['dbt.log', 'dbt.log.1', 'dbt.log.2'].map((f) => invocations(join(dir, 'logs', f)));
    for (const ids of files) expect(ids).toHaveLength(1);
    expect(new Set(files.flat()).size).toBe(3);
  });

  it('appends while under the limit (10 MiB by default), and never rolls over with 0; the variable sets it too', async () => {
    const dir = makeProject(PROJECT);
    await parse(dir);
    await parse(dir);
    expect(logs(dir)).toEqual(['dbt.log']);
    expect(invocations(join(dir, 'logs/dbt.log'))).toHaveLength(2);
    writeFileSync(join(dir, 'logs/dbt.log'), 'x'.repeat(10 * 1024 * 1024 - 10));
    await parse(dir);
    expect(logs(dir)).toEqual(['dbt.log', 'dbt.log.1']);
    expect(statSync(join(dir, 'logs/dbt.log.1')).size).toBe(10 * 1024 * 1024 - 10);
    await parse(dir, ['--log-file-max-bytes', '0']);
    await parse(dir, [], { DBT_LOG_FILE_MAX_BYTES: '0' });
    expect(logs(dir)).toEqual(['dbt.log', 'dbt.log.1']);
    expect(invocations(join(dir, 'logs/dbt.log'))).toHaveLength(3);
    await parse(dir, [], { DBT_LOG_FILE_MAX_BYTES: '10' });
    expect(logs(dir)).toEqual(['dbt.log', 'dbt.log.1', 'dbt.log.2']);
  });

  it('refuses a size that is not a whole number, as dbt does', async () => {
    const dir = makeProject(PROJECT);
    const r = await parse(dir, ['--log-file-max-bytes', '10MB']);
    expect(r.code).toBe(2);
    expect(r.out).toContain("Invalid value for '--log-file-max-bytes': '10MB' is not a valid integer.");
    expect(existsSync(join(dir, 'logs/dbt.log.1'))).toBe(false);
  });
});
