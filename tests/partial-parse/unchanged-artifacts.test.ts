import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PARSE_CACHE_FILE } from '../../src/api/parse-cache.js';
import { QUICK_START_FILE } from '../../src/api/quick-start.js';
import { WRITTEN_ARTIFACTS_FILE } from '../../src/api/written-artifacts.js';
import { runCli } from '../../src/cli/main.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';
import { blankedArtifact } from '../support/blanked-artifact.js';

/** Models, tests, a tag, a subfolder, a warning-free project with a semantic layer (so semantic_manifest.json is written too). */
const PROJECT: Record<string, string> = {
  'models/staging/stg_orders.sql': "{{ config(tags=['daily']) }}\nselect 1 as order_id, 10 as amount, date '2024-01-01' as ordered_at",
  'models/staging/stg_customers.sql': 'select 1 as customer_id',
  'models/marts/orders.sql': "select o.*, c.customer_id from {{ ref('stg_orders') }} o, {{ ref('stg_customers') }} c",
  'models/marts/spine.sql': "select date '2024-01-01' as date_day",
  'models/schema.yml': `version: 2
models:
  - name: stg_orders
    columns:
      - name: order_id
        tests: [not_null, unique]
  - name: orders
    columns:
      - name: customer_id
        tests:
          - relationships:
              to: ref('stg_customers')
              field: customer_id
  - name: spine
    time_spine: {standard_granularity_column: date_day}
    columns: [{name: date_day, granularity: day}]
semantic_models:
  - name: order_facts
    model: ref('orders')
    defaults: {agg_time_dimension: ordered_at}
    entities: [{name: order, type: primary, expr: order_id}]
    dimensions: [{name: ordered_at, type: time, type_params: {time_granularity: day}}]
    measures: [{name: amount_sum, agg: sum, expr: amount}]
metrics:
  - {name: takings, label: Takings, type: simple, type_params: {measure: amount_sum}}
`,
  'tests/assert_positive.sql': "select * from {{ ref('orders') }} where amount < 0",
};

const scratch: string[] = [];
afterEach(() => {
  setFastPaths(true);
  for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function cli(dir: string, args: string[]) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir, '--profiles-dir', dir, '--debug'], io.streams, {});
  const out = io.stdout.join('') + io.stderr.join('');
  return {
    code,
    out,
    refreshed: out.includes('manifest.json brought up to date in place'),
    indexed: out.includes('selecting from the selection index'),
    full: /Unable to do partial parsing/.test(out),
    lines: out.split('\n').map((l) => l.trim()).filter((l) => /^(test_project\.|source:|semantic_model:|metric:|models\/|tests\/|[a-z_]+$|\{"name")/.test(l) && !/ /.test(l)),
  };
}

/** manifest.json and semantic_manifest.json of a full parse of the project as it is now (a copy, no cache). */
async function fullArtifacts(dir: string): Promise<{ manifest: string; semantic: string }> {
  const copy = mkdtempSync(join(tmpdir(), 'tsdbt-full-'));
  scratch.push(copy);
  cpSync(dir, copy, { recursive: true, filter: (src) => !src.includes('/target') });
  const r = await cli(copy, ['parse', '--no-partial-parse']);
  expect(r.code, r.out).toBe(0);
  // A full parse at another path differs in the paths it records: compare with the project's own paths.
  const fix = (s: string) => s.split(copy).join(dir);
  return { manifest: fix(blankedArtifact(join(copy, 'target/manifest.json'))), semantic: fix(readFileSync(join(copy, 'target/semantic_manifest.json'), 'utf8')) };
}

async function expectFullArtifacts(dir: string): Promise<void> {
  const full = await fullArtifacts(dir);
  expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(full.manifest);
  expect(readFileSync(join(dir, 'target/semantic_manifest.json'), 'utf8')).toBe(full.semantic);
}

