import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_HEAD, BUNDLE_TAIL, CACHES_KEPT, builtCodeCacheFile, bundleText, codeCacheDir, codeCacheFile, wrappedBundle } from '../../src/cli/code-cache.js';
import { makeProject } from '../support/project-fixture.js';

const REPO = join(__dirname, '../..');
const LOADER = join(REPO, 'dist/cli/code-cache.js');
const BIN = join(REPO, 'bin/tsdbt.js');
const scratch = mkdtempSync(join(tmpdir(), 'tsdbt-code-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A CommonJS "bundle" as scripts/bundle.mjs writes cli.cjs: strict, a package's import() through __tsdbtImport, functions V8 compiles lazily. */
const BUNDLE = [
  '"use strict";',
  'exports.answer = () => [1, 2, 3].map((n) => n * 14).reduce((a, b) => a + b) / 2;',
  'exports.strict = function () { return this === undefined; };',
  // chalk: an ES module only, as the CLI imports it (no require() of it on Node 20).
  "exports.dynamic = async () => (await __tsdbtImport('node:path')).posix.join('a', typeof (await __tsdbtImport('chalk')).Chalk);",
].join('\n');

/** Runs `bundle` through dist/cli/code-cache.js in a fresh process (the cache is written at its exit): the note, then what the bundle answered. */
function load(bundle: string, env: Record<string, string>, make = false): string[] {
  if (!existsSync(LOADER)) throw new Error('build dist first: npm run build');
  const script = make
    ? `const { makeCodeCache } = await import(${JSON.stringify(pathToFileURL(LOADER).href)});\nconsole.log(await makeCodeCache(${JSON.stringify(bundle)}, async (x) => { x.answer(); x.strict(); await x.dynamic(); }));`
    : [
        `const { loadWithCodeCache, codeCacheNote } = await import(${JSON.stringify(pathToFileURL(LOADER).href)});`,
        `const load = loadWithCodeCache(${JSON.stringify(bundle)}, ['parse', '--debug'], process.env);`,
        'console.log(codeCacheNote(load));',
        'const { answer, strict, dynamic } = load.exports;',
        'console.log(answer(), strict(), await dynamic());',
      ].join('\n');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, TSDBT_CODE_CACHE: '', NODE_DISABLE_COMPILE_CACHE: '', ...env } });
  expect(r.stderr).toBe('');
  return r.stdout.trim().split('\n');
}

function freshBundle(): { bundle: string; dir: string } {
  const root = mkdtempSync(join(scratch, 'b-'));
  const bundle = join(root, 'cli.cjs');
  writeFileSync(bundle, BUNDLE);
  return { bundle, dir: join(root, 'cache') };
}

