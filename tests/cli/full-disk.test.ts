import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Whole runs on a machine shared by many: allow them time.
vi.setConfig({ testTimeout: 180_000 });
import { runCli } from '../../src/cli/main.js';
import { processStreams } from '../../src/cli/process-streams.js';
import { setWriteFaultForTests } from '../../src/util/atomic-write.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';
import { useTinyFs } from '../support/tiny-fs.js';

/**
 * A full disk while tsdbt writes what a command leaves behind: each artifact
 * fails in turn (the write helper's test seam), then the whole run on a real
 * tmpfs filled to the last byte. Every time: the failed write names the file
 * and what it held, a node's own database error is still shown, no temp file
 * is left, and the previous run_results.json and manifest.json stay usable.
 */
const FILES = {
  'models/good.sql': '{{ config(materialized=\'table\') }} select 1 as id, 10 as amount, date \'2024-01-01\' as ordered_at',
  'models/broken.sql': 'select id from a_table_that_is_not_there',
  'models/sl.yml': `semantic_models:
  - name: orders
    model: ref('good')
    defaults:
      agg_time_dimension: ordered_at
    entities:
      - name: order
        type: primary
        expr: id
    dimensions:
      - name: ordered_at
        type: time
        type_params:
          time_granularity: day
    measures:
      - name: order_total
        agg: sum
        expr: amount
metrics:
  - name: revenue
    label: Revenue
    type: simple
    type_params:
      measure: order_total
`,
};
const DB_ERROR = 'Catalog Error: Table with name a_table_that_is_not_there does not exist!';

afterEach(() => setWriteFaultForTests(null));

async function cli(args: string[], dir: string) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir, '--profiles-dir', dir], io.streams, {});
  return { code, text: io.stdout.join('') + io.stderr.join('') };
}

