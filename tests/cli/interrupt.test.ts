import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { workerBoot } from '../../src/adapters/base/sync-bridge-bootstrap.js';
import { makeProject } from '../execute/harness.js';

/**
 * Runs the CLI from the TypeScript sources in a child process (the module
 * hooks the connection worker uses map `.js` imports to `.ts`), so a real
 * SIGINT reaches it.
 */
const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  // A failed assertion must not leave a CLI running its long query.
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function spawnCli(args: string[]) {
  const mainUrl = new URL('../../src/cli/main.ts', import.meta.url).href;
  const hooks = workerBoot(mainUrl).hooks!;
  const script = `
    import { register } from 'node:module';
    const { hooks, mainUrl, argv } = JSON.parse(process.env.TSDBT_TEST_BOOT);
    register(hooks.url, { data: hooks.data });
    const { runCli } = await import(mainUrl);
    process.exitCode = await runCli(argv, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), isTTY: false });`;
  // A file, not `-e --input-type=module`: workers inherit the flags, and the connection worker's bootstrap is CommonJS.
  const file = join(mkdtempSync(join(tmpdir(), 'tsdbt-cli-')), 'cli.mjs');
  writeFileSync(file, script);
  const child = spawn(process.execPath, [file], {
    env: { ...process.env, NO_COLOR: '1', TSDBT_TEST_BOOT: JSON.stringify({ hooks, mainUrl, argv: args }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (re: RegExp, ms = 60_000) => {
    const until = Date.now() + ms;
    while (!re.test(stdout)) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${re}; stdout:\n${stdout}\nstderr:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, exited, waitFor, out: () => ({ stdout, stderr }) };
}

// Runs for minutes unless cancelled.
const LONG = "-- depends_on: {{ ref('quick') }}\n{{ config(materialized='table') }}select count(*) as v from range(100000000) a, range(1000000) b";

describe('Ctrl-C during a run', () => {
  for (const threads of [1, 2]) {
    it(`threads ${threads}: cancels the running query, keeps the previous table, skips the rest, writes run_results and exits 130`, async () => {
      const p = makeProject({
        'models/quick.sql': "{{ config(materialized='table') }}select 1 as v",
        'models/long_one.sql': "{{ config(materialized='table') }}select 42 as v",
        'models/after_long.sql': "select v from {{ ref('long_one') }}",
      });
      const first = spawnCli(['run', '--project-dir', p.dir, '--profiles-dir', p.dir]);
      const firstCode = await first.exited;
      expect(firstCode, JSON.stringify(first.out())).toBe(0);
      writeFileSync(join(p.dir, 'models/long_one.sql'), LONG);
      const started = performance.now();
      const cli = spawnCli(['run', '--project-dir', p.dir, '--profiles-dir', p.dir, '--threads', String(threads)]);
      // long_one depends on quick: quick's line means long_one is about to start.
      await cli.waitFor(/OK created sql table model main\.quick/);
      await new Promise((r) => setTimeout(r, 800));
      cli.child.kill('SIGINT');
      const code = await cli.exited;
      const { stdout } = cli.out();
      expect(code).toBe(130);
      expect(performance.now() - started).toBeLessThan(30_000);
      expect(stdout).toContain('Exited because of keyboard interrupt');
      expect(stdout).toMatch(/ERROR creating sql table model main\.long_one/);
      const rr = JSON.parse(readFileSync(join(p.dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; message: string }[] };
      const byId = Object.fromEntries(rr.results.map((r) => [r.unique_id.split('.').pop(), r]));
      expect(byId.quick!.status).toBe('success');
      expect(byId.long_one!.status).toBe('error');
      expect(byId.long_one!.message).toMatch(/Interrupted/);
      expect(byId.after_long).toMatchObject({ status: 'skipped', message: 'Skipping due to keyboard interrupt' });
      // The previous long_one is intact and nothing temporary is left behind.
      expect(await p.query('select v from long_one')).toEqual([{ v: 42 }]);
      const names = (await p.query("select table_name from information_schema.tables where table_schema = 'main' order by 1")).map((r) => r.table_name);
      expect(names).toEqual(['after_long', 'long_one', 'quick']);
    }, 90_000);
  }
});
