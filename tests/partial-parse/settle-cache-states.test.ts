import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PARSE_CACHE_FILE, type ParseCacheHeader } from '../../src/api/parse-cache.js';
import { runCli } from '../../src/cli/main.js';
import { racyRows } from '../../src/util/file-states.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

const PROJECT: Record<string, string> = {
  'models/a.sql': 'select 1 as id',
  'models/b.sql': "select id from {{ ref('a') }}",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        tests: [not_null]\n',
  'macros/m.sql': '{% macro m() %}1{% endmacro %}',
};

afterEach(() => setFastPaths(true));

async function cli(dir: string, args: string[]) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir, '--profiles-dir', dir], io.streams, {});
  return { code, out: io.stdout.join('') + io.stderr.join('') };
}

/** The parse cache's header and the bytes after it. */
function cacheOf(dir: string): { header: ParseCacheHeader; rest: Buffer } {
  const bytes = readFileSync(join(dir, 'target', PARSE_CACHE_FILE));
  const nl = bytes.indexOf(0x0a);
  return { header: JSON.parse(bytes.subarray(0, nl).toString('utf8')) as ParseCacheHeader, rest: bytes.subarray(nl) };
}

/** Every input file's time set `ms` from now: an hour back, same bytes, is nothing changed and old enough to be vouched for. */
function touch(dir: string, ms: number): void {
  const when = new Date(Date.now() + ms);
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'target' || e.name === 'logs') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else utimesSync(p, when, when);
    }
  };
  walk(dir);
}

describe('input files too new to vouch for when the parse cache was written', () => {
  for (const command of [['compile'], ['parse'], ['ls']]) {
    it(`${command[0]} with nothing changed writes their states into the header in place: same id, same body, none left to hash again`, async () => {
      const dir = makeProject(PROJECT);
      // Newer than the parse (however long it takes to start): too new to vouch for.
      touch(dir, 60_000);
      expect((await cli(dir, ['parse'])).code).toBe(0);
      const before = cacheOf(dir);
      // Just written: the project's files are within the racy window of the cache's states (tsdbt's own macros are not).
      const racy = racyRows(before.header.files, before.header.statesAt).map((i) => before.header.files.paths[i]!);
      expect(racy.map((p) => p.slice(dir.length + 1)).sort()).toEqual(['dbt_project.yml', 'macros/m.sql', 'models/a.sql', 'models/b.sql', 'models/schema.yml']);
      touch(dir, -3_600_000);
      const r = await cli(dir, command);
      expect(r.code, r.out).toBe(0);
      const after = cacheOf(dir);
      expect(after.header.id).toBe(before.header.id);
      expect(after.rest.equals(before.rest)).toBe(true);
      expect(after.header.files.paths).toEqual(before.header.files.paths);
      expect(after.header.files.hash).toEqual(before.header.files.hash);
      expect(after.header.statesAt).toBeGreaterThan(before.header.statesAt);
      expect(racyRows(after.header.files, after.header.statesAt)).toEqual([]);
      // The next command trusts them by size and time, and still sees a real change.
      writeFileSync(join(dir, 'models/a.sql'), 'select 2 as id');
      expect((await cli(dir, ['compile', '--select', 'a'])).code).toBe(0);
      expect(readFileSync(join(dir, 'target/compiled/test_project/models/a.sql'), 'utf8')).toBe('select 2 as id');
    });
  }

  it('with the fast paths off (TSDBT_FAST_PATHS=0) the header is left as written', async () => {
    const dir = makeProject(PROJECT);
    touch(dir, 60_000);
    expect((await cli(dir, ['parse'])).code).toBe(0);
    const before = readFileSync(join(dir, 'target', PARSE_CACHE_FILE));
    touch(dir, -3_600_000);
    setFastPaths(false);
    expect((await cli(dir, ['compile'])).code).toBe(0);
    expect(readFileSync(join(dir, 'target', PARSE_CACHE_FILE)).equals(before)).toBe(true);
  });

  it('a changed file is no settling: the cache is written anew by the partial parse', async () => {
    const dir = makeProject(PROJECT);
    expect((await cli(dir, ['parse'])).code).toBe(0);
    const before = cacheOf(dir);
    touch(dir, -3_600_000);
    writeFileSync(join(dir, 'macros/m.sql'), '{% macro m() %}2{% endmacro %}');
    expect((await cli(dir, ['parse'])).code).toBe(0);
    expect(cacheOf(dir).header.id).not.toBe(before.header.id);
  });
});
