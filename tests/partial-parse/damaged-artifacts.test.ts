import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PARSE_CACHE_FILE } from '../../src/api/parse-cache.js';
import { QUICK_START_FILE } from '../../src/api/quick-start.js';
import { SPLICE_MAP_FILE } from '../../src/api/splice-map.js';
import { WRITTEN_ARTIFACTS_FILE } from '../../src/api/written-artifacts.js';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';
import { datedWriter } from '../support/dated-files.js';
import { blankedArtifact } from '../support/blanked-artifact.js';

/**
 * manifest.json, the parse cache and its side files are renamed into place
 * whole but not fsync'd (util/README.md): after a power cut one of them may be
 * cut short, empty or (on a file system that keeps the size and not the
 * data) garbage. Whatever the damage, the next `parse` (nothing changed, or
 * one model changed: the quick start, the unchanged path, the splice) writes
 * the manifest.json a `--no-partial-parse` parse writes, byte for byte but
 * for generated_at and invocation_id, `ls` lists what it lists, and the parse
 * after that is as good.
 */
const PROJECT: Record<string, string> = {
  'dbt_project.yml': 'name: dm\nversion: "1.0.0"\nconfig-version: 2\nprofile: test_profile\nmodels:\n  dm:\n    +materialized: view\n',
  'macros/cents.sql': '{% macro cents(col) %}({{ col }} * 100){% endmacro %}\n',
  'models/base_a.sql': 'select 1 as id, 2 as amount\n',
  'models/base_b.sql': "{{ config(tags=['b']) }}\nselect 2 as id, 3 as amount\n",
  'models/mid.sql': "select id, {{ cents('amount') }} as c from {{ ref('base_a') }}\nunion all\nselect id, amount from {{ ref('base_b') }}\n",
  'models/top.sql': "{{ config(materialized='table') }}\nselect * from {{ ref('mid') }}\n",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: mid\n    columns:\n      - name: id\n        tests: [not_null, unique]\n',
  'tests/assert_mid.sql': "select * from {{ ref('mid') }} where id < 0\n",
};

const scratch: string[] = [];
afterEach(() => {
  for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Writes a file dated in the past (unchanged files are then trusted on stat). */
const put = datedWriter();

function project(): string {
  const dir = makeProject({});
  for (const [rel, text] of Object.entries(PROJECT)) put(dir, rel, text);
  return dir;
}

async function cli(dir: string, args: string[]) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir, '--profiles-dir', dir, '--debug'], io.streams, {});
  const out = io.stdout.join('') + io.stderr.join('');
  return { code, out, spliced: out.includes('spliced into manifest.json and the parse cache') };
}

/** `ls`'s standard output (no debug lines). */
async function ls(dir: string): Promise<string> {
  const io = captureStreams();
  expect(await runCli(['ls', '--project-dir', dir, '--profiles-dir', dir], io.streams, {})).toBe(0);
  return io.stdout.join('');
}

/** A `--no-partial-parse` parse of a copy of the project as it is now: its manifest.json (with the project's paths) and `ls`. */
async function fullParse(dir: string): Promise<{ manifest: string; ls: string }> {
  const copy = mkdtempSync(join(tmpdir(), 'tsdbt-full-'));
  scratch.push(copy);
  cpSync(dir, copy, { recursive: true, filter: (src) => !src.includes('/target') });
  const r = await cli(copy, ['parse', '--no-partial-parse']);
  expect(r.code, r.out).toBe(0);
  const listed = await ls(copy);
  return { manifest: blankedArtifact(join(copy, 'target/manifest.json')).split(copy).join(dir), ls: listed.split(copy).join(dir) };
}

const read = (dir: string, rel: string) => readFileSync(join(dir, rel), 'utf8');

/** What a power cut may leave of a file written without fsync. */
const DAMAGE: [string, (path: string) => void][] = [
  ['cut short', (p) => writeFileSync(p, readFileSync(p).subarray(0, Math.floor(readFileSync(p).length / 2)))],
  ['cut short by one byte', (p) => writeFileSync(p, readFileSync(p).subarray(0, readFileSync(p).length - 1))],
  ['zero-length', (p) => writeFileSync(p, '')],
  ['garbage bytes of the same length', (p) => {
    const n = readFileSync(p).length;
    writeFileSync(p, Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + 7) % 256)));
  }],
  ['zeros of the same length', (p) => writeFileSync(p, Buffer.alloc(readFileSync(p).length))],
  ['its first line kept, the rest garbage', (p) => {
    const bytes = Buffer.from(readFileSync(p));
    const eol = bytes.indexOf(10);
    for (let i = eol + 1; i < bytes.length; i += 7) bytes[i] = 0xff;
    writeFileSync(p, bytes);
  }],
];

const FILES = [PARSE_CACHE_FILE, SPLICE_MAP_FILE, QUICK_START_FILE, WRITTEN_ARTIFACTS_FILE, 'partial_parse.folders.json', 'manifest.json'];

describe('a damaged manifest.json, parse cache or side file: the next parse writes a full parse\'s manifest.json', () => {
  it('the files this covers are the ones a parse writes', async () => {
    const dir = project();
    expect((await cli(dir, ['parse'])).code).toBe(0);
    expect((await cli(dir, ['parse'])).code).toBe(0);
    for (const f of FILES) expect(existsSync(join(dir, 'target', f)), f).toBe(true);
  });

  for (const file of FILES) {
    for (const [damage, spoil] of DAMAGE) {
      for (const changed of [false, true]) {
        it(`${file} ${damage}, then ${changed ? 'one model changed' : 'nothing changed'}`, async () => {
          const dir = project();
          // A cache, then a parse with nothing changed (the quick start record and the rest written), then a splice.
          expect((await cli(dir, ['parse'])).code).toBe(0);
          expect((await cli(dir, ['parse'])).code).toBe(0);
          put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- first\n`);
          expect((await cli(dir, ['parse'])).spliced).toBe(true);
          const path = join(dir, 'target', file);
          // The damaged file keeps its times to the nanosecond (as a file system keeping an inode and not its data
          // would), so no check may lean on a changed mtime: only its size, when that changed, or its bytes tell.
          copyFileSync(path, `${path}.times`);
          execFileSync('touch', ['-r', path, `${path}.times`]);
          spoil(path);
          execFileSync('touch', ['-r', `${path}.times`, path]);
          rmSync(`${path}.times`);
          if (changed) put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- second\n`);
          const r = await cli(dir, ['parse']);
          expect(r.code, r.out).toBe(0);
          const full = await fullParse(dir);
          expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(full.manifest);
          expect(await ls(dir)).toBe(full.ls);
          // And the parses after it: nothing changed, then one model changed.
          expect((await cli(dir, ['parse'])).code).toBe(0);
          expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe(full.manifest);
          put(dir, 'models/mid.sql', `${read(dir, 'models/mid.sql')}-- third\n`);
          expect((await cli(dir, ['parse'])).code).toBe(0);
          expect(blankedArtifact(join(dir, 'target/manifest.json'))).toBe((await fullParse(dir)).manifest);
        });
      }
    }
  }
});
