import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledManifestCopies } from '../../src/api/compiled-manifest.js';
import { cachedMapCopies } from '../../src/api/cached-nodes-source.js';
import { readSpliceMap, serialiseSpliceMap, writeEditedSpliceMap } from '../../src/api/splice-map.js';
import { JsonByteWriter, NotAsWritten, type WrittenValues } from '../../src/artifacts/json-byte-writer.js';
import { runCli } from '../../src/cli/main.js';
import { setWriteFaultForTests } from '../../src/util/atomic-write.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
import { captureStreams, makeProject, MEMORY_PROFILE } from '../support/project-fixture.js';
// @ts-expect-error: the bench's project generators are plain ES modules without types.
import { generateProject, generateRealisticProject } from '../../bench/generate-project.mjs';

async function cli(dir: string, args: string[]) {
  const io = captureStreams();
  const code = await runCli([...args, '--project-dir', dir, '--profiles-dir', dir], io.streams, {});
  return { code, out: io.stdout.join('') + io.stderr.join('') };
}

/** target/ file with generated_at and invocation_id blanked (the only bytes that may differ); run_results' timings too. */
function artifact(dir: string, file: string): string {
  const text = readFileSync(join(dir, 'target', file), 'utf8');
  return text
    .replace(/"generated_at": ?"[^"]*"/g, '"generated_at":"-"')
    .replace(/"invocation_id": ?"[^"]*"/g, '"invocation_id":"-"')
    .replace(/"(started_at|completed_at)": "[^"]*"/g, '"$1": "-"')
    .replace(/"(execution_time|elapsed_time)": [0-9.e-]+/g, '"$1": 0');
}

/**
 * `steps` (CLI commands) with the fast paths on, then off, from the same
 * target/ (`before`: what is done before the last step): the artifacts of each, the
 * exit codes, the last step's output, and how many manifests the fast run wrote by copying nodes.
 */
async function bothWays(dir: string, steps: string[][], before: (fast: boolean) => void = () => undefined) {
  const runs = [];
  for (const on of [true, false]) {
    rmSync(join(dir, 'target'), { recursive: true, force: true });
    setFastPaths(on);
    const copiedBefore = compiledManifestCopies();
    const mapsBefore = cachedMapCopies();
    const codes: number[] = [];
    let out = '';
    for (const [i, step] of steps.entries()) {
      if (i === steps.length - 1) before(on);
      const r = await cli(dir, step);
      codes.push(r.code);
      out = r.out.replace(/\d+\.\d+s/g, 'Ns').replace(/\d{2}:\d{2}:\d{2}/g, 'T').replace(/tmp-\d+-[0-9a-f]+/g, 'tmp');
    }
    let runResults: string | null = null;
    try {
      runResults = artifact(dir, 'run_results.json');
    } catch {
      // A failed compile writes none.
    }
    runs.push({ codes, out, manifest: artifact(dir, 'manifest.json'), runResults, copied: compiledManifestCopies() - copiedBefore });
    if (on) fastMaps = cachedMapCopies() - mapsBefore;
  }
  setFastPaths(true);
  const [fast, plain] = runs as [(typeof runs)[0], (typeof runs)[0]];
  return { fast, plain };
}

/** How many parent and child maps the last bothWays' fast run copied from the parse cache. */
let fastMaps = 0;

const memoryProfile = (dir: string) => writeFileSync(join(dir, 'profiles.yml'), MEMORY_PROFILE.replace('test_profile', 'bench'));

afterEach(() => {
  setFastPaths(true);
  setWriteFaultForTests(null);
});