/** Run and check the exit code, showing the output when it differs. */
async function expectCode(args: string[], dir: string, code: number) {
  const r = await cli(args, dir);
  expect(r.code, r.text).toBe(code);
  return r;
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

/** Fail every write whose path ends with `suffix`, as a full disk does. */
const failWritesTo = (suffix: string) => setWriteFaultForTests(suffix);

describe('a full disk while writing artifacts (injected)', () => {
  const cases: { artifact: string; what: string; command: string[]; code: number }[] = [
    { artifact: 'target/run_results.json', what: 'run results', command: ['run'], code: 2 },
    { artifact: 'target/manifest.json', what: 'the manifest', command: ['run'], code: 2 },
    { artifact: 'target/compiled/test_project/models/good.sql', what: 'compiled SQL', command: ['run'], code: 1 },
    // What the node's main statement ran (dbt's write()), through the same writer.
    { artifact: 'target/run/test_project/models/good.sql', what: 'compiled SQL', command: ['run'], code: 1 },
  ];
  for (const c of cases) {
    it(`${c.artifact}: named, the node's database error still shown, the previous artifacts kept`, async () => {
      const dir = makeProject(FILES);
      await expectCode(['run'], dir, 1); // broken fails, good builds
      const before = { results: readFileSync(join(dir, 'target/run_results.json'), 'utf8'), manifest: readFileSync(join(dir, 'target/manifest.json'), 'utf8') };
      failWritesTo(c.artifact);
      const r = await cli(c.command, dir);
      expect(r.code, r.text).toBe(c.code);
      // As a run-level error ([TARGET_WRITE] ...) or as the node's error (located at the model).
      expect(r.text).toContain(c.code === 2 ? `[TARGET_WRITE] Could not write ${c.what} to ${c.artifact}: ENOSPC: no space left on device, write` : `models/good.sql: Could not write ${c.what} to ${c.artifact}: ENOSPC: no space left on device, write`);
      expect(r.text).toContain(DB_ERROR);
      expect(allFiles(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
      if (c.code === 2) {
        // The file that failed is the previous run's, whole; the other one was written by this run.
        const now = readFileSync(join(dir, c.artifact), 'utf8');
        expect(now).toBe(c.artifact.endsWith('run_results.json') ? before.results : before.manifest);
        expect(() => JSON.parse(now)).not.toThrow();
      } else {
        // A node whose SQL file cannot be written is an error of that node, named; the run goes on and records it.
        const results = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; message: string }[] };
        const good = results.results.find((x) => x.unique_id === 'model.test_project.good')!;
        expect(good.status).toBe('error');
        expect(good.message).toContain(`Could not write compiled SQL to ${join(dir, c.artifact)}`);
      }
    });
  }

  it('catalog.json (docs generate): named, the previous catalog kept', async () => {
    const dir = makeProject({ 'models/good.sql': 'select 1 as id' });
    await expectCode(['docs', 'generate'], dir, 0);
    const before = readFileSync(join(dir, 'target/catalog.json'), 'utf8');
    failWritesTo('catalog.json');
    const r = await cli(['docs', 'generate'], dir);
    expect(r.code, r.text).toBe(2);
    expect(r.text).toContain('[TARGET_WRITE] Could not write the catalog to target/catalog.json: ENOSPC: no space left on device, write');
    expect(readFileSync(join(dir, 'target/catalog.json'), 'utf8')).toBe(before);
    expect(allFiles(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('semantic_manifest.json (parse): named, the previous one kept', async () => {
    const dir = makeProject({ 'models/good.sql': FILES['models/good.sql'], 'models/sl.yml': FILES['models/sl.yml'] });
    await expectCode(['parse'], dir, 0);
    const before = readFileSync(join(dir, 'target/semantic_manifest.json'), 'utf8');
    // A properties file changed: parse writes the artifacts again (with nothing changed it leaves them as they
    // are; with only model SQL changed it splices manifest.json and leaves semantic_manifest.json, whose bytes stay).
    writeFileSync(join(dir, 'models/sl.yml'), `${FILES['models/sl.yml']}\n# changed\n`);
    failWritesTo('semantic_manifest.json');
    const r = await cli(['parse'], dir);
    expect(r.code, r.text).toBe(2);
    expect(r.text).toContain('[TARGET_WRITE] Could not write the semantic manifest to target/semantic_manifest.json: ENOSPC: no space left on device, write');
    expect(readFileSync(join(dir, 'target/semantic_manifest.json'), 'utf8')).toBe(before);
  });

  it('manifest.json (parse, one model edited: the splice path): named, the previous one kept, nothing left behind', async () => {
    const dir = makeProject({ 'models/good.sql': FILES['models/good.sql'] });
    await expectCode(['parse'], dir, 0);
    const before = readFileSync(join(dir, 'target/manifest.json'), 'utf8');
    writeFileSync(join(dir, 'models/good.sql'), `${FILES['models/good.sql']}\n-- changed\n`);
    failWritesTo('target/manifest.json');
    const r = await cli(['parse'], dir);
    expect(r.code, r.text).toBe(2);
    expect(r.text).toContain('[TARGET_WRITE] Could not write the manifest to target/manifest.json: ENOSPC: no space left on device, write');
    expect(readFileSync(join(dir, 'target/manifest.json'), 'utf8')).toBe(before);
    expect(allFiles(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('logs/dbt.log: one warning, the command itself unaffected, the log keeps what it had', async () => {
    const dir = makeProject(FILES);
    await cli(['run'], dir);
    const before = readFileSync(join(dir, 'logs/dbt.log'), 'utf8');
    failWritesTo('dbt.log');
    const r = await cli(['run'], dir);
    expect(r.code, r.text).toBe(1);
    expect(r.text).toContain(DB_ERROR);
    expect(r.text).toContain(`[WARNING]: Could not write the debug log to ${join(dir, 'logs/dbt.log')}: ENOSPC: no space left on device, write (the rest of this run is not logged there; the lines before it are intact)`);
    expect(readFileSync(join(dir, 'logs/dbt.log'), 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'target/run_results.json'))).toBe(true);
  });
});

describe('a full stdout (/dev/full)', () => {
  it('the command finishes (artifacts written), stderr says why once, a successful command exits 2', async () => {
    const dir = makeProject({ 'models/good.sql': 'select 1 as id' });
    const fd = openSync('/dev/full', 'w');
    const stderr: string[] = [];
    try {
      const stdout = { write: (t: string) => writeFileSync(fd, t), on: () => undefined };
      const err = { write: (t: string) => stderr.push(t), on: () => undefined };
      const io = processStreams(stdout, err, () => {
        throw new Error('not a closed pipe');
      });
      const code = await runCli(['run', '--project-dir', dir, '--profiles-dir', dir], io.streams, {});
      expect(code, stderr.join('')).toBe(0);
      expect(io.finish(code)).toBe(2);
    } finally {
      closeSync(fd);
    }
    expect(stderr.join('')).toBe('tsdbt: could not write the output to stdout: ENOSPC: no space left on device, write\n');
    expect(JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')).results[0].status).toBe('success');
  });

  it('bin/tsdbt.js with stdout on /dev/full: no stack trace, the run completes, a failed node keeps exit 1 and its error', () => {
    const bin = join(__dirname, '../../bin/tsdbt.js');
    if (!existsSync(join(__dirname, '../../dist/cli/process-streams.js'))) throw new Error('build dist first: npx tsc -p tsconfig.build.json');
    const dir = makeProject(FILES);
    const out = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [bin, 'run', '--project-dir', dir, '--profiles-dir', dir], { stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(DB_ERROR);
      expect(r.stderr).toContain('tsdbt: could not write the output to stdout: ENOSPC: no space left on device, write');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      closeSync(out);
    }
    expect(existsSync(join(dir, 'target/run_results.json'))).toBe(true);
  });
});

/** For real: the project on a 2 MB tmpfs filled to the last byte (root can mount one here; elsewhere this says it cannot run). */
describe('a full disk for real (tmpfs)', () => {
  const fs = useTinyFs('2m');
  const mountPoint = fs.path;

  it('run: every write that fails is named, the database error shown, no temp files, the previous artifacts usable', async (ctx) => {
    if (!fs.mounted) ctx.skip(); // needs root to mount a tmpfs
    const dir = join(mountPoint, 'p');
    cpSync(makeProject(FILES), dir, { recursive: true });
    await expectCode(['run'], dir, 1);
    const before = { results: readFileSync(join(dir, 'target/run_results.json'), 'utf8'), manifest: readFileSync(join(dir, 'target/manifest.json'), 'utf8') };
    rmSync(join(dir, 'target/compiled'), { recursive: true });
    fs.fill();
    const r = await cli(['run'], dir);
    expect(r.code, r.text).toBe(2);
    expect(r.text).toContain(DB_ERROR);
    expect(r.text).toContain('[TARGET_WRITE] Could not write run results to target/run_results.json: ENOSPC: no space left on device, write');
    expect(r.text).toContain('[TARGET_WRITE] Could not write the manifest to target/manifest.json: ENOSPC: no space left on device, write');
    expect(r.text).toMatch(/Could not write compiled SQL to .*target\/compiled\/test_project\/models\/good\.sql: ENOSPC/);
    expect(allFiles(mountPoint).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(readFileSync(join(dir, 'target/run_results.json'), 'utf8')).toBe(before.results);
    expect(readFileSync(join(dir, 'target/manifest.json'), 'utf8')).toBe(before.manifest);
    // And with space again, the next run works and replaces them.
    fs.unfill();
    await expectCode(['run'], dir, 1);
    expect(readFileSync(join(dir, 'target/run_results.json'), 'utf8')).not.toBe(before.results);
  });
});