describe('the code cache folder and file (src/cli/code-cache.ts)', () => {
  it('is TSDBT_CODE_CACHE_DIR, else $XDG_CACHE_HOME/tsdbt, else ~/.cache/tsdbt; none with TSDBT_CODE_CACHE=0 or NODE_DISABLE_COMPILE_CACHE=1', () => {
    expect(codeCacheDir({ TSDBT_CODE_CACHE_DIR: '/x/y', XDG_CACHE_HOME: '/xdg' })).toBe('/x/y');
    expect(codeCacheDir({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/tsdbt');
    expect(codeCacheDir({})).toBe(join(homedir(), '.cache', 'tsdbt'));
    expect(codeCacheDir({ TSDBT_CODE_CACHE: '0', TSDBT_CODE_CACHE_DIR: '/x/y' })).toBeUndefined();
    expect(codeCacheDir({ NODE_DISABLE_COMPILE_CACHE: '1' })).toBeUndefined();
  });

  it('has one file a command, named for the bundle as built: another build of it (size or time) is another file', () => {
    const { bundle } = freshBundle();
    const parse = codeCacheFile('/c', bundle, ['--debug', 'parse', '--select', 'x']);
    expect(parse).toMatch(/^\/c\/cli-[0-9a-f]{16}-parse\.v8cache$/);
    expect(codeCacheFile('/c', bundle, ['run'])).toBe(parse.replace('-parse.', '-run.'));
    expect(codeCacheFile('/c', bundle, ['--project-dir', 'somewhere'])).toBe(parse.replace('-parse.', '-other.'));
    utimesSync(bundle, new Date('2020-01-01'), new Date('2020-01-01'));
    expect(codeCacheFile('/c', bundle, ['parse'])).not.toBe(parse);
    expect(builtCodeCacheFile('/p/dist/bundle/cli.cjs')).toBe('/p/dist/bundle/cli.v8cache');
  });
});

describe('loading a bundle through the code cache (src/cli/code-cache.ts)', () => {
  it('reads an ASCII bundle as latin1 and any other as UTF-8: the same text either way', () => {
    const ascii = '"use strict";\nexports.a = "x\\u00b7y"; // plain\n';
    expect(bundleText(Buffer.from(ascii, 'utf8'))).toBe(ascii);
    const other = '"use strict";\n// a \u2192 b, Stra\u00dfe\nexports.a = /\u00df/.test("\u00df");\n';
    expect(bundleText(Buffer.from(other, 'utf8'))).toBe(other);
    expect(bundleText(Buffer.from(other, 'utf8'))).not.toBe(Buffer.from(other, 'utf8').toString('latin1'));
  });

  it('runs a bundle written inside its function (as scripts/bundle.mjs writes cli.cjs) as it is, with and without its cache', () => {
    expect(wrappedBundle('exports.a = 1;')).toBe(`${BUNDLE_HEAD}exports.a = 1;${BUNDLE_TAIL}`);
    expect(wrappedBundle(wrappedBundle('exports.a = 1;'))).toBe(wrappedBundle('exports.a = 1;'));
    const { bundle, dir } = freshBundle();
    writeFileSync(bundle, wrappedBundle(BUNDLE));
    const file = codeCacheFile(dir, bundle, ['parse']);
    expect(load(bundle, { TSDBT_CODE_CACHE_DIR: dir })).toEqual([`Code cache: none yet (written at exit): ${file}`, '42 true a/function']);
    expect(load(bundle, { TSDBT_CODE_CACHE_DIR: dir })).toEqual([`Code cache: used: ${file}`, '42 true a/function']);
  });

  it('runs a bundle that is not ASCII as it is written (UTF-8), with and without its cache', () => {
    const { bundle, dir } = freshBundle();
    writeFileSync(bundle, `${BUNDLE}\n// caf\u00e9 \u2192 \u{1F600}\nexports.answer = () => ['\u00b7', /\u00df/.source, \`\u2026\`].join('') + ' ' + String.raw\`\u00e9\`;\n`);
    const first = load(bundle, { TSDBT_CODE_CACHE_DIR: dir });
    expect(first[1]).toBe('\u00b7\u00df\u2026 \u00e9 true a/function');
    const again = load(bundle, { TSDBT_CODE_CACHE_DIR: dir });
    expect(again[0]).toMatch(/^Code cache: used: /);
    expect(again[1]).toBe(first[1]);
  });

  it('writes the cache when the first run exits and hands it to V8 after: the bundle runs the same, strict, with import()', () => {
    const { bundle, dir } = freshBundle();
    const file = codeCacheFile(dir, bundle, ['parse']);
    expect(load(bundle, { TSDBT_CODE_CACHE_DIR: dir })).toEqual([`Code cache: none yet (written at exit): ${file}`, '42 true a/function']);
    expect(existsSync(file)).toBe(true);
    expect(load(bundle, { TSDBT_CODE_CACHE_DIR: dir })).toEqual([`Code cache: used: ${file}`, '42 true a/function']);
  });

  it('writes a cache V8 rejects again (another Node, a damaged file), and uses the new one', () => {
    const { bundle, dir } = freshBundle();
    const file = codeCacheFile(dir, bundle, ['parse']);
    load(bundle, { TSDBT_CODE_CACHE_DIR: dir });
    writeFileSync(file, Buffer.alloc(readFileSync(file).length, 7));
    expect(load(bundle, { TSDBT_CODE_CACHE_DIR: dir })).toEqual([`Code cache: rejected by V8 (written again at exit): ${file}`, '42 true a/function']);
    expect(load(bundle, { TSDBT_CODE_CACHE_DIR: dir })).toEqual([`Code cache: used: ${file}`, '42 true a/function']);
  });

  it('uses the cache built beside the bundle (makeCodeCache) and writes none of its own', () => {
    const { bundle, dir } = freshBundle();
    expect(load(bundle, {}, true)).toEqual([join(bundle, '../cli.v8cache')]);
    expect(load(bundle, { TSDBT_CODE_CACHE_DIR: dir })).toEqual([`Code cache: used: ${join(bundle, '../cli.v8cache')}`, '42 true a/function']);
    expect(existsSync(dir)).toBe(false);
    // A bundle written after its cache (edited by hand, say, to the same length) is never given it.
    writeFileSync(bundle, BUNDLE.replace('n * 14', 'n * 15'));
    utimesSync(bundle, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
    expect(load(bundle, { TSDBT_CODE_CACHE_DIR: dir })).toEqual([`Code cache: none yet (written at exit): ${codeCacheFile(dir, bundle, ['parse'])}`, '45 true a/function']);
  });

  it('neither reads nor writes a cache in a folder others may write to', () => {
    const { bundle, dir } = freshBundle();
    const file = codeCacheFile(dir, bundle, ['parse']);
    load(bundle, { TSDBT_CODE_CACHE_DIR: dir });
    chmodSync(dir, 0o777);
    expect(load(bundle, { TSDBT_CODE_CACHE_DIR: dir })[0]).toBe(`Code cache: none yet (written at exit): ${file}`);
    rmSync(file);
    load(bundle, { TSDBT_CODE_CACHE_DIR: dir });
    expect(existsSync(file)).toBe(false);
  });

  it(`keeps the ${CACHES_KEPT} caches last written in its folder`, () => {
    const { bundle, dir } = freshBundle();
    mkdirSync(dir, { mode: 0o700 });
    const old = Array.from({ length: CACHES_KEPT + 3 }, (_, i) => join(dir, `cli-${String(i).padStart(16, '0')}-run.v8cache`));
    old.forEach((f, i) => {
      writeFileSync(f, 'x');
      utimesSync(f, new Date(2020, 0, 1 + i), new Date(2020, 0, 1 + i));
    });
    writeFileSync(join(dir, 'notes.txt'), 'kept');
    load(bundle, { TSDBT_CODE_CACHE_DIR: dir });
    const left = readdirSync(dir).sort();
    expect(left).toHaveLength(CACHES_KEPT + 1);
    expect(left).toContain('notes.txt');
    expect(left).toContain(codeCacheFile(dir, bundle, ['parse']).slice(dir.length + 1));
    for (const f of old.slice(0, 4)) expect(left).not.toContain(f.slice(dir.length + 1));
  });
});

/**
 * The repository's dist/bundle as it stands when its built cache is current
 * (no older than cli.cjs): tests/packaging/pack-install.test.ts runs `npm run
 * build` while other files' tests run, and between the bundle's rewrite and
 * scripts/warm-code-cache.mjs's new cache there is none. Waits out such a
 * rebuild (at most 3 minutes); returns the bundle's time, to tell whether one
 * began meanwhile.
 */
function currentBuild(): number {
  const bundle = join(REPO, 'dist/bundle/cli.cjs');
  const cache = join(REPO, 'dist/bundle/cli.v8cache');
  const until = Date.now() + 180_000;
  for (;;) {
    const b = statSync(bundle, { throwIfNoEntry: false })?.mtimeMs;
    const c = statSync(cache, { throwIfNoEntry: false })?.mtimeMs;
    if (b !== undefined && c !== undefined && c >= b) return b;
    if (Date.now() > until) throw new Error('build first: npm run build (scripts/warm-code-cache.mjs makes dist/bundle/cli.v8cache)');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  }
}

describe('bin/tsdbt.js and the code cache', () => {
  const tsdbt = (dir: string, args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [BIN, ...args, '--project-dir', dir, '--profiles-dir', dir, '--debug'], { encoding: 'utf8', env: { ...process.env, TSDBT_CODE_CACHE_DIR: join(scratch, 'user'), ...env } });
  const note = (out: string) => out.split('\n').find((l) => l.includes('Code cache'))?.replace(/^\d\d:\d\d:\d\d\s+/, '') ?? null;

  /** The commands' notes and what the assertions read, on a fresh project; again if the bundle was rebuilt meanwhile (see currentBuild). */
  function runAll() {
    for (;;) {
      rmSync(join(scratch, 'user'), { recursive: true, force: true });
      const before = currentBuild();
      const dir = makeProject({ 'models/a.sql': 'select 1 as id', 'models/b.sql': "select * from {{ ref('a') }}" });
      const first = tsdbt(dir, ['parse']);
      const quick = tsdbt(dir, ['parse']);
      const full = tsdbt(dir, ['parse', '--no-partial-parse']);
      const compile = tsdbt(dir, ['compile']);
      const off = tsdbt(dir, ['compile'], { TSDBT_CODE_CACHE: '0' });
      if (currentBuild() === before) return { first, quick, full, compile, off };
    }
  }

  it('runs dist/bundle/cli.cjs with the cache `npm run build` made, except where a quick start is likely or it is off', () => {
    const built = `Code cache: used: ${join(REPO, 'dist/bundle/cli.v8cache')}`;
    const { first, quick, full, compile, off } = runAll();
    expect(first.status).toBe(0);
    expect(note(first.stdout)).toBe(built);
    // A parse cache is there: the ES modules, which load only the quick start's few, and take cli.cjs's cache as theirs (one build).
    expect(note(quick.stdout)).toBeNull();
    expect(quick.stdout).toContain('Partial parsing: nothing changed');
    expect(note(full.stdout)).toBe(built);
    expect(note(compile.stdout)).toBe(built);
    expect(off.status).toBe(0);
    expect(note(off.stdout)).toBeNull();
    expect(existsSync(join(scratch, 'user'))).toBe(false);
  });
});