describe("compile's manifest.json: nodes copied from the parse cache with the compiled members appended", () => {
  it('after a parse (the splice map says where the nodes are), with target/ removed (the cache just written), and for a selection', async () => {
    const dir = makeProject({});
    generateProject(dir, 12);
    memoryProfile(dir);
    for (const steps of [[['parse'], ['compile']], [['compile']], [['parse'], ['compile', '--select', 'model_3+']]]) {
      const { fast, plain } = await bothWays(dir, steps);
      expect(fast.codes.at(-1), steps.join(' ')).toBe(0);
      // The fast run copied (the plain one cannot); what it wrote is the plain run's, byte for byte.
      expect(fast.copied, steps.join(' ')).toBe(1);
      expect(plain.copied).toBe(0);
      expect(fast.manifest).toContain('"compiled_path":"target/compiled/bench/models/model_3.sql"}');
      expect(fast).toEqual({ ...plain, copied: 1 });
      // After a parse (its splice map), parent_map and child_map are copied too; a compile that wrote the cache copies nodes only.
      expect(fastMaps, steps.join(' ')).toBe(steps[0]![0] === 'parse' ? 2 : 0);
    }
  }, 120_000);

  it('on the realistic shape (ephemeral CTEs, sources, macros), with on-run hooks appended to the nodes', async () => {
    const dir = makeProject({});
    generateRealisticProject(dir, 30);
    memoryProfile(dir);
    const project = readFileSync(join(dir, 'dbt_project.yml'), 'utf8');
    writeFileSync(join(dir, 'dbt_project.yml'), `${project}\non-run-start: ["select 1"]\n`);
    const { fast, plain } = await bothWays(dir, [['parse'], ['compile']]);
    expect(fast.codes).toEqual([0, 0]);
    expect(fast.manifest).toContain('"operation.realistic.realistic-on-run-start-0"');
    expect(fast.copied).toBe(1);
    expect({ ...fast, copied: 0 }).toEqual(plain);
  }, 120_000);

  it('a template that changes its node (model.meta.update) writes the changed node, as the plain path does', async () => {
    const dir = makeProject({
      'models/a.sql': "{{ config(meta={'k': 1}) }}{% if execute %}{% do model.meta.update({'changed': 'at compile'}) %}{% endif %}select 1 as id",
      'models/b.sql': "select * from {{ ref('a') }}",
    }, 'fixture');
    const { fast, plain } = await bothWays(dir, [['parse'], ['compile']]);
    expect(fast.codes).toEqual([0, 0]);
    expect(fast.copied).toBe(0);
    expect(fast.manifest).toContain('"changed":"at compile"');
    expect(fast).toEqual(plain);
  }, 60_000);

  it('a node that fails to compile: the same located error and exit code, and the same manifest (nodes after it not compiled)', async () => {
    const dir = makeProject({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select * from {{ ref('a') }}",
      'models/c.sql': "select {% if execute %}{{ exceptions.raise_compiler_error('c cannot compile') }}{% endif %} 1 from {{ ref('b') }}",
      'models/d.sql': "select * from {{ ref('c') }}",
    }, 'fixture');
    const { fast, plain } = await bothWays(dir, [['parse'], ['compile']]);
    expect(fast.codes).toEqual([0, 2]);
    expect(fast.out).toContain('models/c.sql');
    expect(fast.out).toContain('c cannot compile');
    expect(fast.runResults).toBeNull();
    expect(fast.manifest).toContain('"compiled_path":"target/compiled/fixture/models/b.sql"}');
    expect(fast.manifest).not.toContain('"compiled_path":"target/compiled/fixture/models/d.sql"');
    expect(fast.copied).toBe(1);
    expect({ ...fast, copied: 0 }).toEqual(plain);
  }, 60_000);

  it('a compiled file that cannot be written: its node is an error without compiled members, in both ways', async () => {
    const dir = makeProject({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select * from {{ ref('a') }}",
    }, 'fixture');
    const { fast, plain } = await bothWays(dir, [['parse'], ['compile']], () => setWriteFaultForTests('models/b.sql'));
    expect(fast.codes).toEqual([0, 2]);
    expect(fast.manifest).toContain('"compiled_path":"target/compiled/fixture/models/a.sql"}');
    expect(fast.manifest).not.toContain('"compiled_path":"target/compiled/fixture/models/b.sql"');
    expect({ ...fast, copied: 0 }).toEqual({ ...plain, copied: 0 });
  }, 60_000);

  it('run_results.json that cannot be written (made while the compiled files are finished): the same error and exit code both ways', async () => {
    const dir = makeProject({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select * from {{ ref('a') }}",
    }, 'fixture');
    const { fast, plain } = await bothWays(dir, [['parse'], ['compile']], () => setWriteFaultForTests('run_results.json'));
    expect(fast.codes[1]).not.toBe(0);
    expect(fast.out).toContain('run_results.json');
    expect(fast.runResults).toBeNull();
    expect(readFileSync(join(dir, 'target/compiled/fixture/models/b.sql'), 'utf8')).toBe('select * from "memory"."main"."a"');
    expect({ ...fast, copied: 0 }).toEqual({ ...plain, copied: 0 });
  }, 60_000);

  it('a splice map whose spans do not match the cache (all moved by a byte) is not used: the manifest is serialised', async () => {
    const dir = makeProject({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select * from {{ ref('a') }}",
    }, 'fixture');
    const { fast, plain } = await bothWays(dir, [['parse'], ['compile']], (on) => {
      if (!on) return;
      const target = join(dir, 'target');
      const header = readFileSync(join(target, 'partial_parse.json'), 'utf8').split('\n', 1)[0]!;
      const map = readSpliceMap(target, (JSON.parse(header) as { id: string }).id)!;
      writeEditedSpliceMap(target, serialiseSpliceMap(map.cache, map.manifest, map.editedParts([], 1, [])));
    });
    expect(fast.codes).toEqual([0, 0]);
    expect(fast.copied).toBe(0);
    expect(fast).toEqual(plain);
  }, 60_000);

  it("copying proves each member's key: bytes that hold another key where a span says throw NotAsWritten", () => {
    const file = Buffer.from('{"a":{"x":1}  ,"b":{"y":2} }');
    const keys = ['a', 'c'];
    const at = [file.indexOf('{"x"'), file.indexOf(',"b"'), file.indexOf('{"y"'), file.length - 1];
    const write = (proveKeys: boolean) => {
      const chunks: Buffer[] = [];
      const written: WrittenValues = {
        read: (from, length, into) => {
          file.copy(into, 0, from, from + length);
          return into;
        },
        find: (path) => (path === 'nodes' ? { start: 0, end: file.length, padded: { keys, at }, members: { proveKeys, extra: (k) => (k === 'a' ? ',"z":3' : undefined) } } : undefined),
      };
      const out = new JsonByteWriter((b) => chunks.push(Buffer.from(b)), undefined, undefined, { written });
      out.json({ nodes: {} }, 2);
      out.flush();
      return Buffer.concat(chunks).toString();
    };
    // Unproved, the bytes are copied as they are (padding dropped, the extra members appended).
    expect(write(false)).toBe('{"nodes":{"a":{"x":1,"z":3},"b":{"y":2}}}');
    expect(() => write(true)).toThrow(NotAsWritten);
  });

  it('proves keys JSON.stringify escapes or writes as multi-byte UTF-8 (a node named in non-ASCII), and refuses a key one byte off', () => {
    const copy = (bytes: string, keys: string[]) => {
      const file = Buffer.from(bytes);
      const spans = keys.flatMap((k, i) => {
        const lead = Buffer.from(`${i === 0 ? '{' : ','}${JSON.stringify(k)}:`);
        const start = file.indexOf(lead) + lead.length;
        // Each span ends in its padding (two spaces), as the parse cache's nodes do.
        return [start, file.indexOf('}', start) + 3];
      });
      const chunks: Buffer[] = [];
      const written: WrittenValues = {
        read: (from, length, into) => {
          file.copy(into, 0, from, from + length);
          return into;
        },
        find: (path) => (path === 'nodes' ? { start: 0, end: file.length, padded: { keys, at: spans }, members: { proveKeys: true } } : undefined),
      };
      const out = new JsonByteWriter((b) => chunks.push(Buffer.from(b)), undefined, undefined, { written });
      out.json({ nodes: {} }, 2);
      out.flush();
      return Buffer.concat(chunks).toString();
    };
    const keys = ['model.p.café', 'model.p.a"b\\c', 'model.p.😀', 'model.p.plain'];
    const text = `{${keys.map((k) => `${JSON.stringify(k)}:{"n":1}  `).join(',')}}`;
    expect(copy(text, keys)).toBe(`{"nodes":{${keys.map((k) => `${JSON.stringify(k)}:{"n":1}`).join(',')}}}`);
    // The same number of characters, other bytes: é (2 bytes) where the key has e, or e where it has é.
    expect(() => copy(text.replace('café', 'cafe'), keys)).toThrow(NotAsWritten);
    expect(() => copy(text, keys.map((k) => k.replace('café', 'cafe')))).toThrow(NotAsWritten);
    expect(() => copy(text.replace('plain', 'plaim'), keys)).toThrow(NotAsWritten);
  });
});
