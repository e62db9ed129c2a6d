import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodesWithTransient, transientNodesOf, TransientNodes } from '../../src/api/transient-nodes.js';
import type { CompiledNode } from '../../src/manifest/types.js';
import { setFastPaths } from '../../src/util/fast-paths.js';
import { bothWays, generatedProject } from '../support/fast-and-plain.js';

afterEach(() => setFastPaths(true));

// A whole compile keeps its data tests as their JSON text and parses each for its compile only
// (api/transient-nodes.ts): the nodes object must still read as a plain object to everyone.

const node = (id: string, extra: Record<string, unknown> = {}) => ({ unique_id: id, resource_type: id.split('.')[0], name: id.split('.')[2], ...extra }) as unknown as CompiledNode;

function sample() {
  const ids = ['model.p.a', 'test.p.t1', 'model.p.b', 'test.p.t2'];
  const plain: Record<string, CompiledNode> = {};
  for (const id of ids) plain[id] = node(id, id.startsWith('test.') ? { depends_on: { nodes: ['model.p.a'] } } : {});
  const texts = new Map(ids.filter((id) => id.startsWith('test.')).map((id) => [id, JSON.stringify(plain[id])]));
  const eager = Object.fromEntries(ids.filter((id) => !texts.has(id)).map((id) => [id, plain[id]!]));
  const transient = new TransientNodes(texts, {});
  return { ids, plain, transient, nodes: nodesWithTransient(ids, eager, transient) };
}

describe('transient data tests: a nodes object that reads each test from its text', () => {
  it('reads as the plain object: keys in order, values, spread, JSON, in, each test a fresh equal object', () => {
    const { ids, plain, nodes, transient } = sample();
    expect(transientNodesOf(nodes)).toBe(transient);
    expect(Object.keys(nodes)).toEqual(ids);
    expect(Object.values(nodes)).toEqual(Object.values(plain));
    expect({ ...nodes }).toEqual(plain);
    expect(JSON.stringify(nodes)).toBe(JSON.stringify(plain));
    expect('test.p.t1' in nodes && !('test.p.none' in nodes)).toBe(true);
    expect(nodes['test.p.t1']).toEqual(plain['test.p.t1']);
    expect(nodes['test.p.t1']).not.toBe(nodes['test.p.t1']);
    expect(nodes['model.p.a']).toBe(plain['model.p.a']);
  });

  it('a compiled test is read back with its compiled members; one changed in place, or assigned, is kept whole; delete removes', () => {
    const { nodes, transient } = sample();
    const t1 = nodes['test.p.t1']!;
    t1.compiled_code = 'select 1';
    t1.compiled_path = 'target/compiled/p/t1.sql';
    transient.settle('test.p.t1', t1, false);
    expect(nodes['test.p.t1']).toEqual(t1);
    expect(transient.compiledOf('test.p.t1')).toEqual({ compiled_code: 'select 1', compiled_path: 'target/compiled/p/t1.sql' });
    expect(transient.asParsed()).toBe(false);
    const t2 = nodes['test.p.t2']!;
    t2.tags = ['changed'];
    transient.settle('test.p.t2', t2, true);
    expect(nodes['test.p.t2']).toBe(t2);
    const replaced = node('test.p.t1', { tags: ['new'] });
    nodes['test.p.t1'] = replaced;
    expect(nodes['test.p.t1']).toBe(replaced);
    delete nodes['test.p.t2'];
    expect(Object.keys(nodes)).toEqual(['model.p.a', 'test.p.t1', 'model.p.b']);
    expect(nodes['test.p.t2']).toBeUndefined();
  });
});

describe('a whole compile with its tests transient', () => {
  it("the same manifest, run results and files as the plain path, also when a test's template changes a list in place (its node kept whole, the manifest serialised)", async () => {
    const dir = generatedProject(6);
    // A singular test whose template changes a list in place while it compiles: its node is kept whole, and
    // manifest.json is serialised rather than copied, as on the plain path.
    mkdirSync(join(dir, 'tests'), { recursive: true });
    writeFileSync(join(dir, 'tests', 'listing.sql'), "{% set l = [] %}{% do l.append(1) %}select * from {{ ref('model_2') }} where {{ l | length }} = 0\n");
    const { fast, plain } = await bothWays(dir, [['parse'], ['compile']]);
    expect(fast.codes).toEqual([0, 0]);
    expect(fast.out).toContain('Compiled 25 of 25 nodes');
    expect(fast.lazily.bodies).toBe(1);
    expect(fast.manifest).toContain('"compiled_path":"target/compiled/bench/tests/listing.sql"');
    expect(fast.copied).toBe(0);
    expect({ ...fast, lazily: null, copied: 0 }).toEqual({ ...plain, lazily: null, copied: 0 });
  }, 180_000);
});
