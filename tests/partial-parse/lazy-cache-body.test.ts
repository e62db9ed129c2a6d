import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBodyLazily } from '../../src/api/lazy-cache-body.js';
import { loadProject } from '../../src/api/load-project.js';
import { openParseCache, parseCacheKey, PARSE_CACHE_FILE, type ParseCacheBody } from '../../src/api/parse-cache.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import type { Manifest } from '../../src/manifest/types.js';
import { blankedCreatedAt } from '../support/blanked-artifact.js';
import { makeProject } from '../support/project-fixture.js';

/**
 * A render worker reads a current parse cache with its nodes parsed as they
 * are first used (api/lazy-cache-body.ts). Read that way, every node, its
 * ref locations and the rest of the body equal what reading the body whole
 * gives, including for a node whose `meta` has another node's id as a key
 * (the key search finds it inside that node first) and SQL holding that
 * id's key text.
 */
const FILES: Record<string, string> = {
  'models/a.sql': "{{ config(meta={'x': {'y': 1}, 'model.lazy.b': {'z': 2}}) }}\nselect 1 as id\n",
  'models/b.sql': "select * from {{ ref('a') }}\n\n  join {{ ref('a') }} using (id) -- \"model.lazy.c\": {}\n",
  'models/c.sql': `select '${' '.repeat(40)},"model.lazy.d":' as s, 1 as id\n`,
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
    'unit_tests:',
    '  - name: b_keeps_ids',
    '    model: b',
    '    given:',
    "      - input: ref('a')",
    '        rows: [{id: 1}]',
    '    expect:',
    '      rows: [{id: 1}]',
    '',
  ].join('\n'),
};

/** The manifest as JSON, every node read, with each ref call's (non-enumerable) location. */
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

describe('the parse cache body read with lazy nodes', () => {
  const dir = makeProject(FILES, 'lazy');
  parseLoaded(loaded(dir), { flags: { WHICH: 'parse' } });

  it('equals the body read whole, node by node and ref location by ref location', () => {
    const whole = cacheOf(dir);
    const lazy = cacheOf(dir);
    try {
      const a = whole.body() as { body: ParseCacheBody };
      const b = readBodyLazily(lazy) as { body: ParseCacheBody };
      expect(b && 'body' in b).toBe(true);
      expect(Object.keys(b.body.parse.manifest.nodes)).toEqual(Object.keys(a.body.parse.manifest.nodes));
      // Read in another order than the body's, one at a time: each equals its whole-body twin.
      for (const id of Object.keys(a.body.parse.manifest.nodes).reverse()) expect(JSON.stringify(b.body.parse.manifest.nodes[id])).toBe(JSON.stringify(a.body.parse.manifest.nodes[id]));
      expect(dump(b.body.parse.manifest)).toBe(dump(a.body.parse.manifest));
      expect(JSON.stringify({ ...b.body, parse: { ...b.body.parse, manifest: null } })).toBe(JSON.stringify({ ...a.body, parse: { ...a.body.parse, manifest: null } }));
      expect(b.body.parse.manifest.nodes['model.lazy.a']!.config.meta).toEqual({ x: { y: 1 }, 'model.lazy.b': { z: 2 } });
      expect(dump(b.body.parse.manifest)).toContain('["model.lazy.d",[["models/d.sql",1]]]');
    } finally {
      whole.close();
      lazy.close();
    }
  });

  it('gives parseLoaded the manifest of a parse without the cache', () => {
    const plain = parseLoaded({ ...loaded(dir), partialParse: false }, { flags: { WHICH: 'parse' } }).manifest;
    const debug: string[] = [];
    const l = loaded(dir);
    l.logger = { info: () => {}, warn: () => {}, debug: (m) => debug.push(m) };
    const lazy = parseLoaded(l, { flags: { WHICH: 'parse' }, writeCache: false, lazyNodes: true }).manifest;
    expect(debug.filter((d) => /Unable to do partial parsing/.test(d))).toEqual([]);
    // Each parse made its unit test, and so its created_at.
    const stable = (m: Manifest) => blankedCreatedAt(dump({ ...m, metadata: { ...m.metadata, generated_at: '', invocation_id: '' } }));
    expect(stable(lazy)).toBe(stable(plain));
  });

  it('leaves a node alone until it is read, and takes a value set on it', () => {
    const lazy = cacheOf(dir);
    try {
      const { body } = readBodyLazily(lazy) as { body: ParseCacheBody };
      const nodes = body.parse.manifest.nodes;
      expect(typeof Object.getOwnPropertyDescriptor(nodes, 'model.lazy.d')?.get).toBe('function');
      const replaced = { ...nodes['model.lazy.d']!, name: 'other' };
      nodes['model.lazy.d'] = replaced;
      expect(nodes['model.lazy.d']).toBe(replaced);
    } finally {
      lazy.close();
    }
  });
  it('gives no body when an in-place edit began while the bytes were read (the header is marked)', () => {
    const d = makeProject(FILES, 'lazy');
    parseLoaded(loaded(d), { flags: { WHICH: 'parse' } });
    const lazy = cacheOf(d);
    // The index was read before the edit began; the body's bytes after.
    const index = lazy.index();
    expect('index' in index).toBe(true);
    lazy.index = () => index;
    const path = join(d, 'target', PARSE_CACHE_FILE);
    const at = readFileSync(path).indexOf('"format":');
    expect(at).toBeGreaterThan(-1);
    const fd = openSync(path, 'r+');
    try {
      writeSync(fd, '0', at + '"format":'.length);
    } finally {
      closeSync(fd);
    }
    try {
      expect(readBodyLazily(lazy)).toEqual({ reason: 'another parse changed it while it was read' });
    } finally {
      lazy.close();
    }
  });
});
