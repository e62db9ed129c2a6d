import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { PRESTAT_USED } from '../../src/api/parse-cache.js';
import { REFRESHED_MESSAGE } from '../../src/api/quick-start.js';
import { runCli } from '../../src/cli/main.js';
import { statFolders, type RootFolders } from '../../src/util/file-states.js';
import { offerPrestat, PRESTAT_FRESH_MS, PRESTAT_HINT_FILE, type Prestat } from '../../src/util/pre-stat.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';
import { datedWriter } from '../support/dated-files.js';

/**
 * The pre-stat (util/pre-stat.ts): rows bin/tsdbt.js's worker stat'ed
 * while the CLI loaded, offered here by hand as the worker would post them
 * (tests/packaging/cli-bundle.test.ts runs the real worker from the bundle).
 */
const PROJECT: Record<string, string> = {
  'models/a.sql': 'select 1 as id\n',
  'models/b.sql': "select id from {{ ref('a') }}\n",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        tests: [not_null]\n',
};

const scratch: string[] = [];
afterEach(() => {
  offerPrestat(undefined);
  for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Writes a file dated in the past (unchanged files are then trusted on stat). */
const put = datedWriter(600_000, 1000);

function project(): string {
  const dir = makeProject({});
  for (const [rel, text] of Object.entries(PROJECT)) put(dir, rel, text);
  put(dir, 'dbt_project.yml', readFileSync(join(dir, 'dbt_project.yml'), 'utf8'));
  return dir;
}

async function parse(dir: string, extra: string[] = []) {
  const io = captureStreams();
  const code = await runCli(['parse', '--project-dir', dir, '--profiles-dir', dir, '--debug', ...extra], io.streams, { ...process.env, NO_COLOR: '1' });
  const out = io.stdout.join('') + io.stderr.join('');
  return { code, out, worker: out.includes(PRESTAT_USED), spliced: out.includes('spliced into manifest.json') };
}

/** manifest.json without generated_at and invocation_id. */
const manifest = (dir: string) => readFileSync(join(dir, 'target/manifest.json'), 'utf8').replace(/"generated_at":"[^"]*","invocation_id":"[^"]*"/, '');

/** A `--no-partial-parse` parse of a copy of the project as it is now, with the project's paths. */
async function fullManifest(dir: string): Promise<string> {
  const copy = mkdtempSync(join(tmpdir(), 'tsdbt-prestat-full-'));
  scratch.push(copy);
  cpSync(dir, copy, { recursive: true, filter: (src) => !src.includes('/target') });
  expect((await parse(copy, ['--no-partial-parse'])).code).toBe(0);
  return manifest(copy).split(copy).join(dir);
}

/** The folders the last check left in target/ (what bin/tsdbt.js gives its worker). */
const hintFolders = (dir: string): RootFolders => JSON.parse(readFileSync(join(dir, 'target', PRESTAT_HINT_FILE), 'utf8')).folders;

/** Offers `message` as the worker's, its done flag raised unless `raise` is false. */
function offer(folders: RootFolders, message: Prestat | null, raise = true): void {
  const done = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  port2.postMessage(message);
  port2.close();
  if (raise) Atomics.store(new Int32Array(done), 0, 1);
  offerPrestat({ folders: JSON.stringify(folders), done, port: port1, receive: receiveMessageOnPort });
}

describe('the pre-stat: input files stat\'ed while the CLI loads', () => {
  it('a check of the same folders takes the rows: a one-model edit is spliced, as a full parse gives', async () => {
    const dir = project();
    expect((await parse(dir)).code).toBe(0);
    const folders = hintFolders(dir);
    expect(folders[0]).toEqual(expect.objectContaining({ root: dir }));
    put(dir, 'models/b.sql', "select id, 2 as two from {{ ref('a') }}\n");
    offer(folders, { at: Date.now(), rows: statFolders(folders) });
    const r = await parse(dir);
    expect(r.worker).toBe(true);
    expect(r.spliced).toBe(true);
    expect(manifest(dir)).toBe(await fullManifest(dir));
  });

  it('rows taken before an edit: that parse is as of when they were taken, and the next one finds the edit', async () => {
    const dir = project();
    expect((await parse(dir)).code).toBe(0);
    const folders = hintFolders(dir);
    offer(folders, { at: Date.now(), rows: statFolders(folders) });
    writeFileSync(join(dir, 'models/b.sql'), "select id, 3 as three from {{ ref('a') }}\n");
    const stale = await parse(dir);
    // The edit came after the rows: this parse (the quick start's, which took them) did not see it...
    expect(stale.out).toContain(REFRESHED_MESSAGE);
    expect(manifest(dir)).not.toContain('3 as three');
    // ...and the next one does, by the file's new time.
    await parse(dir);
    expect(manifest(dir)).toContain('3 as three');
    expect(manifest(dir)).toBe(await fullManifest(dir));
  });

  it('without a worker, the quick start\'s stats serve the check that follows when it does not hold', async () => {
    const dir = project();
    expect((await parse(dir)).code).toBe(0);
    expect((await parse(dir)).out).toContain(REFRESHED_MESSAGE);
    put(dir, 'models/b.sql', "select id, 4 as four from {{ ref('a') }}\n");
    const r = await parse(dir);
    expect(r.worker).toBe(false);
    expect(r.spliced).toBe(true);
    expect(manifest(dir)).toBe(await fullManifest(dir));
  });

  it('is not taken for other folders, from a worker that failed, or when older than a command\'s start', async () => {
    const dir = project();
    expect((await parse(dir)).code).toBe(0);
    const folders = hintFolders(dir);
    // Rows taken before each edit: taken, they would hide it.
    const cases: [RootFolders, (rows: Prestat['rows']) => Prestat | null][] = [
      [[...folders, { root: dir, folders: ['elsewhere'] }], (rows) => ({ at: Date.now(), rows })],
      [folders, () => null],
      [folders, (rows) => ({ at: Date.now() - PRESTAT_FRESH_MS - 1000, rows })],
      [folders, (rows) => ({ at: Date.now(), rows: { ...rows, size: [] } })],
    ];
    for (const [i, [given, message]] of cases.entries()) {
      const before = statFolders(folders);
      put(dir, 'models/b.sql', `select id, ${i} as n from {{ ref('a') }}\n`);
      offer(given, message(before));
      const r = await parse(dir);
      expect(r.worker, String(i)).toBe(false);
      expect(r.spliced, String(i)).toBe(true);
      expect(manifest(dir)).toContain(`${i} as n`);
    }
    expect(manifest(dir)).toBe(await fullManifest(dir));
  });
});
