import { describe, expect, it } from 'vitest';
import { diffRows } from '../../src/execute/unit-test-diff.js';
import { inferColumnTypes, loadFixture, sqlLiteral } from '../../src/execute/unit-test-inputs.js';
import { parseInputTarget } from '../../src/project/unit-test-input.js';
import type { CompiledNode } from '../../src/manifest/types.js';

const node = { name: 'ut', original_file_path: 'models/unit.yml' } as CompiledNode;

describe('unit test fixtures', () => {
  it('parses given inputs', () => {
    expect(parseInputTarget("ref('a')", node)).toEqual({ kind: 'ref', name: 'a', package: null, version: null });
    expect(parseInputTarget('ref("pkg", "a", v=2)', node)).toEqual({ kind: 'ref', name: 'a', package: 'pkg', version: '2' });
    expect(parseInputTarget("source('raw', 'events')", node)).toEqual({ kind: 'source', source: 'raw', table: 'events' });
    expect(parseInputTarget(' this ', node)).toEqual({ kind: 'this' });
    expect(() => parseInputTarget('model_a', node)).toThrow("Unit test 'ut' has a given input 'model_a' that is not a ref, source or this");
  });

  it('reads csv rows with nulls, numbers and booleans, and lower-cases dict keys', () => {
    expect(loadFixture({ format: 'csv', rows: 'ID,name,ok\n1,"a, b",true\n007,,1.5\n' }, node, 'x', '/nonexistent')).toEqual({
      kind: 'rows',
      columns: ['id', 'name', 'ok'],
      rows: [{ id: 1, name: 'a, b', ok: true }, { id: '007', name: null, ok: 1.5 }],
    });
    expect(loadFixture({ format: 'dict', rows: [{ Id: 1 }, { name: 'x' }] }, node, 'x', '/nonexistent')).toEqual({ kind: 'rows', columns: ['id', 'name'], rows: [{ id: 1 }, { name: 'x' }] });
    expect(() => loadFixture({ format: 'dict', rows: 'id\n1' }, node, 'given input ref(\'a\')', '/nonexistent')).toThrow("Unit test 'ut': the rows of given input ref('a') must be a list of mappings, got \"id\\n1\"");
    expect(() => loadFixture({ format: 'csv', fixture: 'missing' }, node, 'expect', '/nonexistent')).toThrow("Unit test 'ut': fixture 'missing' for expect was not found");
  });

  it('infers types from values and quotes literals', () => {
    expect(inferColumnTypes([{ a: 1, b: 1.5, c: 'x', d: true, e: '2024-01-02', f: '2024-01-02 10:00:00', g: null }, { a: 2, b: 2, c: null }], ['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toEqual({
      a: 'bigint', b: 'double', c: 'varchar', d: 'boolean', e: 'date', f: 'timestamp', g: 'varchar',
    });
    expect([null, true, 3, "it's"].map(sqlLiteral)).toEqual(['null', 'true', '3', "'it''s'"]);
  });
});

describe('unit test diff', () => {
  it('compares as multisets: order does not matter, duplicates do', () => {
    expect(diffRows(['id'], [[1], [2]], [[2], [1]]).equal).toBe(true);
    expect(diffRows(['id'], [[1n], [2]], [[1], [2]]).equal).toBe(true);
    const d = diffRows(['id', 'name'], [[1, 'a'], [1, 'a'], [3, null]], [[1, 'a'], [2, 'b']]);
    expect(d.extra).toEqual([[1, 'a'], [3, null]]);
    expect(d.missing).toEqual([[2, 'b']]);
    expect(d.rendered).toBe('@@ ,id,name\n+++,1 ,a\n+++,3 ,None\n---,2 ,b');
  });
});
