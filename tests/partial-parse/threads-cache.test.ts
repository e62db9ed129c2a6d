import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareWorkerExecution, type RenderWorkerArgs } from '../../src/api/execution.js';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

async function cli(args: string[], dir: string) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir, '--debug'], io.streams, {});
  const stdout = io.stdout.join('');
  const lines = (re: RegExp) => stdout.split('\n').filter((l) => re.test(l));
  return { code, stdout, full: lines(/Unable to do partial parsing|Partial parsing not enabled/), partial: lines(/Partial parsing enabled:/) };
}

/** manifest.json without what differs between any two parses (generated_at, invocation_id). */
function manifest(dir: string): string {
  const m = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')) as { metadata: Record<string, unknown> };
  delete m.metadata.generated_at;
  delete m.metadata.invocation_id;
  return JSON.stringify(m);
}

describe('--threads and the parse cache', () => {
  it('another --threads reuses the cache (dbt keys partial parsing on no thread count)', async () => {
    const dir = makeProject({ 'models/a.sql': 'select 1 as id', 'models/b.sql': "select * from {{ ref('a') }}" });
    expect((await cli(['run', '--threads', '1'], dir)).code).toBe(0);
    for (const threads of ['2', '1']) {
      const r = await cli(['run', '--threads', threads], dir);
      expect(r.code, r.stdout).toBe(0);
      expect([...r.full, ...r.partial], `--threads ${threads}`).toEqual([]);
    }
  }, 120_000);

  it('a model reading target.threads at parse is parsed again with the new value, as a full parse has it', async () => {
    const dir = makeProject({
      'models/a.sql': "{{ config(tags=['t' ~ target.threads]) }}\nselect 1 as id",
      'models/b.sql': "select * from {{ ref('a') }}",
    });
    expect((await cli(['compile', '--threads', '1'], dir)).code).toBe(0);
    const again = await cli(['compile', '--threads', '3'], dir);
    expect(again.code, again.stdout).toBe(0);
    expect(again.full).toEqual([]);
    expect(again.partial.length).toBe(1);
    const cached = manifest(dir);
    expect(cached).toContain('"tags":["t3"]');
    expect((await cli(['compile', '--threads', '3', '--no-partial-parse'], dir)).code).toBe(0);
    expect(cached).toEqual(manifest(dir));
  }, 120_000);

  it('a render worker finding the cache out of date waits for the coordinator to write it, then reads it', async () => {
    const dir = makeProject({ 'models/a.sql': 'select 1 as id', 'models/b.sql': "select * from {{ ref('a') }}" });
    expect((await cli(['parse'], dir)).code).toBe(0);
    const worker = (parsed: Promise<void>) => {
      const logs: string[] = [];
      const args: RenderWorkerArgs = { opts: { projectDir: dir, profilesDir: dir, partialParse: true, env: {} }, which: 'run', invocationId: 'i', runStartedAt: new Date().toISOString(), debug: true };
      return { logs, prepared: prepareWorkerExecution(args, 'Thread-1', (_level, text) => logs.push(text), parsed) };
    };
    // Nothing changed: the worker reads the cache at once.
    const current = worker(new Promise(() => undefined));
    await current.prepared;
    expect(current.logs.filter((l) => /partial pars/i.test(l))).toEqual([]);

    writeFileSync(join(dir, 'models/b.sql'), "select id + 1 as id from {{ ref('a') }}");
    let release = () => {};
    const stale = worker(new Promise<void>((resolve) => (release = resolve)));
    let settled = false;
    void stale.prepared.finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    // The coordinator's parse writes the cache, then tells the worker.
    expect((await cli(['parse'], dir)).partial.length).toBe(1);
    release();
    await stale.prepared;
    expect(stale.logs.filter((l) => /partial pars/i.test(l))).toEqual([]);
  }, 120_000);

  it('render workers of a run after a change parse nothing themselves', async () => {
    const dir = makeProject({
      'profiles.yml': 'test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n',
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select * from {{ ref('a') }}",
      'models/c.sql': 'select 3 as id',
    });
    expect((await cli(['run', '--threads', '2'], dir)).code).toBe(0);
    writeFileSync(join(dir, 'models/c.sql'), 'select 4 as id');
    const r = await cli(['run', '--threads', '2'], dir);
    expect(r.code, r.stdout).toBe(0);
    // The coordinator's partial parse only.
    expect(r.partial.length, r.stdout).toBe(1);
    expect(r.full).toEqual([]);
    const show = await cli(['show', '--inline', "select id * 10 as x from {{ ref('c') }}"], dir);
    expect(show.stdout).toMatch(/\b40\b/);
  }, 120_000);
});
