import { describe, expect, it } from 'vitest';
import type { CompiledNode, SourceTable } from '../../src/manifest/types.js';
import { RefIndex } from '../../src/project/resolve-refs.js';

const node = (name: string, resource_type = 'model', package_name = 'p') => ({ unique_id: `${resource_type}.${package_name}.${name}`, name, resource_type, package_name, version: null }) as unknown as CompiledNode;

describe('RefIndex', () => {
  it('reads the nodes and sources it is given on its first lookup, once, and resolves as an index built at once', () => {
    const read: string[] = [];
    const nodes = [node('a'), node('b', 'seed'), node('t', 'test'), node('a', 'model', 'other')];
    const sources = [{ source_name: 's', name: 'x' } as unknown as SourceTable];
    const lazy = new RefIndex(
      (function* () {
        for (const n of nodes) {
          read.push(n.unique_id);
          yield n;
        }
      })(),
      (function* () {
        read.push('sources');
        yield* sources;
      })(),
      'p',
    );
    expect(read).toEqual([]);
    expect(lazy.resolveRef({ name: 'a' } as never, 'p')?.unique_id).toBe('model.p.a');
    expect(read).toHaveLength(5);
    expect(lazy.resolveRef({ name: 'a', package: 'other' } as never, 'p')?.unique_id).toBe('model.other.a');
    expect(lazy.resolveRef({ name: 'b' } as never, 'p')?.unique_id).toBe('seed.p.b');
    expect(lazy.resolveRef({ name: 't' } as never, 'p')).toBeUndefined();
    expect(lazy.resolveSource('s', 'x')).toBe(sources[0]);
    expect(read).toHaveLength(5);
    const eager = new RefIndex(nodes, sources, 'p');
    expect(eager.refError({ name: 'aa' } as never, { name: 'm', file: 'f' }).hint).toBe(lazy.refError({ name: 'aa' } as never, { name: 'm', file: 'f' }).hint);
    // A lookup that fails first builds the index too (the error's hint names what is there).
    const cold = new RefIndex(nodes, sources, 'p');
    expect(cold.sourceError('s', 'y', { name: 'm', file: 'f' }).hint).toContain("source('s', 'x')");
  });
});
