import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBodyInPieces } from '../../src/api/lazy-cache-body.js';
import { loadProject } from '../../src/api/load-project.js';
import { openParseCache, parseCacheKey, PARSE_CACHE_FILE, type ParseCacheBody } from '../../src/api/parse-cache.js';
import { parseLoaded, writeParseArtifacts } from '../../src/api/parse-phase.js';
import { manifestIdentity, readSpliceMap, serialiseSpliceMap, writeEditedSpliceMap } from '../../src/api/splice-map.js';
import type { Manifest } from '../../src/manifest/types.js';
import { makeProject } from '../support/project-fixture.js';

/**
 * The coordinator reads a parse cache's nodes one by one where `parse`'s
 * splice map says they are (api/lazy-cache-body.ts readBodyInPieces). Read
 * that way, the body equals the body read whole, ref locations included,
 * also for a node whose `meta` has another node's id as a key and SQL
 * holding a key's text; a map whose spans are not the cache's gives no body
 * (the caller reads it whole).
 */
const FILES: Record<string, string> = {
  'models/a.sql': "{{ config(meta={'x': {'y': 1}, 'model.pieces.b': {'z': 2}}) }}\nselect 1 as id\n",
  'models/b.sql': "select * from {{ ref('a') }}\n\n  join {{ ref('a') }} using (id) -- \"model.pieces.c\": {}\n",
  'models/c.sql': `select '${' '.repeat(40)},"model.pieces.d":' as s, 1 as id, 'é ü' as u\n`,
  'models/d.sql': "select * from {{ ref('c') }}\n",
  'models/off/e.sql': "{{ config(enabled=false) }}\nselect * from {{ ref('b') }}\n",
  'tests/singular.sql': "select * from {{ ref('b') }} where id < 0\n",
  'models/schema.yml': [
    'version: 2',
    'models:',
    '  - name: b',
    '    columns:',
    '      - name: id',
    "        data_tests: [unique, not_null, {relationships: {to: \"ref('a')\", field: id}}]",
    '',
  ].join('\n'),
};

/** The manifest as JSON, with each ref call's (non-enumerable) location. */
function dump(m: Manifest): string {
  const at = (n: unknown) => ((n as { refs?: { at?: { file: string; line: number } }[] }).refs ?? []).map((r) => r.at && [r.at.file, r.at.line]);
  return JSON.stringify({ manifest: m, at: Object.values(m.nodes).map((n) => [n.unique_id, at(n)]), disabled: Object.values(m.disabled).map((l) => (l as unknown[]).map(at)) });
}

function loaded(dir: string) {
  return loadProject({ projectDir: dir, profilesDir: dir, env: {}, partialParse: true, logger: { info: () => {}, warn: () => {}, debug: () => {} } });
}

function cacheOf(dir: string) {
  const l = loaded(dir);
  const opened = openParseCache(join(dir, l.root.targetPath, PARSE_CACHE_FILE), parseCacheKey(l, { WHICH: 'parse' }));
  if (!('cache' in opened)) throw new Error(opened.reason);
  return opened.cache;
}

/** A project parsed as `parse` does: the cache, manifest.json and the splice map written. */
function parsedProject(): string {
  const dir = makeProject(FILES, 'pieces');
  const { manifest } = parseLoaded(loaded(dir), { flags: { WHICH: 'parse' } });
  writeParseArtifacts(join(dir, 'target'), manifest, '');
  return dir;
}

describe('the parse cache body read node by node where the splice map says', () => {
  const dir = parsedProject();
  const target = join(dir, 'target');

  it('equals the body read whole, node by node and ref location by ref location', () => {
    const whole = cacheOf(dir);
    const pieces = cacheOf(dir);
    try {
      const a = whole.body() as { body: ParseCacheBody };
      const b = readBodyInPieces(pieces, target) as { body: ParseCacheBody };
      expect(b && 'body' in b).toBe(true);
      expect(Object.keys(b.body.parse.manifest.nodes)).toEqual(Object.keys(a.body.parse.manifest.nodes));
      expect(Object.keys(b.body.parse.manifest.nodes).length).toBeGreaterThan(5);
      expect(dump(b.body.parse.manifest)).toBe(dump(a.body.parse.manifest));
      expect(JSON.stringify({ ...b.body, parse: { ...b.body.parse, manifest: null } })).toBe(JSON.stringify({ ...a.body, parse: { ...a.body.parse, manifest: null } }));
      expect(b.body.parse.manifest.nodes['model.pieces.a']!.config.meta).toEqual({ x: { y: 1 }, 'model.pieces.b': { z: 2 } });
      expect(dump(b.body.parse.manifest)).toContain('["model.pieces.d",[["models/d.sql",1]]]');
      // Plain data members, as JSON.parse makes them.
      expect(Object.getOwnPropertyDescriptor(b.body.parse.manifest.nodes, 'model.pieces.d')?.get).toBeUndefined();
    } finally {
      whole.close();
      pieces.close();
    }
  });

  it('the same read a few nodes at a time, or one (a node longer than the window)', () => {
    for (const window of [1, 900, 3000]) {
      const whole = cacheOf(dir);
      const pieces = cacheOf(dir);
      try {
        const a = whole.body() as { body: ParseCacheBody };
        const b = readBodyInPieces(pieces, target, window) as { body: ParseCacheBody };
        expect(b && 'body' in b, String(window)).toBe(true);
        expect(dump(b.body.parse.manifest)).toBe(dump(a.body.parse.manifest));
      } finally {
        whole.close();
        pieces.close();
      }
    }
  });

  it('gives parseLoaded the manifest of a parse without the cache', () => {
    const plain = parseLoaded({ ...loaded(dir), partialParse: false }, { flags: { WHICH: 'parse' } }).manifest;
    const debug: string[] = [];
    const l = loaded(dir);
    l.logger = { info: () => {}, warn: () => {}, debug: (m) => debug.push(m) };
    const cached = parseLoaded(l, { flags: { WHICH: 'parse' }, writeCache: false }).manifest;
    expect(debug.filter((d) => /Unable to do partial parsing/.test(d))).toEqual([]);
    const stable = (m: Manifest) => dump({ ...m, metadata: { ...m.metadata, generated_at: '', invocation_id: '' } });
    expect(stable(cached)).toBe(stable(plain));
  });

  it('gives no body without a map for this cache, or when the map\'s spans are not where the nodes are', () => {
    const d = parsedProject();
    const t = join(d, 'target');
    const cache = cacheOf(d);
    try {
      expect(readBodyInPieces(cache, join(d, 'elsewhere'))).toBeUndefined();
      const map = readSpliceMap(t, cache.header.id)!;
      expect(map).toBeDefined();
      // Every span of the body one byte later than it is.
      writeEditedSpliceMap(t, serialiseSpliceMap(cache.header.id, manifestIdentity(t)!, map.editedParts([], 1, [])));
      expect(readSpliceMap(t, cache.header.id)).toBeDefined();
      expect(readBodyInPieces(cache, t)).toBeUndefined();
      // The cache still reads whole.
      expect('body' in cache.body()).toBe(true);
    } finally {
      cache.close();
    }
  });
});
