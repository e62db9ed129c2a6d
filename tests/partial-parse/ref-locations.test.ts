import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/api/load-project.js';
import { parseLoaded } from '../../src/api/parse-phase.js';
import type { Manifest } from '../../src/manifest/types.js';
import { makeProject } from '../support/project-fixture.js';

/**
 * Ref call locations (`at`, not enumerable, so not in the JSON) are kept in
 * the parse cache apart (its refAt) and put back when the cache is read: on
 * enabled nodes, on each of several disabled versions of one unique id, and
 * on unit tests. Read back, every one equals a parse without the cache.
 */
const FILES: Record<string, string> = {
  'models/a.sql': 'select 1 as id\n',
  'models/b.sql': "select * from {{ ref('a') }}\n\n  join {{ ref('a') }} using (id)\n",
  'models/off/c.sql': "{{ config(enabled=false) }}\n\nselect * from {{ ref('b') }}\n",
  'models/off2/c.sql': "{{ config(enabled=false) }}\nselect 1 as x\n-- {{ ref('a') }}\n{{ ref('b') }}\n",
  'models/schema.yml': "version: 2\nunit_tests:\n  - name: b_keeps_ids\n    model: b\n    given:\n      - input: ref('a')\n        rows: [{id: 1}]\n    expect:\n      rows: [{id: 1}]\n",
};

function locations(m: Manifest): string {
  const at = (n: unknown) => ((n as { refs?: { at?: { file: string; line: number } }[] }).refs ?? []).map((r) => r.at && [r.at.file, r.at.line]);
  return JSON.stringify({
    nodes: Object.values(m.nodes).map((n) => [n.unique_id, at(n)]),
    disabled: Object.entries(m.disabled).map(([id, list]) => [id, (list as unknown[]).map(at)]),
    unit_tests: Object.entries(m.unit_tests).map(([id, n]) => [id, at(n)]),
  });
}

function parsed(dir: string, partialParse: boolean): { manifest: Manifest; debug: string[] } {
  const debug: string[] = [];
  const loaded = loadProject({ projectDir: dir, profilesDir: dir, env: {}, partialParse, logger: { info: () => {}, warn: () => {}, debug: (m) => debug.push(m) } });
  return { manifest: parseLoaded(loaded, { flags: { WHICH: 'parse' } }).manifest, debug };
}

describe('ref locations read back from the parse cache', () => {
  it('are those of a parse without it, for enabled and disabled nodes and unit tests', () => {
    const dir = makeProject(FILES, 'refs_at');
    const plain = locations(parsed(dir, false).manifest);
    expect(plain).toContain('"models/b.sql",1');
    expect(plain).toContain('"models/off/c.sql",3');
    expect(plain).toContain('[["models/off2/c.sql",3],["models/off2/c.sql",4]]');
    parsed(dir, true);
    const cached = parsed(dir, true);
    expect(cached.debug.filter((d) => /Unable to do partial parsing/.test(d))).toEqual([]);
    expect(Object.keys(cached.manifest.disabled)).toEqual(['model.refs_at.c']);
    expect(cached.manifest.disabled['model.refs_at.c']).toHaveLength(2);
    expect(locations(cached.manifest)).toBe(plain);
  });
});