const metadata = (dir: string) => (JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')) as { metadata: { generated_at: string; invocation_id: string } }).metadata;

describe('parse with nothing changed refreshes the artifacts in place', () => {
  it('rewrites only generated_at and invocation_id, and the result equals a full parse', async () => {
    const dir = makeProject(PROJECT);
    const first = await cli(dir, ['parse']);
    expect(first.code, first.out).toBe(0);
    expect(first.refreshed).toBe(false);
    const before = metadata(dir);
    const ino = statSync(join(dir, 'target/manifest.json')).ino;
    const again = await cli(dir, ['parse']);
    expect(again.code, again.out).toBe(0);
    expect(again.refreshed).toBe(true);
    expect(again.out).toContain('Found 4 models, 4 data tests');
    const after = metadata(dir);
    expect(after.invocation_id).not.toBe(before.invocation_id);
    expect(after.generated_at >= before.generated_at).toBe(true);
    // In place: the same file, not a rewrite.
    expect(statSync(join(dir, 'target/manifest.json')).ino).toBe(ino);
    await expectFullArtifacts(dir);
    // And again: the record follows the refreshed file.
    expect((await cli(dir, ['parse'])).refreshed).toBe(true);
    await expectFullArtifacts(dir);
  });

  it('one model changed: a partial parse writes the manifest again, equal to a full parse; then refreshes again', async () => {
    const dir = makeProject(PROJECT);
    await cli(dir, ['parse']);
    writeFileSync(join(dir, 'models/marts/orders.sql'), `${PROJECT['models/marts/orders.sql']}\nwhere 1 = 1\n`);
    const r = await cli(dir, ['parse']);
    expect(r.code, r.out).toBe(0);
    expect(r.refreshed).toBe(false);
    expect(r.full).toBe(false);
    // Spliced (api/parse-splice.ts): the semantic model on `orders` reads only its name and relation.
    expect(r.out).toContain('Partial parsing: 1 changed file(s) parsed again and spliced into manifest.json and the parse cache');
    await expectFullArtifacts(dir);
    // The same again with the splice path off: the partial parse of the whole cache.
    setFastPaths(false);
    writeFileSync(join(dir, 'models/marts/orders.sql'), `${PROJECT['models/marts/orders.sql']}\nwhere 2 = 2\n`);
    const plain = await cli(dir, ['parse']);
    expect(plain.out).toContain('Partial parsing enabled: 0 files deleted, 0 files added, 1 files changed.');
    expect(plain.out).not.toContain('spliced');
    await expectFullArtifacts(dir);
    setFastPaths(true);
    writeFileSync(join(dir, 'models/marts/orders.sql'), `${PROJECT['models/marts/orders.sql']}\nwhere 1 = 1\n`);
    expect((await cli(dir, ['parse'])).full).toBe(false);
    await expectFullArtifacts(dir);
    expect(readFileSync(join(dir, 'target/manifest.json'), 'utf8')).toContain('where 1 = 1');
    expect((await cli(dir, ['parse'])).refreshed).toBe(true);
    await expectFullArtifacts(dir);
  });

  const spoilers: [string, (dir: string) => void][] = [
    ['manifest.json deleted', (dir) => rmSync(join(dir, 'target/manifest.json'))],
    ['manifest.json edited by hand (same size)', (dir) => {
      const p = join(dir, 'target/manifest.json');
      writeFileSync(p, readFileSync(p, 'utf8').replace('"test_project"', '"TEST_PROJECT"'));
    }],
    ['manifest.json replaced by another file with the same metadata', (dir) => {
      const p = join(dir, 'target/manifest.json');
      const text = readFileSync(p);
      rmSync(p);
      writeFileSync(p, text);
    }],
    ['semantic_manifest.json deleted', (dir) => rmSync(join(dir, 'target/semantic_manifest.json'))],
    ['semantic_manifest.json edited', (dir) => writeFileSync(join(dir, 'target/semantic_manifest.json'), '{}')],
    ['the record spoiled', (dir) => writeFileSync(join(dir, 'target', WRITTEN_ARTIFACTS_FILE), '{"cache":')],
    ['the record removed', (dir) => rmSync(join(dir, 'target', WRITTEN_ARTIFACTS_FILE))],
    ['the cache header spoiled', (dir) => {
      const p = join(dir, 'target', PARSE_CACHE_FILE);
      const text = readFileSync(p, 'utf8');
      // The header line ends in spaces (room for a splice): its JSON loses its last 5 characters.
      const header = text.slice(0, text.indexOf('\n')).trimEnd();
      writeFileSync(p, `{"format":2,${header.slice(header.indexOf(',') + 1, -5)}\n${text.slice(text.indexOf('\n') + 1)}`);
    }],
    ['the cache removed', (dir) => rmSync(join(dir, 'target', PARSE_CACHE_FILE))],
  ];
  for (const [name, spoil] of spoilers) {
    it(`${name}: parse writes the artifacts in full, equal to a full parse`, async () => {
      const dir = makeProject(PROJECT);
      await cli(dir, ['parse']);
      spoil(dir);
      const r = await cli(dir, ['parse']);
      expect(r.code, r.out).toBe(0);
      expect(r.refreshed).toBe(false);
      await expectFullArtifacts(dir);
      expect((await cli(dir, ['parse'])).refreshed).toBe(true);
      await expectFullArtifacts(dir);
    });
  }

  it('a spoiled cache body: parse still refreshes (it reads no body); a command that needs nodes parses in full, with the same results', async () => {
    const dir = makeProject(PROJECT);
    await cli(dir, ['parse']);
    const p = join(dir, 'target', PARSE_CACHE_FILE);
    const bytes = Buffer.from(readFileSync(p));
    const bodyAt = bytes.indexOf(10, bytes.indexOf(10) + 1) + 1;
    for (let i = bodyAt + 20; i < bytes.length; i += 7) bytes[i] = 0xff;
    writeFileSync(p, bytes);
    expect((await cli(dir, ['parse'])).refreshed).toBe(true);
    await expectFullArtifacts(dir);
    const json = await cli(dir, ['ls', '--output', 'json']);
    expect(json.out).toContain('Unable to do partial parsing because the saved manifest could not be read');
    // ls (json) wrote a good cache again, and manifest.json from it with its record (as parse does): parse refreshes.
    await expectFullArtifacts(dir);
    expect((await cli(dir, ['parse'])).refreshed).toBe(true);
    await expectFullArtifacts(dir);
  });

  it('a spoiled selection index: ls parses in full, with the same lines', async () => {
    const dir = makeProject(PROJECT);
    await cli(dir, ['parse']);
    const want = (await cli(dir, ['ls', '--no-partial-parse'])).lines;
    const p = join(dir, 'target', PARSE_CACHE_FILE);
    const bytes = Buffer.from(readFileSync(p));
    bytes[bytes.indexOf(10) + 1] = 0x78; // not JSON any more
    writeFileSync(p, bytes);
    const r = await cli(dir, ['ls']);
    expect(r.indexed).toBe(false);
    expect(r.lines).toEqual(want);
  });

  it('TSDBT_FAST_PATHS=0: no refresh in place, the same artifacts', async () => {
    const dir = makeProject(PROJECT);
    await cli(dir, ['parse']);
    setFastPaths(false);
    const r = await cli(dir, ['parse']);
    expect(r.refreshed).toBe(false);
    expect(r.full).toBe(false);
    await expectFullArtifacts(dir);
  });

  it('a project with a cycle fails every time with the located error', async () => {
    const dir = makeProject({
      'models/a.sql': "select * from {{ ref('b') }}",
      'models/b.sql': "select * from {{ ref('a') }}",
    });
    const first = await cli(dir, ['parse']);
    expect(first.code).not.toBe(0);
    const again = await cli(dir, ['parse']);
    expect(again.code).not.toBe(0);
    expect(again.refreshed).toBe(false);
    const ls = await cli(dir, ['ls']);
    expect(ls.code).not.toBe(0);
    const lsFull = await cli(dir, ['ls', '--no-partial-parse']);
    const errorOf = (out: string) => out.split('\n').filter((l) => /cycle/i.test(l));
    expect(errorOf(ls.out)).toEqual(errorOf(lsFull.out));
    expect(errorOf(ls.out).length).toBeGreaterThan(0);
  });
});

describe('ls with nothing changed selects from the selection index', () => {
  const cases: string[][] = [
    [],
    ['--output', 'name'],
    ['--output', 'path'],
    ['--select', '+orders'],
    ['--select', 'stg_orders+', '--exclude', 'test_type:generic'],
    ['--select', 'tag:daily'],
    ['--select', 'path:models/staging'],
    ['--select', 'models/marts'],
    ['--select', 'test_name:unique', '--output', 'name'],
    ['--select', 'test_type:singular'],
    ['--select', '@stg_customers'],
    ['--select', 'package:test_project,resource_type:model'],
    ['--resource-type', 'model', 'test'],
    ['--resource-type', 'all'],
    ['--select', 'metric:takings', 'semantic_model:*'],
    ['--select', 'stg_orders', '--indirect-selection', 'cautious'],
    ['--select', 'orders', '--indirect-selection', 'buildable'],
    ['--select', '2+orders', '--output', 'path'],
    ['--select', 'stg_orders+1', '--output', 'name'],
    ['--exclude', 'tag:daily'],
    ['--select', 'orders', 'stg_customers', '--exclude', 'resource_type:test'],
    ['--resource-type', 'test', '--select', '+orders', '--output', 'name'],
    ['--select', 'tag:daily,+orders', '--indirect-selection', 'empty'],
    // config.materialized is the one config key the index keeps.
    ['--select', 'config.materialized:view'],
  ];
  const fallbacks: string[][] = [
    ['--output', 'json'],
    ['--select', 'config.enabled:true'],
  ];
  it('prints what the full path prints, for every selector and output it answers', async () => {
    const dir = makeProject(PROJECT);
    await cli(dir, ['parse']);
    for (const args of [...cases, ...fallbacks]) {
      const full = await cli(dir, ['ls', ...args, '--no-partial-parse']);
      const r = await cli(dir, ['ls', ...args]);
      expect(r.code, `${args.join(' ')}: ${r.out}`).toBe(0);
      expect(r.indexed, args.join(' ')).toBe(cases.includes(args));
      expect(r.full, args.join(' ')).toBe(false);
      expect(r.out.split('\n').filter((l) => !/Running with|Partial parsing|Registered adapter|^\s*$|\d\d:\d\d:\d\d/.test(l)), args.join(' ')).toEqual(full.out.split('\n').filter((l) => !/Running with|Partial parsing|Registered adapter|^\s*$|\d\d:\d\d:\d\d/.test(l)));
      expect(r.lines.length, args.join(' ')).toBeGreaterThan(0);
    }
  }, 120_000);

  it('a changed model: ls splices it into the cache (api/parse-splice.ts) and selects from the index; one that changes its refs is parsed (partially) instead', async () => {
    const dir = makeProject(PROJECT);
    await cli(dir, ['parse']);
    writeFileSync(join(dir, 'models/staging/stg_customers.sql'), 'select 2 as customer_id');
    const spliced = await cli(dir, ['ls']);
    expect(spliced.indexed).toBe(true);
    expect(spliced.lines).toEqual((await cli(dir, ['ls', '--no-partial-parse'])).lines);
    // A new ref changes what others see of the node: not spliced.
    writeFileSync(join(dir, 'models/staging/stg_customers.sql'), "select customer_id from {{ ref('stg_orders') }} cross join (select 1 as customer_id)");
    const parsed = await cli(dir, ['ls']);
    expect(parsed.indexed).toBe(false);
    expect(parsed.lines).toEqual((await cli(dir, ['ls', '--no-partial-parse'])).lines);
  });
});

describe('the quick start: parse and ls with nothing changed, without loading the project', () => {
  /** PROJECT, with a profile of two targets reading env vars (and an unknown field: a load warning), a model reading a var and an env var, and a patch for no model (a parse warning). */
  const QUICK: Record<string, string> = {
    ...PROJECT,
    'profiles.yml': `test_profile:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: ":memory:"
      schema: "{{ env_var('QS_SCHEMA', 'main') }}"
      threads: 1
      colour: blue
    other:
      type: duckdb
      path: ":memory:"
      schema: other
      threads: 1
`,
    'models/with_inputs.sql': "select '{{ var(\"greeting\", \"hello\") }}' as greeting, '{{ env_var(\"QS_MODEL\", \"none\") }}' as model_env",
    'models/ghosts.yml': 'version: 2\nmodels:\n  - name: no_such_model\n',
  };

  const HOUR_AGO = new Date(Date.now() - 3600_000);
  /** Every project file modified an hour ago, so its size and time prove it unchanged (a file modified within 2 s of a check cannot). */
  function age(dir: string): void {
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.name === 'target' || e.name === 'out' || e.name === 'logs') continue;
        if (e.isDirectory()) walk(p);
        utimesSync(p, HOUR_AGO, HOUR_AGO);
      }
    };
    walk(dir);
  }

  async function run(dir: string, args: string[], env: Record<string, string> = {}) {
    const io = captureStreams();
    // The project's own profiles.yml unless args name another folder (a later flag wins).
    const code = await runCli([args[0]!, '--project-dir', dir, '--profiles-dir', dir, '--debug', ...args.slice(1)], io.streams, env);
    const out = io.stdout.join('') + io.stderr.join('');
    return { code, out };
  }

  const recordPath = (dir: string) => join(dir, 'target', QUICK_START_FILE);
  const SENTINEL = new Date('2001-01-01T00:00:00Z');
  /**
   * Run a command and tell whether it took the quick start: it leaves the
   * record as it was (the full path writes it again) and logs the unchanged
   * path's line (a full parse does not).
   */
  async function timed(dir: string, args: string[], env: Record<string, string> = {}) {
    const had = existsSync(recordPath(dir));
    if (had) utimesSync(recordPath(dir), SENTINEL, SENTINEL);
    const r = await run(dir, args, env);
    const quick = had && existsSync(recordPath(dir)) && statSync(recordPath(dir)).mtimeMs === SENTINEL.getTime() && /brought up to date in place|selecting from the selection index/.test(r.out);
    return { ...r, quick };
  }

  /** Output lines that do not depend on the run: no clock times, no timings, no invocation. */
  const stable = (out: string) => out.split('\n').filter((l) => l.trim() !== '' && !/^\d\d:\d\d:\d\d/.test(l)).map((l) => l.replace(/parsed in [\d.]+s/, 'parsed in -s'));

  /** manifest.json of a full parse, with these args and env, of a copy of the project. */
  async function fullManifest(dir: string, args: string[] = [], env: Record<string, string> = {}): Promise<string> {
    const copy = mkdtempSync(join(tmpdir(), 'tsdbt-full-'));
    scratch.push(copy);
    cpSync(dir, copy, { recursive: true, filter: (src) => !src.includes('/target') });
    const r = await run(copy, ['parse', '--no-partial-parse', ...args], env);
    expect(r.code, r.out).toBe(0);
    return blankedArtifact(join(copy, 'target/manifest.json')).split(copy).join(dir);
  }

  /** A project whose quick start record is written: parse (racy files: no record), age, parse (full, unchanged: the record). */
  async function established(files: Record<string, string> = QUICK, args: string[] = [], env: Record<string, string> = {}): Promise<string> {
    const dir = makeProject(files);
    expect((await run(dir, ['parse', ...args], env)).code).toBe(0);
    age(dir);
    const second = await timed(dir, ['parse', ...args], env);
    expect(second.code, second.out).toBe(0);
    expect(second.quick).toBe(false);
    expect(existsSync(recordPath(dir))).toBe(true);
    return dir;
  }

  it('parse: the same output and artifacts as the full path, the project not loaded', async () => {
    const dir = await established();
    const full = await timed(dir, ['parse', '--no-partial-parse']);
    // --no-partial-parse wrote the manifest itself: one full-path unchanged parse records it again.
    expect((await timed(dir, ['parse'])).quick).toBe(false);
    const fullUnchanged = stable((await run(dir, ['parse'])).out);
    const quick = await timed(dir, ['parse']);
    expect(quick.code, quick.out).toBe(0);
    expect(quick.quick).toBe(true);
    expect(full.quick).toBe(false);
    expect(stable(quick.out)).toEqual(fullUnchanged);
    expect(quick.out).toContain("[WARNING]: profiles.yml:9: unknown field 'colour' in target 'dev'");
    expect(quick.out).toContain("Did not find matching node for patch with name 'no_such_model'");
    expect(quick.out).toContain('manifest.json brought up to date in place');
    await expectFullArtifacts(dir);
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullManifest(dir));
  });

  it('the same log lines, text and JSON, as the full path', async () => {
    const dir = await established();
    for (const format of [[], ['--log-format', 'json']]) {
      rmSync(join(dir, 'logs'), { recursive: true, force: true });
      const quick = await timed(dir, ['parse', ...format]);
      expect(quick.quick).toBe(true);
      const quickLog = readFileSync(join(dir, 'logs/dbt.log'), 'utf8');
      rmSync(join(dir, 'logs'), { recursive: true, force: true });
      rmSync(recordPath(dir));
      const full = await timed(dir, ['parse', ...format]);
      expect(full.quick).toBe(false);
      const fullLog = readFileSync(join(dir, 'logs/dbt.log'), 'utf8');
      const norm = (s: string) => s.replace(/\d\d:\d\d:\d\d(\.\d+)?/g, 'T').replace(/"ts":"[^"]*"/g, '"ts":"T"').replace(/"pid":\d+/g, '"pid":0').replace(/[\d.]+ seconds/g, 'N seconds').replace(/(parsed in |"elapsed":)[\d.]+/g, '$1N').replace(/"completed_at":"[^"]*"|at \d{4}-[^ ]+Z/g, 'AT').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'INVOCATION');
      expect(norm(quickLog)).toBe(norm(fullLog));
      expect(norm(quick.out)).toBe(norm(full.out));
    }
  });

  const invalidators: [string, (dir: string) => { args?: string[]; env?: Record<string, string> } | void][] = [
    ['a model edited', (dir) => writeFileSync(join(dir, 'models/marts/spine.sql'), "select date '2024-02-01' as date_day")],
    ['a model added', (dir) => writeFileSync(join(dir, 'models/added.sql'), 'select 1 as id')],
    ['a singular test deleted', (dir) => rmSync(join(dir, 'tests/assert_positive.sql'))],
    ['profiles.yml edited', (dir) => writeFileSync(join(dir, 'profiles.yml'), readFileSync(join(dir, 'profiles.yml'), 'utf8').replace('schema: other', 'schema: other2').replace("'QS_SCHEMA', 'main'", "'QS_SCHEMA', 'main2'"))],
    ['dbt_project.yml edited', (dir) => writeFileSync(join(dir, 'dbt_project.yml'), `${readFileSync(join(dir, 'dbt_project.yml'), 'utf8')}models:\n  +tags: [edited]\n`)],
    ['an env var the profile reads', () => ({ env: { QS_SCHEMA: 'elsewhere' } })],
    ['an env var a model reads', () => ({ env: { QS_MODEL: 'set' } })],
    ['a DBT_ENV_CUSTOM_ENV_ var', () => ({ env: { DBT_ENV_CUSTOM_ENV_TEAM: 'data' } })],
    ['--vars', () => ({ args: ['--vars', '{greeting: bye}'] })],
    ['--target', () => ({ args: ['--target', 'other'] })],
    ['DBT_TARGET', () => ({ env: { DBT_TARGET: 'other' } })],
    ['--profiles-dir elsewhere', (dir) => {
      const other = mkdtempSync(join(tmpdir(), 'tsdbt-profiles-'));
      scratch.push(other);
      writeFileSync(join(other, 'profiles.yml'), readFileSync(join(dir, 'profiles.yml'), 'utf8').replace("'QS_SCHEMA', 'main'", "'QS_SCHEMA', 'from_other_dir'"));
      return { args: ['--profiles-dir', other] };
    }],
    ['a package installed', (dir) => {
      mkdirSync(join(dir, 'dbt_packages/extra/models'), { recursive: true });
      writeFileSync(join(dir, 'dbt_packages/extra/dbt_project.yml'), 'name: extra\nversion: "1.0.0"\nconfig-version: 2\n');
      writeFileSync(join(dir, 'dbt_packages/extra/models/extra_model.sql'), 'select 1 as x');
    }],
    ['--no-partial-parse', () => ({ args: ['--no-partial-parse'] })],
    ['DBT_PARTIAL_PARSE=false', () => ({ env: { DBT_PARTIAL_PARSE: 'false' } })],
  ];
  for (const [name, change] of invalidators) {
    it(`${name}: not quick, and the artifacts equal a full parse's`, async () => {
      const dir = await established();
      const { args = [], env = {} } = change(dir) ?? {};
      const r = await timed(dir, ['parse', ...args], env);
      expect(r.code, r.out).toBe(0);
      expect(r.quick).toBe(false);
      expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullManifest(dir, args.filter((a) => a !== '--no-partial-parse'), env));
    });
  }

  it('right after a one-model edit (racily clean, vouched for by its hash): quick; the same size and time with other bytes is caught', async () => {
    const dir = await established();
    const spine = join(dir, 'models/marts/spine.sql');
    const now = Date.now() / 1000;
    writeFileSync(spine, "select date '2024-02-01' as date_day");
    utimesSync(spine, now, now);
    const edited = await timed(dir, ['parse']);
    expect(edited.code, edited.out).toBe(0);
    expect(edited.quick).toBe(false);
    // Recorded although the edited file's time is too recent to prove it unchanged by itself.
    expect(JSON.parse(readFileSync(recordPath(dir), 'utf8')).racy).toEqual([expect.objectContaining({ path: spine })]);
    const again = await timed(dir, ['parse']);
    expect(again.quick).toBe(true);
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullManifest(dir));
    // Same size, same time: only the hash tells.
    writeFileSync(spine, "select date '2024-03-01' as date_day");
    utimesSync(spine, now, now);
    const caught = await timed(dir, ['parse']);
    expect(caught.quick).toBe(false);
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toContain("2024-03-01");
    expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(await fullManifest(dir));
  });

  it('TSDBT_FAST_PATHS=0: not quick', async () => {
    const dir = await established();
    setFastPaths(false);
    const r = await timed(dir, ['parse']);
    expect(r.quick).toBe(false);
    expect(r.out).not.toContain('brought up to date in place');
    await expectFullArtifacts(dir);
  });

  it('a template that is not a function of its inputs (random) writes no record', async () => {
    const dir = makeProject({ ...QUICK, 'dbt_project.yml': 'name: test_project\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\nvars:\n  pick: "{{ [1, 2] | random }}"\nmodels:\n  +tags: ["{{ [\'a\', \'b\'] | random }}"]\n' });
    await run(dir, ['parse']);
    age(dir);
    await run(dir, ['parse']);
    await run(dir, ['parse']);
    expect(existsSync(recordPath(dir))).toBe(false);
  });

  it("dbt_project.yml's plain target-path: quick, in that folder; a target-path it cannot read plainly: the full path, the same artifacts", async () => {
    for (const [line, quickly] of [['target-path: "out"', true], ["target-path: \"{{ 'out' }}\"", false]] as const) {
      const dir = makeProject({ ...QUICK, 'dbt_project.yml': `name: test_project\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\n${line}\n` });
      await run(dir, ['parse']);
      age(dir);
      await run(dir, ['parse']);
      const record = join(dir, 'out', QUICK_START_FILE);
      expect(existsSync(record), line).toBe(true);
      utimesSync(record, SENTINEL, SENTINEL);
      const r = await run(dir, ['parse']);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain('brought up to date in place');
      expect(statSync(record).mtimeMs === SENTINEL.getTime(), line).toBe(quickly);
      expect(existsSync(join(dir, 'target')), line).toBe(false);
      const copy = mkdtempSync(join(tmpdir(), 'tsdbt-full-'));
      scratch.push(copy);
      cpSync(dir, copy, { recursive: true, filter: (src) => !src.includes('/out') });
      expect((await run(copy, ['parse', '--no-partial-parse'])).code).toBe(0);
      expect(blankedArtifact(join(dir, 'out/manifest.json'))).toBe(blankedArtifact(join(copy, 'out/manifest.json')).split(copy).join(dir));
    }
  });

  it('ls: the same lines and warnings as the full path, for every selector and output the index answers', async () => {
    const dir = await established();
    // The full path runs on a copy: an ls writes manifest.json, as dbt's does, and one without partial parsing leaves no
    // record of it, so the next ls here would take the full path once to write it again.
    const copy = mkdtempSync(join(tmpdir(), 'tsdbt-full-ls-'));
    scratch.push(copy);
    cpSync(dir, copy, { recursive: true });
    for (const args of [[], ['--output', 'name'], ['--select', '+orders'], ['--select', 'tag:daily'], ['--resource-type', 'all'], ['--select', 'stg_orders', '--indirect-selection', 'cautious']]) {
      const full = await run(copy, ['ls', ...args, '--no-partial-parse']);
      const quick = await timed(dir, ['ls', ...args]);
      expect(quick.code, quick.out).toBe(0);
      expect(quick.quick, args.join(' ')).toBe(true);
      expect(quick.out).toContain('selecting from the selection index');
      const body = (out: string) => stable(out).filter((l) => !/Partial parsing|Unable to do partial/.test(l));
      expect(body(quick.out), args.join(' ')).toEqual(body(full.out));
    }
    // A selector it cannot answer from the index, and an invalid one: the full path, as before.
    expect((await timed(dir, ['ls', '--select', 'config.enabled:true'])).quick).toBe(false);
    const bad = await timed(dir, ['ls', '--select', 'nosuchmethod:x']);
    expect(bad.quick).toBe(false);
    expect(bad.code).toBe(2);
  });
});

describe("ls writes manifest.json as parse does (dbt's ls loads its manifest through requires.manifest, which writes it)", () => {
  it('in a fresh project, with nothing changed (in place), after a model edit (spliced) and after a compile: a full parse\'s artifacts', async () => {
    const dir = makeProject(PROJECT);
    const first = await cli(dir, ['ls']);
    expect(first.code, first.out).toBe(0);
    expect(first.lines).toContain('test_project.marts.orders');
    await expectFullArtifacts(dir);
    // Nothing changed: selected from the index, manifest.json brought up to date in place (a new invocation, the same file).
    const before = metadata(dir);
    const ino = statSync(join(dir, 'target/manifest.json')).ino;
    const again = await cli(dir, ['ls']);
    expect(again.code, again.out).toBe(0);
    expect(again.indexed).toBe(true);
    expect(metadata(dir).invocation_id).not.toBe(before.invocation_id);
    expect(statSync(join(dir, 'target/manifest.json')).ino).toBe(ino);
    await expectFullArtifacts(dir);
    // A model edited: spliced into manifest.json and the cache, as parse splices it.
    const model = join(dir, 'models/marts/orders.sql');
    writeFileSync(model, `${readFileSync(model, 'utf8')}\n-- edited\n`);
    const edited = await cli(dir, ['ls']);
    expect(edited.code, edited.out).toBe(0);
    expect(edited.out).toContain('spliced into manifest.json and the parse cache');
    expect(readFileSync(join(dir, 'target/manifest.json'), 'utf8')).toContain('-- edited');
    await expectFullArtifacts(dir);
    // A compile rewrote manifest.json with its compiled code: ls writes the parse's manifest again, and parse then refreshes it.
    expect((await cli(dir, ['compile'])).code).toBe(0);
    const compiledNodes = () => Object.values((JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, object> }).nodes).filter((n) => 'compiled_code' in n).length;
    expect(compiledNodes()).toBeGreaterThan(0);
    const afterCompile = await cli(dir, ['ls']);
    expect(afterCompile.code, afterCompile.out).toBe(0);
    expect(compiledNodes()).toBe(0);
    await expectFullArtifacts(dir);
    expect((await cli(dir, ['parse'])).refreshed).toBe(true);
    await expectFullArtifacts(dir);
  });
});
